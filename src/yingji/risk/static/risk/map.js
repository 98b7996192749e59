// The four-colour risk map: enterprises on the district base map, coloured by their highest risk point.
(function () {
  "use strict";
  var el = document.getElementById("risk-map");
  if (!el) { return; }
  var legend = JSON.parse(document.getElementById("risk-legend").textContent);
  var colours = {};
  legend.forEach(function (row) { colours[row[0]] = row[1]; });
  var base = Yingji.basemap(el);
  Yingji.legend(base.map, legend.map(function (row) { return [row[1], row[2]]; })
    .concat([["#98a2b3", el.dataset.labelNone]]), el.dataset.legendTitle);
  base.load("risk").then(function (data) {
    var layer = L.geoJSON(data, {
      pointToLayer: function (f, latlng) {
        var colour = f.properties.color || colours[f.properties.colour];
        return L.circleMarker(latlng, { radius: 8, color: "#1f2937", weight: 1, fillColor: colour, fillOpacity: 0.9 });
      },
      onEachFeature: function (f, marker) {
        var box = document.createElement("div");
        var link = document.createElement("a");
        link.href = f.properties.url;
        link.textContent = f.properties.name;
        box.appendChild(link);
        box.appendChild(Yingji.text(" · " + f.properties.street));
        marker.bindPopup(box);
      }
    }).addTo(base.map);
    el.dataset.features = String(data.features.length);
    el.dataset.colours = data.features.map(function (f) { return f.properties.colour || "none"; }).join(",");
  });
})();
