// The workbench map: no tiles (the intranet has none), only the district's own layers from the API.
// Every label from data is set as text (Yingji.text), never as HTML.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el) { return; }
  var urlFor = function (layer) { return el.dataset.layersUrl.replace("__layer__", layer); };
  var map = L.map(el, { preferCanvas: true, zoomSnap: 0.25, attributionControl: false });
  el.leafletMap = map;  // scripts (and the browser tests) reach the map through its element
  var overlays = {};
  var control = L.control.layers(null, overlays, { collapsed: false }).addTo(map);

  function load(layer) {
    return fetch(urlFor(layer), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(layer + ": " + r.status); } return r.json(); });
  }

  load("district").then(function (data) {
    var boundary = L.geoJSON(data, { style: { color: "#b42318", weight: 3, fill: true, fillOpacity: 0.04 } });
    boundary.addTo(map);
    map.fitBounds(boundary.getBounds(), { padding: [10, 10] });
    el.dataset.boundaryLoaded = "true";
    control.addOverlay(boundary, el.dataset.labelDistrict);
  });

  load("streets").then(function (data) {
    var streets = L.geoJSON(data, {
      style: { color: "#1d4ed8", weight: 1, dashArray: "4 4", fillColor: "#93c5fd", fillOpacity: 0.18 },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(Yingji.text(f.properties.name), { permanent: true, direction: "center", className: "street-label" });
      }
    }).addTo(map);
    control.addOverlay(streets, el.dataset.labelStreets);
  });

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
