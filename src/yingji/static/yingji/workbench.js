// The workbench map: no tiles (the intranet has none), only the platform's own layers from the API.
// Every label from data is set as text (Yingji.text), never as HTML.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el) { return; }
  // The shared base map: boundary, streets, roads by class, water, railways and place names, with its legend.
  var base = Yingji.basemap(el, { collapsed: false });
  var map = base.map, control = base.control, load = base.load;
  el.leafletMap = map;  // scripts (and the browser tests) reach the map through its element
  Yingji.legend(map, [["#f59e0b", el.dataset.labelEnterprises]]);

  load("enterprises").then(function (data) {
    var enterprises = L.geoJSON(data, {
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 5, color: "#b45309", weight: 1, fillColor: "#f59e0b", fillOpacity: 0.9 });
      },
      onEachFeature: function (f, layer) {
        var div = document.createElement("div");
        var a = document.createElement("a");
        a.href = f.properties.url; a.textContent = f.properties.name;
        div.appendChild(a);
        div.appendChild(document.createElement("br"));
        div.appendChild(document.createTextNode(f.properties.industry + " · " + f.properties.street));
        layer.bindPopup(div);
      }
    }).addTo(map);
    el.dataset.enterprises = String(data.features.length);
    control.addOverlay(enterprises, el.dataset.labelEnterprises);
  });
})();
