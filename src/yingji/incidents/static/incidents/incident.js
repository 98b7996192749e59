// An incident's page: countdowns, and new timeline entries as they happen.
(function () {
  "use strict";
  var page = document.getElementById("incident");
  if (!page) { return; }
  Yingji.countdowns();
  var id = Number(page.dataset.id);
  var list = document.getElementById("timeline");
  Yingji.listen(page.dataset.liveUrl, {
    timeline: function (e) {
      if (e.incident !== id) { return; }
      var li = document.createElement("li"); li.className = "fresh k-" + e.kind;
      var t = document.createElement("time"); t.dateTime = e.at; t.textContent = new Date(e.at).toLocaleString();
      var tag = document.createElement("span"); tag.className = "tag"; tag.textContent = e.kind_label;
      li.appendChild(t); li.appendChild(document.createTextNode(" ")); li.appendChild(tag);
      li.appendChild(document.createTextNode(" " + e.text + " "));
      var who = document.createElement("span"); who.className = "muted"; who.textContent = e.actor; li.appendChild(who);
      list.appendChild(li);
    }
  });
})();

// The material form offers only the items the chosen warehouse has in stock.
(function () {
  "use strict";
  var form = document.getElementById("material-form");
  if (!form) { return; }
  var warehouse = form.querySelector("[name=mat-warehouse]");
  var item = form.querySelector("[name=mat-item]");
  function filter() {
    Array.prototype.forEach.call(item.options, function (option) {
      if (!option.value) { return; }
      var held = (option.dataset.warehouses || "").split(" ").indexOf(warehouse.value) >= 0;
      option.hidden = !held; option.disabled = !held;
      if (!held && option.selected) { item.value = ""; }
    });
  }
  warehouse.addEventListener("change", filter);
  filter();
})();

// The incident's small map: the shared base map, the incident, its dispatched resources and their routes.
(function () {
  "use strict";
  var el = document.getElementById("incident-map");
  if (!el || !window.L) { return; }
  var base = Yingji.basemap(el, { keepView: true, streets: false, collapsed: true });
  var map = base.map;
  var INCIDENT = "#dc2626", RESOURCE = "#2563eb", ROUTE = "#7c3aed";
  Yingji.legend(map, [[INCIDENT, el.dataset.labelIncident], [RESOURCE, el.dataset.labelResource], [ROUTE, el.dataset.labelRoute]]);
  var drawn = L.featureGroup().addTo(map);
  fetch(el.dataset.mapUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(function (data) {
      var counts = { incident: 0, resource: 0, route: 0 };
      L.geoJSON(data, {
        style: function () { return { color: ROUTE, weight: 4, opacity: 0.85 }; },
        pointToLayer: function (f, latlng) {
          var incident = f.properties.role === "incident";
          return L.circleMarker(latlng, { radius: incident ? 8 : 6, color: "#fff", weight: 2,
            fillColor: incident ? INCIDENT : RESOURCE, fillOpacity: 1 });
        },
        onEachFeature: function (f, layer) {
          var p = f.properties;
          counts[p.role] += 1;
          var label = p.name;
          if (p.role === "route") { label += " · " + Math.round(p.eta_s / 60) + " " + el.dataset.labelMinutes; }
          else if (p.status_label) { label += " · " + p.status_label; }
          layer.bindTooltip(Yingji.text(label));
        }
      }).eachLayer(function (layer) { drawn.addLayer(layer); });
      Object.keys(counts).forEach(function (role) { el.dataset[role + "s"] = String(counts[role]); });
      if (drawn.getLayers().length) { map.fitBounds(drawn.getBounds(), { padding: [24, 24], maxZoom: 16 }); }
      el.dataset.ready = "true";
    })
    .catch(function () { el.dataset.ready = "error"; });
})();
