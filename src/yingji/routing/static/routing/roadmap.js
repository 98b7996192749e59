// Draws a road network (no tiles: the roads are the map), styled by class as the base map under every map draws
// them, with a legend of the classes present. The network shown may not be the active one, so it is drawn here.
(function () {
  "use strict";
  const el = document.getElementById("roadmap");
  if (!el || !window.L) return;
  const [south, west, north, east] = el.dataset.bounds.split(",").map(Number);
  const map = L.map(el, { preferCanvas: true }).fitBounds([[south, west], [north, east]]);
  el.leafletMap = map;
  fetch(el.dataset.geojson, { credentials: "same-origin" })
    .then((response) => response.json())
    .then((data) => {
      L.geoJSON(data, { style: (feature) => Yingji.roadStyle(feature.properties.road_class) }).addTo(map);
      el.dataset.roadsLoaded = String(data.features.length);
      Yingji.legend(map, data.features.map((f) => [Yingji.roadStyle(f.properties.road_class).color, f.properties.label]));
    });
})();
