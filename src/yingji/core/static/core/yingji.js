// The platform's shared front end: the district base map, countdowns and live updates.
// Every label from data is set as text (textContent), never as HTML.
var Yingji = (function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function format(seconds, overdueLabel) {
    var late = seconds < 0, s = Math.abs(seconds);
    var text = Math.floor(s / 3600) + ":" + pad(Math.floor(s / 60) % 60) + ":" + pad(s % 60);
    return late ? overdueLabel + " " + text : text;
  }
  function tickCountdowns() {
    var overdue = (document.getElementById("t-overdue") || { textContent: "-" }).textContent.trim() || "-";
    var now = Date.now();
    document.querySelectorAll(".countdown[data-due]").forEach(function (el) {
      var left = Math.round((Date.parse(el.dataset.due) - now) / 1000);
      el.textContent = format(left, overdue);
      el.classList.toggle("overdue", left < 0);
      el.classList.toggle("soon", left >= 0 && left < 1800);
    });
  }
  function countdowns() { tickCountdowns(); setInterval(tickCountdowns, 1000); }
  // Listen to a live channel; handlers maps event names to functions of the parsed data.
  function listen(url, handlers, stateEl) {
    if (!url || !window.EventSource) { return null; }
    var source = new EventSource(url);
    source.addEventListener("ready", function () {
      if (stateEl) { stateEl.classList.add("on"); }
      if (handlers.ready) { handlers.ready(); }
    });
    source.onerror = function () { if (stateEl) { stateEl.classList.remove("on"); } };
    Object.keys(handlers).forEach(function (name) {
      if (name === "ready") { return; }
      source.addEventListener(name, function (e) { handlers[name](JSON.parse(e.data)); });
    });
    return source;
  }
  function text(value) {
    var span = document.createElement("span");
    span.textContent = value == null ? "" : String(value);
    return span;
  }
  // The map-layer URL template ("…/__layer__"): a string, or an element whose data-layers-url holds it.
  function layerUrl(source, layer) {
    var template = typeof source === "string" ? source : source.dataset.layersUrl;
    return template.replace("__layer__", layer);
  }
  function loadLayer(source, layer) {
    return fetch(layerUrl(source, layer), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(layer + ": " + r.status); } return r.json(); });
  }
  // The district base map (no tiles: the intranet has none): the boundary and the streets, labelled as text.
  // `options.layersUrl` (else `el.dataset.layersUrl`) is the map-layer URL with "__layer__" for the layer's name.
  // Returns {map, control, load(layer), ready} where `ready` resolves once the boundary is drawn.
  function basemap(el, options) {
    options = options || {};
    var source = options.layersUrl || el;
    var map = L.map(el, { preferCanvas: true, zoomSnap: 0.25, attributionControl: false });
    map.setView([30.215, 115.08], 13);
    var control = L.control.layers(null, {}, { collapsed: options.collapsed !== false && window.innerWidth < 700 }).addTo(map);
    var ready = loadLayer(source, "district").then(function (data) {
      var boundary = L.geoJSON(data, { style: { color: "#b42318", weight: 3, fill: true, fillOpacity: 0.04 } });
      boundary.addTo(map);
      if (!options.keepView) { map.fitBounds(boundary.getBounds(), { padding: [10, 10] }); }
      el.dataset.boundaryLoaded = "true";
      if (el.dataset.labelDistrict) { control.addOverlay(boundary, el.dataset.labelDistrict); }
      return boundary;
    });
    if (options.streets !== false) {
      loadLayer(source, "streets").then(function (data) {
        var streets = L.geoJSON(data, {
          style: { color: "#1d4ed8", weight: 1, dashArray: "4 4", fillColor: "#93c5fd", fillOpacity: 0.18 },
          onEachFeature: function (f, layer) {
            layer.bindTooltip(text(f.properties.name), { permanent: true, direction: "center", className: "street-label" });
          }
        }).addTo(map);
        if (el.dataset.labelStreets) { control.addOverlay(streets, el.dataset.labelStreets); }
      });
    }
    return { map: map, control: control, ready: ready, load: function (layer) { return loadLayer(source, layer); } };
  }
  // A legend: items are [colour, label] pairs.
  function legend(map, items, title) {
    var box = L.control({ position: "bottomright" });
    box.onAdd = function () {
      var div = L.DomUtil.create("div", "map-legend");
      if (title) { var h = document.createElement("strong"); h.textContent = title; div.appendChild(h); }
      items.forEach(function (item) {
        var row = document.createElement("div");
        var swatch = document.createElement("i");
        swatch.style.background = item[0];
        row.appendChild(swatch);
        row.appendChild(document.createTextNode(" " + item[1]));
        div.appendChild(row);
      });
      return div;
    };
    box.addTo(map);
    return box;
  }
  // A button or form with data-confirm asks before it submits (publishing, releasing a unit, closing).
  document.addEventListener("submit", function (e) {
    var button = e.submitter, form = e.target;
    var question = (button && button.dataset && button.dataset.confirm) || (form.dataset && form.dataset.confirm);
    if (question && !window.confirm(question)) { e.preventDefault(); }
  }, true);
  return {
    countdowns: countdowns, tickCountdowns: tickCountdowns, listen: listen,
    basemap: basemap, legend: legend, text: text, loadLayer: loadLayer
  };
})();
