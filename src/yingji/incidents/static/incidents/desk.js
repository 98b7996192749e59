// The duty desk: the district map with open incidents, click-to-locate intake, countdowns and live updates that
// speak up (a sound and a browser notification, each can be muted), one line per alarm updated in place.
(function () {
  "use strict";
  var desk = document.getElementById("desk");
  if (!desk) { return; }
  Yingji.countdowns();
  var el = document.getElementById("map");
  var base = Yingji.basemap(el, { layersUrl: desk.dataset.layersUrl });
  var map = base.map;
  var markers = {};
  var pick = null;
  Yingji.legend(map, [["#ef4444", desk.dataset.legendIncident], ["#2563eb", desk.dataset.legendPicked]]);

  function popup(p) {
    var div = document.createElement("div");
    var a = document.createElement("a"); a.href = p.url; a.textContent = p.code + " " + p.title;
    div.appendChild(a);
    if (p.exercise) { div.appendChild(document.createTextNode(" ")); div.appendChild(exerciseTag()); }
    div.appendChild(document.createElement("br"));
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
    return base.load("incidents").then(function (data) {
      Object.keys(markers).forEach(function (id) { map.removeLayer(markers[id]); delete markers[id]; });
      data.features.forEach(function (f) { place(f.properties); });
      el.dataset.incidents = String(data.features.length);
    });
  }
  refreshMarkers();

  var form = document.getElementById("intake-form");
  map.on("click", function (e) {
    if (!form) { return; }
    var lat = e.latlng.lat.toFixed(6), lon = e.latlng.lng.toFixed(6);
    form.elements.lat.value = lat; form.elements.lon.value = lon;
    if (pick) { map.removeLayer(pick); }
    pick = L.circleMarker(e.latlng, { radius: 8, color: "#1e3a8a", fillColor: "#2563eb", fillOpacity: 0.9 }).addTo(map);
    el.dataset.picked = lat + "," + lon;
  });

  // Speaking up: a short tone (Web Audio, no file to fetch) and a browser notification, each with its own switch.
  var soundButton = document.getElementById("sound-toggle");
  var notifyButton = document.getElementById("notify-toggle");
  var prefs = { sound: localStorage.getItem("yingji.sound") !== "off", notify: localStorage.getItem("yingji.notify") === "on" };
  function showPrefs() {
    if (soundButton) { soundButton.textContent = soundButton.dataset[prefs.sound ? "on" : "off"]; soundButton.setAttribute("aria-pressed", String(prefs.sound)); }
    if (notifyButton) { notifyButton.textContent = notifyButton.dataset[prefs.notify ? "on" : "off"]; notifyButton.setAttribute("aria-pressed", String(prefs.notify)); }
  }
  showPrefs();
  if (soundButton) {
    soundButton.addEventListener("click", function () {
      prefs.sound = !prefs.sound; localStorage.setItem("yingji.sound", prefs.sound ? "on" : "off"); showPrefs();
    });
  }
  if (notifyButton) {
    notifyButton.addEventListener("click", function () {
      prefs.notify = !prefs.notify;
      if (prefs.notify && window.Notification && Notification.permission === "default") { Notification.requestPermission(); }
      localStorage.setItem("yingji.notify", prefs.notify ? "on" : "off"); showPrefs();
    });
  }
  var audio = null;
  function speak(title, body, link) {
    desk.dataset.alerts = String(Number(desk.dataset.alerts || 0) + 1);
    if (prefs.sound && window.AudioContext) {
      try {
        audio = audio || new AudioContext();
        var osc = audio.createOscillator(), gain = audio.createGain();
        osc.frequency.value = 880; gain.gain.value = 0.15;
        osc.connect(gain); gain.connect(audio.destination);
        osc.start(); osc.stop(audio.currentTime + 0.35);
        desk.dataset.sounded = String(Number(desk.dataset.sounded || 0) + 1);
      } catch (err) { /* no audio device: the visual update stays */ }
    }
    if (prefs.notify && window.Notification && Notification.permission === "granted") {
      var n = new Notification(title, { body: body, tag: link });
      n.onclick = function () { window.focus(); if (link) { window.location.href = link; } };
    }
  }

  var tbody = document.querySelector("#open-incidents tbody");
  function cell(tr, content) { var td = document.createElement("td"); if (content) { td.appendChild(content); } tr.appendChild(td); return td; }
  function text(t) { return document.createTextNode(t || ""); }
  function exerciseTag() { var s = document.createElement("span"); s.className = "tag exercise"; s.textContent = desk.dataset.labelExercise; return s; }
  function row(p) {
    var tr = document.createElement("tr"); tr.dataset.id = p.id; tr.className = "fresh";
    var a = document.createElement("a"); a.href = p.url; a.textContent = p.code; cell(tr, a);
    var title = cell(tr, text(p.title));
    if (p.exercise) { title.appendChild(text(" ")); title.appendChild(exerciseTag()); }
    title.appendChild(document.createElement("br"));
    var sub = document.createElement("span"); sub.className = "muted"; sub.textContent = p.type_label + " · " + p.org_name; title.appendChild(sub);
    if (p.grade) { var g = document.createElement("span"); g.className = "grade g" + p.grade; g.textContent = p.grade_label; cell(tr, g); } else { cell(tr, text("—")); }
    cell(tr, text(p.status_label));
    if (p.report_deadline) {
      var due = cell(tr, null);
      var at = document.createElement("span"); at.className = "due-at"; at.textContent = p.report_deadline_local || ""; due.appendChild(at);
      due.appendChild(text(" "));
      var c = document.createElement("span"); c.className = "countdown"; c.dataset.due = p.report_deadline; due.appendChild(c);
    } else { cell(tr, text("—")); }
    return tr;
  }
  function refreshPanels() {
    return fetch(desk.dataset.panelsUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        // Fragments rendered (and escaped) by the platform's own templates.
        document.getElementById("reports-due").innerHTML = data.reports;
        document.getElementById("proposals").innerHTML = data.proposals;
        document.getElementById("proposals-section").hidden = data.proposal_count === 0;
        Yingji.tickCountdowns();
      });
  }
  function upsert(p) {
    place(p);
    var old = tbody.querySelector('tr[data-id="' + p.id + '"]');
    var empty = tbody.querySelector("tr.empty");
    if (empty) { empty.remove(); }
    if (p.action === "created") { speak(desk.dataset.labelNewIncident + " " + p.code, p.title, p.url); }
    if (p.status !== "open" && p.status !== "responding") { if (old) { old.remove(); } }
    else {
      var fresh = row(p);
      if (old) { old.replaceWith(fresh); } else { tbody.insertBefore(fresh, tbody.firstChild); }
    }
    refreshPanels();
  }
  function alarmLine(a) {
    var list = document.getElementById("alarms"); if (!list) { return; }
    var old = list.querySelector('li[data-id="' + a.id + '"]');
    var li = document.createElement("li"); li.dataset.id = a.id; li.className = "fresh level-" + a.level;
    var link = document.createElement("a"); link.href = a.url; link.textContent = a.title; li.appendChild(link);
    var state = document.createElement("span"); state.className = "muted"; state.textContent = " " + (a.status_label || a.status);
    li.appendChild(state);
    // One line per alarm: a level change or acknowledgement updates it in place.
    if (old) { old.replaceWith(li); } else { list.insertBefore(li, list.firstChild); speak(desk.dataset.labelNewAlarm, a.title, a.url); }
  }
  Yingji.listen(desk.dataset.liveUrl, {
    ready: function () { refreshMarkers(); refreshPanels(); },
    incident: upsert,
    alarm: alarmLine,
    proposal: function (p) {
      if (p.status === "pending") { speak(desk.dataset.labelProposal, p.title, ""); }
      refreshPanels();
    },
    timeline: function () { /* the incident page shows the timeline */ }
  }, document.getElementById("live-state"));
})();
