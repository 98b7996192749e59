// Forest maps on the shared base map: areas coloured by fire danger (with a legend), an area with its
// routes and recent patrol tracks, and click-to-draw for a new area's polygon. Labels are set as text.
(function () {
  "use strict";
  var data = function (id) { var node = document.getElementById(id); return node ? JSON.parse(node.textContent) : null; };
  var legendItems = data("forest-legend") || [];
  var el = document.getElementById("forest-map");
  if (el) {
    var base = Yingji.basemap(el, { keepView: true });
    Yingji.legend(base.map, legendItems, el.dataset.legendTitle);
    var single = data("area-feature");
    var done = [base.ready];
    if (single) {
      var colour = el.dataset.colour || "#6b7280";
      var shape = L.geoJSON(single, { style: { color: colour, weight: 3, fillColor: colour, fillOpacity: 0.35 } }).addTo(base.map);
      L.geoJSON(data("area-routes"), { style: { color: "#1d4ed8", weight: 3, dashArray: "6 4" } }).addTo(base.map);
      L.geoJSON(data("area-tracks"), {
        style: { color: "#7c3aed", weight: 2 },
        onEachFeature: function (f, layer) { layer.bindTooltip(Yingji.text(f.properties.started)); }
      }).addTo(base.map);
      base.map.fitBounds(shape.getBounds(), { padding: [20, 20] });
    } else {
      done.push(base.load("forest_areas").then(function (fc) {
        var layer = L.geoJSON(fc, {
          style: function (f) { return { color: f.properties.colour, weight: 2, fillColor: f.properties.colour, fillOpacity: 0.45 }; },
          onEachFeature: function (f, layer) {
            var box = document.createElement("div");
            var link = document.createElement("a");
            link.href = f.properties.url;
            link.textContent = f.properties.name;
            box.appendChild(link);
            box.appendChild(Yingji.text(" " + (f.properties.level_name || "")));
            layer.bindPopup(box);
            layer.bindTooltip(Yingji.text(f.properties.name), { permanent: true, direction: "center", className: "street-label" });
          }
        }).addTo(base.map);
        if (fc.features.length) { base.map.fitBounds(layer.getBounds(), { padding: [30, 30] }); }
      }));
      done.push(base.load("forest_fires").then(function (fc) {
        L.geoJSON(fc, {
          pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 7, color: "#7f1d1d", fillColor: "#ef4444", fillOpacity: 0.9 }); },
          onEachFeature: function (f, layer) { layer.bindTooltip(Yingji.text(f.properties.area + " " + f.properties.status)); }
        }).addTo(base.map);
      }));
    }
    Promise.all(done).then(function () { el.dataset.ready = "true"; });
  }
  // Click-to-draw: a new area's polygon (the default), a route's line (data-draw="line") into the field named by
  // data-field, or a fire's position (data-draw="point") into the form's lat and lon fields.
  var drawEl = document.getElementById("draw-map");
  if (drawEl) {
    var draw = Yingji.basemap(drawEl);
    var mode = drawEl.dataset.draw || "polygon";
    var field = document.getElementById(drawEl.dataset.field || "id_geometry");
    var vertices = [];
    var drawn = null;
    var lonlat = function (p) { return [Number(p.lng.toFixed(6)), Number(p.lat.toFixed(6))]; };
    var redraw = function () {
      if (drawn) { draw.map.removeLayer(drawn); drawn = null; }
      if (mode === "point" && vertices.length) {
        var at = vertices[vertices.length - 1];
        drawn = L.circleMarker(at, { radius: 8, color: "#7f1d1d", fillColor: "#ef4444", fillOpacity: 0.9 }).addTo(draw.map);
        var form = drawEl.closest("section").querySelector("form");
        form.querySelector("[name=lat]").value = at.lat.toFixed(6);
        form.querySelector("[name=lon]").value = at.lng.toFixed(6);
      } else if (vertices.length) {
        var closed = mode === "polygon" && vertices.length > 2;
        drawn = (closed ? L.polygon(vertices, { color: "#15803d" }) : L.polyline(vertices, { color: mode === "line" ? "#1d4ed8" : "#15803d" })).addTo(draw.map);
      }
      if (mode === "polygon" && vertices.length > 2) {
        var ring = vertices.map(lonlat);
        ring.push(ring[0]);
        field.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
      } else if (mode === "line" && vertices.length > 1) {
        field.value = JSON.stringify({ type: "LineString", coordinates: vertices.map(lonlat) });
      }
      drawEl.dataset.vertices = String(vertices.length);
    };
    var context = data("draw-context");
    if (context) {
      var outline = L.geoJSON(context, { style: { color: "#15803d", weight: 2, fillOpacity: 0.15 } }).addTo(draw.map);
      draw.ready.then(function () { draw.map.fitBounds(outline.getBounds(), { padding: [20, 20] }); });
    }
    if (field && field.value) {
      try { L.geoJSON(JSON.parse(field.value), { style: { color: "#15803d" } }).addTo(draw.map); } catch (e) { /* a form error on submit */ }
    }
    draw.map.on("click", function (e) { vertices.push(e.latlng); redraw(); });
    var clear = document.getElementById("polygon-clear");
    if (clear) { clear.addEventListener("click", function () { vertices = []; if (field) { field.value = ""; } redraw(); }); }
    draw.ready.then(function () { drawEl.dataset.ready = "true"; });
  }
  // The patrol page: fill the position fields from the phone's location when it has one.
  document.querySelectorAll("[data-locate]").forEach(function (button) {
    button.addEventListener("click", function () {
      var form = button.closest("form");
      if (!navigator.geolocation) { return; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.querySelector("[name=lat]").value = pos.coords.latitude.toFixed(6);
        form.querySelector("[name=lon]").value = pos.coords.longitude.toFixed(6);
        var acc = form.querySelector("[name=accuracy_m]");
        if (acc) { acc.value = Math.round(pos.coords.accuracy); }
      });
    });
  });
})();
