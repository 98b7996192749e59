// Draws a road network (no tiles: the roads are the map). Faster classes are drawn thicker.
(function () {
  "use strict";
  const el = document.getElementById("roadmap");
  if (!el || !window.L) return;
  const [south, west, north, east] = el.dataset.bounds.split(",").map(Number);
  const map = L.map(el, { preferCanvas: true }).fitBounds([[south, west], [north, east]]);
  const weight = { motorway: 4, trunk: 4, primary: 3.5, secondary: 3, tertiary: 2.5, bridge: 3 };
  fetch(el.dataset.geojson, { credentials: "same-origin" })
    .then((response) => response.json())
    .then((data) => {
      L.geoJSON(data, {
        style: (feature) => ({ color: "#475569", weight: weight[feature.properties.road_class] || 1.5, opacity: 0.8 }),
      }).addTo(map);
      el.dataset.roadsLoaded = String(data.features.length);
    });
})();
