// The duty desk: map of open incidents, click-to-locate intake, countdowns and live updates.
(function () {
  "use strict";
  var desk = document.getElementById("desk");
  if (!desk) { return; }
  Yingji.countdowns();
  var urlFor = function (layer) { return desk.dataset.layersUrl.replace("__layer__", layer); };
  var el = document.getElementById("map");
  var map = L.map(el, { preferCanvas: true, zoomSnap: 0.25, attributionControl: false });
  var markers = {};
  var pick = null;

  function load(layer) {
    return fetch(urlFor(layer), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(layer + ": " + r.status); } return r.json(); });
  }
  function popup(p) {
    var div = document.createElement("div");
    var a = document.createElement("a"); a.href = p.url; a.textContent = p.code + " " + p.title;
    div.appendChild(a); div.appendChild(document.createElement("br"));
    div.appendChild(document.createTextNode(p.type_label + " · " + p.status_label + (p.grade_label ? " · " + p.grade_label : "")));
    return div;
  }
  function place(p) {
    if (markers[p.id]) { map.removeLayer(markers[p.id]); delete markers[p.id]; }
    if (p.lat === null || p.lat === undefined || (p.status !== "open" && p.status !== "responding")) { return; }
    markers[p.id] = L.circleMarker([p.lat, p.lon], { radius: 8, color: "#7f1d1d", weight: 2, fillColor: "#ef4444", fillOpacity: 0.9 })
      .bindPopup(popup(p)).addTo(map);
  }
  function refreshMarkers() {
    return load("incidents").then(function (data) {
      Object.keys(markers).forEach(function (id) { map.removeLayer(markers[id]); delete markers[id]; });
      data.features.forEach(function (f) { place(f.properties); });
      el.dataset.incidents = String(data.features.length);
    });
  }
  load("district").then(function (data) {
    var boundary = L.geoJSON(data, { style: { color: "#b42318", weight: 3, fill: true, fillOpacity: 0.04 } }).addTo(map);
    map.fitBounds(boundary.getBounds(), { padding: [10, 10] });
    el.dataset.boundaryLoaded = "true";
  });
  load("streets").then(function (data) {
    L.geoJSON(data, { style: { color: "#1d4ed8", weight: 1, dashArray: "4 4", fillColor: "#93c5fd", fillOpacity: 0.12 } }).addTo(map);
  });
  refreshMarkers();

  var form = document.getElementById("intake-form");
  map.on("click", function (e) {
    if (!form) { return; }
    var lat = e.latlng.lat.toFixed(6), lon = e.latlng.lng.toFixed(6);
    form.elements.lat.value = lat; form.elements.lon.value = lon;
    if (pick) { map.removeLayer(pick); }
    pick = L.marker(e.latlng).addTo(map);
    el.dataset.picked = lat + "," + lon;
  });

  var tbody = document.querySelector("#open-incidents tbody");
  function cell(tr, content) { var td = document.createElement("td"); if (content) { td.appendChild(content); } tr.appendChild(td); return td; }
  function text(t) { return document.createTextNode(t || ""); }
  function row(p) {
    var tr = document.createElement("tr"); tr.dataset.id = p.id; tr.className = "fresh";
    var a = document.createElement("a"); a.href = p.url; a.textContent = p.code; cell(tr, a);
    var title = cell(tr, text(p.title)); title.appendChild(document.createElement("br"));
    var sub = document.createElement("span"); sub.className = "muted"; sub.textContent = p.type_label + " · " + p.org_name; title.appendChild(sub);
    if (p.grade) { var g = document.createElement("span"); g.className = "grade g" + p.grade; g.textContent = p.grade_label; cell(tr, g); } else { cell(tr, text("—")); }
    cell(tr, text(p.status_label));
    if (p.report_deadline) { var c = document.createElement("span"); c.className = "countdown"; c.dataset.due = p.report_deadline; cell(tr, c); } else { cell(tr, text("—")); }
    return tr;
  }
  function upsert(p) {
    place(p);
    var old = tbody.querySelector('tr[data-id="' + p.id + '"]');
    var empty = tbody.querySelector("tr.empty");
    if (empty) { empty.remove(); }
    if (p.status !== "open" && p.status !== "responding") { if (old) { old.remove(); } return; }
    var fresh = row(p);
    if (old) { old.replaceWith(fresh); } else { tbody.insertBefore(fresh, tbody.firstChild); }
    Yingji.tickCountdowns();
  }
  Yingji.listen(desk.dataset.liveUrl, {
    ready: refreshMarkers,
    incident: upsert,
    alarm: function (a) {
      var list = document.getElementById("alarms"); if (!list) { return; }
      var li = document.createElement("li"); li.className = "fresh"; li.textContent = a.title; list.insertBefore(li, list.firstChild);
    }
  }, document.getElementById("live-state"));
})();
