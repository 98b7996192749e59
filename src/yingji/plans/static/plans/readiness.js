// The readiness map: each street's centre, red where the scenario's needs cannot all arrive in time.
(function () {
  "use strict";
  var el = document.getElementById("readiness-map");
  var data = document.getElementById("readiness-points");
  if (!el || !data || !window.L) { return; }
  var base = Yingji.basemap(el);
  JSON.parse(data.textContent).forEach(function (p) {
    var colour = p.shortfall > 0 ? "#b42318" : "#15803d";
    L.circleMarker([p.lat, p.lon], { radius: 9, color: colour, fillColor: colour, fillOpacity: 0.7 })
      .bindTooltip(Yingji.text(p.name + " · " + p.shortfall)).addTo(base.map);
  });
})();
