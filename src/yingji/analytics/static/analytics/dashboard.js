// The command dashboard: fetches its figures from the API, draws them (Chart.js, served by the platform) and the
// map (Yingji.basemap), and refreshes when the duty channel reports an incident, a timeline entry or an alarm.
// Every label from data is set as text, never as HTML.
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root) { return; }
  var T = JSON.parse(document.getElementById("dashboard-labels").textContent);
  var LEVEL_COLOURS = { blue: "#3b82f6", yellow: "#eab308", orange: "#f97316", red: "#dc2626" };
  var GRADE_COLOURS = { I: "#dc2626", II: "#f97316", III: "#eab308", IV: "#3b82f6", ungraded: "#64748b" };
  var charts = {};
  if (window.Chart) {
    Chart.defaults.color = "#cbd5e1";
    Chart.defaults.borderColor = "#1e3a5f";
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  }

  function byId(id) { return document.getElementById(id); }
  function setText(id, value) { var el = byId(id); if (el) { el.textContent = value == null ? "—" : String(value); } }
  function time(iso) { var d = new Date(iso); return isNaN(d) ? "" : d.toLocaleTimeString("zh-CN", { hour: "2-digit", minute: "2-digit" }); }
  function day(iso) { var d = new Date(iso); return isNaN(d) ? "" : (d.getMonth() + 1) + "-" + d.getDate() + " " + time(iso); }
  function item(parts, url, level) {
    var li = document.createElement("li");
    if (level) { var sw = document.createElement("i"); sw.className = "lvl " + level; li.appendChild(sw); }
    parts.forEach(function (p, i) {
      var span = document.createElement(i === parts.length - 1 && url ? "a" : "span");
      if (span.tagName === "A") { span.href = url; }
      if (i === 0 && parts.length > 1) { span.className = "when"; }
      span.textContent = p;
      li.appendChild(span);
    });
    return li;
  }
  function fill(id, rows, empty) {
    var list = byId(id);
    var old = {};
    list.querySelectorAll("li").forEach(function (li) { old[li.textContent] = true; });
    list.replaceChildren();
    if (!rows.length) { var li = document.createElement("li"); li.className = "muted"; li.textContent = empty; list.appendChild(li); return; }
    rows.forEach(function (li) { if (!old[li.textContent] && Object.keys(old).length) { li.classList.add("fresh"); } list.appendChild(li); });
  }
  function chart(id, type, labels, datasets, options) {
    if (!window.Chart) { return; }
    if (charts[id]) {
      charts[id].data.labels = labels;
      charts[id].data.datasets.forEach(function (ds, i) { ds.data = datasets[i].data; });
      charts[id].update();
      return;
    }
    charts[id] = new Chart(byId(id), {
      type: type,
      data: { labels: labels, datasets: datasets },
      options: Object.assign({ responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: datasets.length > 1 } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }, options || {})
    });
  }

  function render(d) {
    var open = d.open_incidents, alarms = d.alarms, res = d.resources;
    setText("kpi-open", open.count);
    setText("kpi-today", d.incidents_today);
    setText("kpi-alarms", alarms.count);
    setText("kpi-warnings", d.warnings.count);
    setText("kpi-standby", res.teams.standby.teams);
    setText("kpi-deployed", res.teams.deployed.teams);
    var duty = byId("duty-list");
    duty.replaceChildren();
    if (!d.on_duty.length) { var p = document.createElement("p"); p.className = "muted"; p.textContent = T.nobody; duty.appendChild(p); }
    d.on_duty.forEach(function (s) {
      [[T.officer, s.officer], [T.leader, s.leader], [T.phone, s.phone]].forEach(function (pair) {
        if (!pair[1]) { return; }
        var p = document.createElement("p"); p.appendChild(document.createTextNode(pair[0] + "：")); var b = document.createElement("strong"); b.textContent = pair[1]; p.appendChild(b); duty.appendChild(p);
      });
    });
    var grades = Object.keys(open.by_grade);
    chart("chart-grades", "bar", grades.map(function (g) { return open.grade_labels[g]; }),
      [{ label: T.open, data: grades.map(function (g) { return open.by_grade[g]; }), backgroundColor: grades.map(function (g) { return GRADE_COLOURS[g]; }) }],
      { indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } });
    fill("open-list", open.latest.map(function (i) { return item([time(i.received_at), i.code + " " + i.title + (i.grade_label ? " · " + i.grade_label : "")], i.url); }), T.none);
    var levels = Object.keys(alarms.by_level);
    chart("chart-alarms", "bar", levels.map(function (l) { return alarms.level_labels[l]; }),
      [{ label: T.alarms, data: levels.map(function (l) { return alarms.by_level[l]; }), backgroundColor: levels.map(function (l) { return LEVEL_COLOURS[l]; }) }]);
    fill("alarm-list", alarms.latest.map(function (a) { return item([time(a.raised_at), a.device + " · " + a.rule], a.url, a.level); }), T.none);
    fill("warning-list", d.warnings.latest.map(function (w) { return item([w.event_label, w.headline], w.url, w.level); }), T.none);
    var statuses = Object.keys(res.teams);
    chart("chart-resources", "bar", statuses.map(function (s) { return res.team_labels[s]; }), [
      { label: T.teams, data: statuses.map(function (s) { return res.teams[s].teams; }), backgroundColor: "#38bdf8" },
      { label: T.people, data: statuses.map(function (s) { return res.teams[s].people; }), backgroundColor: "#a78bfa" }
    ]);
    setText("equipment-line", T.equipment_ready + " " + res.equipment_ready + " · " + T.equipment_in_use + " " + res.equipment_in_use);
    fill("recent-list", d.recent.map(function (e) { return item([day(e.at), e.text], e.url); }), T.none);
    var months = Object.keys(d.trends.incidents_by_month);
    chart("chart-trend", "line", months, [{ label: T.incidents, data: months.map(function (m) { return d.trends.incidents_by_month[m]; }), borderColor: "#fbbf24", backgroundColor: "#fbbf24", tension: 0.25 }]);
    Object.keys(d.panels || {}).forEach(function (name) {
      var panel = d.panels[name], id = "kpi-panel-" + name, box = byId(id);
      if (!box) {
        box = document.createElement("div"); box.id = id;
        var value = document.createElement(panel.url ? "a" : "span"); value.className = "kpi";
        if (panel.url) { value.href = panel.url; }
        var label = document.createElement("span");
        box.appendChild(value); box.appendChild(label);
        document.querySelector(".kpis").appendChild(box);
      }
      box.firstChild.textContent = panel.value == null ? "—" : String(panel.value);
      box.lastChild.textContent = panel.label;
    });
    root.dataset.refreshed = String(Number(root.dataset.refreshed || 0) + 1);
  }

  function refresh() {
    return fetch(root.dataset.dataUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(render)
      .catch(function (e) { root.dataset.error = String(e); });
  }

  var mapEl = byId("map");
  var base = Yingji.basemap(mapEl, { collapsed: false });
  var incidentLayer = L.layerGroup().addTo(base.map);
  var alarmLayer = L.layerGroup().addTo(base.map);
  base.control.addOverlay(incidentLayer, T.incidents);
  base.control.addOverlay(alarmLayer, T.alarms);
  Yingji.legend(base.map, [["#ef4444", T.incidents], ["#eab308", T.alarms]]);
  function popup(text, url) {
    var a = document.createElement(url ? "a" : "span"); if (url) { a.href = url; } a.textContent = text; return a;
  }
  function loadMap() {
    base.load("incidents").then(function (data) {
      incidentLayer.clearLayers();
      data.features.forEach(function (f) {
        var p = f.properties, c = f.geometry.coordinates;
        L.circleMarker([c[1], c[0]], { radius: 9, color: "#7f1d1d", weight: 2, fillColor: "#ef4444", fillOpacity: 0.9 })
          .bindPopup(popup(p.code + " " + p.title, p.url)).addTo(incidentLayer);
      });
      mapEl.dataset.incidents = String(data.features.length);
    }).catch(function () {});
    base.load("alarms").then(function (data) {
      alarmLayer.clearLayers();
      data.features.forEach(function (f) {
        var p = f.properties, c = f.geometry.coordinates;
        L.circleMarker([c[1], c[0]], { radius: 6, color: "#1e293b", weight: 1, fillColor: LEVEL_COLOURS[p.level] || "#eab308", fillOpacity: 0.95 })
          .bindPopup(popup(p.name + " · " + p.level_label, p.url)).addTo(alarmLayer);
      });
      mapEl.dataset.alarms = String(data.features.length);
    }).catch(function () {});
  }

  // Layers of apps that exist on this installation (the risk map, overdue hidden dangers), drawn as they come.
  var extra = JSON.parse((byId("dashboard-layers") || { textContent: "[]" }).textContent);
  var extraLayers = {};
  extra.forEach(function (layer) {
    extraLayers[layer.name] = L.layerGroup().addTo(base.map);
    base.control.addOverlay(extraLayers[layer.name], layer.label);
  });
  function loadExtra() {
    extra.forEach(function (layer) {
      var name = layer.name;
      base.load(name).then(function (data) {
        extraLayers[name].clearLayers();
        L.geoJSON(data, {
          style: function (f) { var c = (f.properties || {}).color || "#a855f7"; return { color: c, fillColor: c, weight: 1, fillOpacity: 0.35 }; },
          pointToLayer: function (f, latlng) { var c = (f.properties || {}).color || "#a855f7"; return L.circleMarker(latlng, { radius: 5, color: c, fillColor: c, fillOpacity: 0.9 }); },
          onEachFeature: function (f, layer) { if (f.properties && f.properties.name) { layer.bindPopup(popup(f.properties.name, f.properties.url)); } }
        }).addTo(extraLayers[name]);
      }).catch(function () {});
    });
  }
  loadExtra();

  var pending = null;
  function soon() {
    clearTimeout(pending);
    pending = setTimeout(function () { refresh(); loadMap(); }, 400);
  }
  Yingji.listen(root.dataset.liveUrl, { incident: soon, timeline: soon, alarm: soon }, byId("live-state"));
  function tick() { setText("clock", new Date().toLocaleString("zh-CN", { hour12: false })); }
  tick(); setInterval(tick, 1000);
  refresh(); loadMap();
  // Warnings and duty change without a live event: look again every minute.
  setInterval(function () { refresh(); loadMap(); }, 60000);
})();
