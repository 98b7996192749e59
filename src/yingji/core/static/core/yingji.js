// The platform's shared front end: the district base map, countdowns and live updates.
// Every label from data is set as text (textContent), never as HTML.
var Yingji = (function () {
  "use strict";
  // Some pages load this file a second time in their scripts block: set up once (one menu toggle, one confirm).
  if (window.Yingji && window.Yingji.labelTables) { return window.Yingji; }
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
  function loadLayer(source, layer, params) {
    var url = layerUrl(source, layer);
    if (params) { url += (url.indexOf("?") < 0 ? "?" : "&") + new URLSearchParams(params).toString(); }
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(layer + ": " + r.status); } return r.json(); });
  }
  // Road styles by class (OSM highway values and the demo's classes): major roads wide and warm, minor thin grey.
  var ROAD_STYLES = {
    motorway: ["#c2410c", 4.5], motorway_link: ["#c2410c", 2], trunk: ["#ea580c", 4], trunk_link: ["#ea580c", 2],
    primary: ["#f59e0b", 3.5], primary_link: ["#f59e0b", 2], secondary: ["#eab308", 2.8], secondary_link: ["#eab308", 1.6],
    tertiary: ["#a3a3a3", 2.2], tertiary_link: ["#a3a3a3", 1.4], bridge: ["#64748b", 2.5]
  };
  var WATER = "#60a5fa", RAIL = "#374151";
  function roadStyle(cls) {
    var s = ROAD_STYLES[cls] || ["#9ca3af", 1.3];
    return { color: s[0], weight: s[1], opacity: 0.9, interactive: false };
  }
  // The base map drawn under every map, served by the platform (no tiles, no internet): water, roads by class,
  // railways and place names of the active road network, reloaded for the view (bounding box and zoom) as it
  // moves, with a layer control entry each and a legend of what is drawn.
  function baseLayers(map, source, control, el) {
    ["water", "roads", "rail"].forEach(function (name, i) {
      var pane = map.createPane("base-" + name);
      pane.style.zIndex = String(250 + i * 10);
      pane.style.pointerEvents = "none";
    });
    var renderer = {};
    ["water", "roads", "rail"].forEach(function (name) { renderer[name] = L.canvas({ pane: "base-" + name }); });
    var water = L.geoJSON(null, {
      pane: "base-water", renderer: renderer.water, interactive: false,
      style: function (f) {
        return f.properties.kind === "river"
          ? { color: WATER, weight: 3, opacity: 0.9 }
          : { color: WATER, weight: 1, fillColor: "#bfdbfe", fillOpacity: 0.85 };
      }
    });
    var roads = L.geoJSON(null, {
      pane: "base-roads", renderer: renderer.roads, interactive: false,
      style: function (f) { return roadStyle(f.properties.road_class); }
    });
    var rail = L.geoJSON(null, {
      pane: "base-rail", renderer: renderer.rail, interactive: false,
      style: { color: RAIL, weight: 2, dashArray: "8 6", opacity: 0.85 }
    });
    var places = L.layerGroup();
    var layers = { water: water, roads: roads, railways: rail, places: places };
    var named = {}, seen = {}, classes = {}, order = [];
    var box = L.control({ position: "bottomleft" });
    var div;
    box.onAdd = function () { div = L.DomUtil.create("div", "base-legend"); return div; };
    box.addTo(map);
    function row(swatchClass, colour, label) {
      var r = document.createElement("div");
      var sw = document.createElement("i");
      sw.className = swatchClass;
      sw.style.backgroundColor = colour;
      r.appendChild(sw);
      r.appendChild(document.createTextNode(" " + label));
      div.appendChild(r);
    }
    function drawLegend() {
      div.textContent = "";
      order.forEach(function (cls) { row("line", roadStyle(cls).color, classes[cls]); });
      if (seen.water) { row("area", WATER, named.water); }
      if (seen.railways) { row("line dashed", RAIL, named.railways); }
      el.dataset.baseLegend = String(div.children.length);
    }
    function fill(name, data) {
      if (data.name && !named[name]) {
        named[name] = data.name;
        if (name !== "places" || data.features.length) { control.addOverlay(layers[name], data.name); }
      }
      if (data.features.length) { seen[name] = true; }
      if (name === "places") {
        places.clearLayers();
        data.features.forEach(function (f) {
          var c = f.geometry.coordinates;
          L.tooltip({ permanent: true, direction: "center", className: "place-label place-rank-" + f.properties.rank, interactive: false })
            .setLatLng([c[1], c[0]]).setContent(text(f.properties.name)).addTo(places);
        });
      } else {
        layers[name].clearLayers().addData(data);
      }
      if (name === "roads") {
        data.features.forEach(function (f) {
          var cls = f.properties.road_class;
          if (!classes[cls]) { classes[cls] = f.properties.label; order.push(cls); }
        });
      }
      drawLegend();
      el.dataset["base" + name.charAt(0).toUpperCase() + name.slice(1)] = String(data.features.length);
    }
    var timer = null, seq = 0;
    function refresh() {
      var b = map.getBounds().pad(0.25), mine = ++seq;
      var params = { bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
        return Math.max(-180, Math.min(180, v)).toFixed(5);
      }).join(","), zoom: Math.round(map.getZoom()) };
      var lat = params.bbox.split(",");
      lat[1] = Math.max(-90, +lat[1]).toFixed(5); lat[3] = Math.min(90, +lat[3]).toFixed(5);
      params.bbox = lat.join(",");
      return Promise.all(Object.keys(layers).map(function (name) {
        return loadLayer(source, name, params).then(function (data) { if (mine === seq) { fill(name, data); } })
          .catch(function () { /* a base layer that fails leaves the page's own layers working */ });
      })).then(function () { if (mine === seq) { el.dataset.baseLoaded = "true"; } });
    }
    Object.keys(layers).forEach(function (name) { layers[name].addTo(map); });
    map.on("moveend", function () { clearTimeout(timer); timer = setTimeout(refresh, 200); });
    return { layers: layers, legend: box, refresh: refresh };
  }
  // The district base map (no tiles: the intranet has none): the boundary, the streets labelled as text, and the
  // base layers (roads by class, water, railways, place names) unless `options.base` is false.
  // `options.layersUrl` (else `el.dataset.layersUrl`) is the map-layer URL with "__layer__" for the layer's name.
  // Returns {map, control, load(layer), ready, base} where `ready` resolves once the boundary is drawn.
  function basemap(el, options) {
    options = options || {};
    var source = options.layersUrl || el;
    var map = L.map(el, { preferCanvas: options.preferCanvas !== false, zoomSnap: 0.25, maxZoom: options.maxZoom || 18, attributionControl: false });
    el.leafletMap = el.leafletMap || map;
    var control = L.control.layers(null, {}, { collapsed: options.collapsed !== false && window.innerWidth < 700 }).addTo(map);
    var base = options.base === false ? null : baseLayers(map, source, control, el);
    map.setView([30.235, 115.08], 13);
    var ready = loadLayer(source, "district").then(function (data) {
      var boundary = L.geoJSON(data, { style: { color: "#b42318", weight: 3, fill: true, fillOpacity: 0.04 }, interactive: false });
      boundary.addTo(map);
      if (!options.keepView) { map.fitBounds(boundary.getBounds(), { padding: [10, 10] }); }
      el.dataset.boundaryLoaded = "true";
      if (el.dataset.labelDistrict) { control.addOverlay(boundary, el.dataset.labelDistrict); }
      return boundary;
    });
    if (options.streets !== false) {
      loadLayer(source, "streets").then(function (data) {
        var streets = L.geoJSON(data, {
          style: { color: "#1d4ed8", weight: 1, dashArray: "4 4", fillColor: "#93c5fd", fillOpacity: 0.12 },
          onEachFeature: function (f, layer) {
            layer.bindTooltip(text(f.properties.name), { permanent: true, direction: "center", className: "street-label" });
          }
        }).addTo(map);
        if (el.dataset.labelStreets) { control.addOverlay(streets, el.dataset.labelStreets); }
      });
    }
    return { map: map, control: control, ready: ready, base: base, load: function (layer) { return loadLayer(source, layer); } };
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
  // Phones: the main menu folds behind its button (without JavaScript it simply stays open).
  function menu() {
    var button = document.querySelector(".menu-toggle"), nav = document.getElementById("mainnav");
    if (!button || !nav) { return; }
    document.documentElement.classList.add("menu-js");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // Phones: a wide table shows each row as a card, each cell labelled with its column's header (app.css reads
  // data-label). Rows added later (live updates, htmx) are labelled too.
  function labelTable(table) {
    var heads = table.tHead ? Array.prototype.map.call(table.tHead.rows[0] ? table.tHead.rows[0].cells : [],
      function (th) { return th.textContent.trim(); }) : [];
    if (!heads.length) { return; }
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var label = heads[column];
          if (label && cell.colSpan === 1 && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", label); }
          column += cell.colSpan || 1;
        });
      });
    });
  }
  function labelTables() { document.querySelectorAll("table.list").forEach(labelTable); }
  function cardTables() {
    labelTables();
    if (!window.MutationObserver) { return; }
    var pending = false;
    new MutationObserver(function (mutations) {
      if (pending) { return; }
      var tables = mutations.some(function (m) {
        var node = m.target;
        return node.nodeType === 1 && (node.closest("table.list") || node.querySelector("table.list"));
      });
      if (!tables) { return; }
      pending = true;
      setTimeout(function () { pending = false; labelTables(); }, 50);
    }).observe(document.body, { childList: true, subtree: true });
  }
  menu();
  cardTables();
  return {
    labelTables: labelTables,
    countdowns: countdowns, tickCountdowns: tickCountdowns, listen: listen,
    basemap: basemap, legend: legend, text: text, loadLayer: loadLayer, roadStyle: roadStyle
  };
})();
