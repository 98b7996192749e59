// Warning maps, offline: the platform's base map and the district's street areas from the API, no tiles.
// On the detail page the warning's streets and polygon; on the form a click-to-add-vertices polygon.
(function () {
  "use strict";
  var el = document.getElementById("warning-map") || document.getElementById("draw-map");
  if (!el) { return; }
  var drawing = el.id === "draw-map";
  // The shared base map (roads, water, railways, place names and its legend) under the warning's own areas.
  var base = Yingji.basemap(el, { streets: false, keepView: true, collapsed: true, preferCanvas: false });
  var map = base.map;
  el.leafletMap = map;  // scripts (and the browser tests) reach the map through its element
  var levelColours = { blue: "#1d4ed8", yellow: "#eab308", orange: "#ea580c", red: "#dc2626" };
  var colour = levelColours[el.dataset.level] || "#b42318";
  var data = function (id) { var node = document.getElementById(id); return node ? JSON.parse(node.textContent) : null; };
  var focus = L.featureGroup().addTo(map);

  base.ready.then(function (boundary) {
    map.fitBounds(focus.getLayers().length ? focus.getBounds() : boundary.getBounds(), { padding: [10, 10] });
    el.dataset.ready = "true";
  });

  var streets = data("street-areas");
  if (streets && streets.features.length) {
    L.geoJSON(streets, {
      style: drawing ? { color: "#1d4ed8", weight: 1, dashArray: "4 4", fillOpacity: 0.05 } : { color: colour, weight: 2, fillOpacity: 0.25 },
      interactive: !drawing,
      onEachFeature: function (f, layer) { layer.bindTooltip(Yingji.text(f.properties.name), { direction: "center", className: "street-label" }); }
    }).addTo(drawing ? map : focus);
  }
  var polygon = data("area-polygon");
  if (polygon) {
    L.geoJSON(polygon, { style: { color: colour, weight: 3, fillOpacity: 0.35 } }).addTo(focus);
  }
  if (!drawing) { return; }

  // Click to add vertices; the textarea holds the GeoJSON Polygon the form submits.
  var field = document.getElementById("id_area_polygon");
  var vertices = [];
  var shape = null;
  function redraw() {
    if (shape) { map.removeLayer(shape); shape = null; }
    if (vertices.length) {
      shape = (vertices.length > 2 ? L.polygon(vertices, { color: "#b42318" }) : L.polyline(vertices, { color: "#b42318" })).addTo(map);
    }
    if (vertices.length > 2) {
      var ring = vertices.map(function (p) { return [Number(p.lng.toFixed(6)), Number(p.lat.toFixed(6))]; });
      ring.push(ring[0]);
      field.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
    } else {
      field.value = "";
    }
    el.dataset.vertices = String(vertices.length);
  }
  if (field.value) {
    try { L.geoJSON(JSON.parse(field.value), { style: { color: "#b42318" } }).addTo(focus); } catch (e) { /* shown as a form error on submit */ }
  }
  map.on("click", function (e) { focus.clearLayers(); vertices.push(e.latlng); redraw(); });
  document.getElementById("polygon-clear").addEventListener("click", function () { focus.clearLayers(); vertices = []; redraw(); });
})();
