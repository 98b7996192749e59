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
  var csrf = (document.cookie.match(/csrftoken=([^;]+)/) || [])[1] || "";
  var urlFor = function (layer) { return el.dataset.layersUrl.replace("__layer__", layer); };

  function getJSON(url, options) {
    return fetch(url, Object.assign({ credentials: "same-origin", headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRFToken": csrf } }, options || {}))
      .then(function (r) { return r.json().then(function (body) { if (!r.ok) { throw body; } return body; }); });
  }
  function text(tag, value) { var e = document.createElement(tag); e.textContent = value; return e; }
  function popup(props) {
    var div = document.createElement("div");
    var a = text("a", props.name); a.href = props.url; div.appendChild(a);
    var line = [props.kind, props.status].filter(Boolean).join(" · ");
    if (line) { div.appendChild(document.createElement("br")); div.appendChild(document.createTextNode(line)); }
    return div;
  }
  function icon(layer) { return L.divIcon({ className: "resource-marker resource-" + layer, iconSize: [14, 14] }); }

  function pointLayer(name, data) {
    var group = L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false });
    L.geoJSON(data, {
      pointToLayer: function (f, latlng) {
        return L.marker(latlng, { icon: icon(name), title: f.properties.name });
      },
      onEachFeature: function (f, layer) { layer.bindPopup(popup(f.properties)); }
    }).eachLayer(function (m) { group.addLayer(m); });
    return group;
  }

  function load(name) {
    return getJSON(urlFor(name)).then(function (data) {
      var layer = name === "streets"
        ? L.geoJSON(data, { style: { color: "#1d4ed8", weight: 1, dashArray: "4 4", fillColor: "#93c5fd", fillOpacity: 0.15 },
            onEachFeature: function (f, l) { l.bindTooltip(Yingji.text(f.properties.name), { permanent: true, direction: "center", className: "street-label" }); } })
        : pointLayer(name, data);
      layers[name] = layer;
      el.dataset[name] = String(data.features.length);
      return layer;
    });
  }

  function toggle(box) {
    var name = box.dataset.layer;
    var apply = function (layer) { if (box.checked) { layer.addTo(map); } else { map.removeLayer(layer); } el.dataset[name + "Visible"] = String(box.checked); };
    if (layers[name]) { apply(layers[name]); } else { load(name).then(apply); }
  }

  // A legend of the marker colours (resources.css), labelled by the layer toggles' own text.
  var MARKER_COLOURS = { teams: "#b42318", experts: "#7c3aed", equipment: "#0f766e", warehouses: "#a16207",
    shelters: "#15803d", enterprises: "#f59e0b" };
  var legendItems = [];
  document.querySelectorAll("#layer-toggles input[data-layer]").forEach(function (box) {
    var colour = MARKER_COLOURS[box.dataset.layer];
    if (colour) { legendItems.push([colour, box.parentNode.textContent.trim()]); }
  });
  Yingji.legend(map, legendItems, el.dataset.legendTitle);

  base.ready.then(function (boundary) {
    map.fitBounds(boundary.getBounds(), { padding: [10, 10] });
    var boxes = document.querySelectorAll("#layer-toggles input[data-layer]");
    // One layer after another: a gentler load on the server than a burst of parallel queries.
    var chain = Promise.resolve();
    boxes.forEach(function (box) {
      box.addEventListener("change", function () { toggle(box); });
      if (box.checked) {
        chain = chain.then(function () { return load(box.dataset.layer); })
          .then(function (layer) { layer.addTo(map); el.dataset[box.dataset.layer + "Visible"] = "true"; });
      }
    });
    chain.then(function () { el.dataset.ready = "true"; });
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
