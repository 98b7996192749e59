// The one map (一张图): resource layers with clustering, nearest-by-travel-time, evacuation and coverage.
// No tiles (the intranet has none): the platform's base map and the district's own layers only. Every label from data is set as text.
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el) { return; }
  // The shared base map (roads by class, water, railways, place names, its legend); the streets are a toggle here.
  var base = Yingji.basemap(el, { streets: false, maxZoom: 19, keepView: true, preferCanvas: false });
  var map = base.map;
  // Scripts (and the browser test) reach the map through its element.
  el.leafletMap = map;
  var layers = {};
  // The layers on offer, as the page lists them (core.maplayers.LAYER_INFO of every app): name, label, colour,
  // legend rows, drawn as areas or points, clustered, shown at first.
  var offered = {};
  JSON.parse(document.getElementById("map-layers").textContent).forEach(function (info) { offered[info.name] = info; });
  var csrf = (document.cookie.match(/csrftoken=([^;]+)/) || [])[1] || "";
  var urlFor = function (layer) { return el.dataset.layersUrl.replace("__layer__", layer); };

  function getJSON(url, options) {
    return fetch(url, Object.assign({ credentials: "same-origin", headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRFToken": csrf } }, options || {}))
      .then(function (r) { return r.json().then(function (body) { if (!r.ok) { throw body; } return body; }); });
  }
  function text(tag, value) { var e = document.createElement(tag); e.textContent = value; return e; }
  function popup(props) {
    var div = document.createElement("div");
    var title = props.name || props.area || "";
    var a = text(props.url ? "a" : "strong", title); if (props.url) { a.href = props.url; } div.appendChild(a);
    var line = [props.kind, props.status, props.street].filter(function (v) { return typeof v === "string" && v; }).join(" · ");
    if (line) { div.appendChild(document.createElement("br")); div.appendChild(document.createTextNode(line)); }
    return div;
  }
  // A feature's own colour (`color`, or a `colour` given as #rgb) wins over its layer's.
  function colourOf(info, props) {
    if (props.color) { return props.color; }
    if (/^#[0-9a-fA-F]{3,8}$/.test(props.colour || "")) { return props.colour; }
    return info.colour;
  }
  function dot(colour) {
    var span = document.createElement("span");
    span.className = "map-dot";
    span.style.backgroundColor = colour;
    return L.divIcon({ className: "resource-marker", html: span, iconSize: [14, 14] });
  }

  function pointLayer(info, data) {
    var group = info.cluster ? L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false }) : L.featureGroup();
    L.geoJSON(data, {
      pointToLayer: function (f, latlng) {
        var colour = colourOf(info, f.properties || {});
        return info.cluster
          ? L.marker(latlng, { icon: dot(colour), title: f.properties.name || "" })
          : L.circleMarker(latlng, { radius: 8, color: "#1f2937", weight: 1, fillColor: colour, fillOpacity: 0.9 });
      },
      onEachFeature: function (f, layer) { layer.bindPopup(popup(f.properties || {})); }
    }).eachLayer(function (m) { group.addLayer(m); });
    return group;
  }
  function areaLayer(info, data) {
    return L.geoJSON(data, {
      style: function (f) {
        var colour = colourOf(info, f.properties || {});
        return { color: colour, weight: 1, dashArray: "4 4", fillColor: colour, fillOpacity: 0.15 };
      },
      onEachFeature: function (f, l) {
        l.bindTooltip(Yingji.text(f.properties.name || ""), { permanent: true, direction: "center", className: "street-label" });
      }
    });
  }

  function load(name) {
    var info = offered[name];
    return getJSON(urlFor(name)).then(function (data) {
      var layer = info.areas ? areaLayer(info, data) : pointLayer(info, data);
      layers[name] = layer;
      el.dataset[name] = String(data.features.length);
      return layer;
    });
  }

  // The legend lists what is shown: each layer's colour, or its own rows (the four risk colours).
  var visible = {};
  var legendBox = null;
  function drawLegend() {
    var items = [];
    Object.keys(offered).forEach(function (name) {
      var info = offered[name];
      if (!visible[name]) { return; }
      if (info.legend.length) { items = items.concat(info.legend); } else { items.push([info.colour, info.label]); }
    });
    if (legendBox) { map.removeControl(legendBox); }
    legendBox = Yingji.legend(map, items, el.dataset.legendTitle);
    el.dataset.legend = String(items.length);
  }
  function show(name, on) {
    var layer = layers[name];
    if (on) { layer.addTo(map); } else { map.removeLayer(layer); }
    visible[name] = on;
    drawLegend();
    el.dataset[name + "Visible"] = String(on);
  }
  function toggle(box) {
    var name = box.dataset.layer;
    if (layers[name]) { show(name, box.checked); } else { load(name).then(function () { show(name, box.checked); }); }
  }

  base.ready.then(function (boundary) {
    map.fitBounds(boundary.getBounds(), { padding: [10, 10] });
    var boxes = Array.prototype.slice.call(document.querySelectorAll("#layer-toggles input[data-layer]"));
    // One layer after another (a gentler load on the server than a burst of parallel queries), areas first: they lie
    // under the points.
    var chain = Promise.resolve();
    boxes.forEach(function (box) { box.addEventListener("change", function () { toggle(box); }); });
    boxes.sort(function (a, b) { return offered[b.dataset.layer].areas - offered[a.dataset.layer].areas; });
    boxes.forEach(function (box) {
      if (box.checked) {
        chain = chain.then(function () { return load(box.dataset.layer); })
          .then(function () { show(box.dataset.layer, true); });
      }
    });
    chain.then(function () { drawLegend(); el.dataset.ready = "true"; });
  });

  // Nearest: click the map, rank the chosen kind by travel time, draw the routes.
  var results = L.layerGroup().addTo(map);
  var list = document.getElementById("nearest-list");
  var error = document.getElementById("nearest-error");
  // Distances as people read them: metres under 1 km ("850 米"), else kilometres to one decimal ("2.2 公里").
  function distance(m) {
    return m < 1000 ? Math.round(m) + " " + el.dataset.labelM : (m / 1000).toFixed(1) + " " + el.dataset.labelKm;
  }
  function minutes(s) { return (s / 60).toFixed(1) + " " + el.dataset.labelMinutes; }
  map.on("click", function (e) {
    var kind = document.getElementById("nearest-kind").value;
    var url = el.dataset.nearestUrl + "?" + new URLSearchParams({ lat: e.latlng.lat.toFixed(6), lon: e.latlng.lng.toFixed(6), kind: kind, limit: 5 });
    results.clearLayers(); list.innerHTML = ""; error.textContent = "";
    L.circleMarker(e.latlng, { radius: 7, color: "#111", fillColor: "#fff", fillOpacity: 1 }).addTo(results);
    getJSON(url).then(function (body) {
      body.items.forEach(function (item, i) {
        var li = document.createElement("li");
        var a = text("a", item.name); a.href = item.url; li.appendChild(a);
        li.appendChild(document.createTextNode(" · " + minutes(item.eta_s) + " · " + distance(item.distance_m)));
        li.dataset.etaS = String(item.eta_s);
        list.appendChild(li);
        L.geoJSON(item.route, { style: { color: i === 0 ? "#b42318" : "#1d4ed8", weight: i === 0 ? 5 : 3, opacity: 0.8 } }).addTo(results);
      });
      el.dataset.nearest = String(body.items.length);
    }).catch(function (body) { error.textContent = (body && body.detail) || "error"; el.dataset.nearest = "error"; });
  });

  // Evacuation: every community in scope, lines from each community to its shelters.
  var evacuation = L.layerGroup().addTo(map);
  document.getElementById("evacuate").addEventListener("click", function () {
    evacuation.clearLayers();
    getJSON(urlFor("communities")).then(function (communities) {
      var ids = communities.features.map(function (f) { return f.properties.id; });
      return getJSON(el.dataset.evacuationUrl, { method: "POST", body: JSON.stringify({ communities: ids }) });
    }).then(function (plan) {
      plan.assignments.forEach(function (a) {
        L.geoJSON(a.line, { style: { color: "#15803d", weight: 1 + Math.min(a.people / 500, 6), opacity: 0.7 } })
          .bindTooltip(Yingji.text(a.block_name + " → " + a.shelter_name + ": " + a.people + " " + el.dataset.labelPeople)).addTo(evacuation);
      });
      document.getElementById("evacuation-summary").textContent = plan.population + " " + el.dataset.labelPeople + "; " + plan.unassigned + " " + el.dataset.labelUnassigned;
    }).catch(function (body) { document.getElementById("evacuation-summary").textContent = (body && body.detail) || "error"; });
  });

  // Coverage: communities no team of the kind reaches within the limit, in red.
  var coverage = L.layerGroup().addTo(map);
  document.getElementById("coverage").addEventListener("click", function () {
    coverage.clearLayers();
    var params = { limit_min: document.getElementById("coverage-minutes").value };
    var kind = document.getElementById("coverage-kind").value;
    if (kind) { params.kind = kind; }
    getJSON(el.dataset.coverageUrl + "?" + new URLSearchParams(params)).then(function (data) {
      L.geoJSON(data, { style: { color: "#b42318", weight: 1, fillColor: "#ef4444", fillOpacity: 0.45 },
        onEachFeature: function (f, l) { l.bindTooltip(Yingji.text(f.properties.name)); } }).addTo(coverage);
      document.getElementById("coverage-summary").textContent = data.features.length + " " + el.dataset.labelUnreached;
    }).catch(function (body) { document.getElementById("coverage-summary").textContent = (body && body.detail) || "error"; });
  });
})();
