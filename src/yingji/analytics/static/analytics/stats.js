// The statistics page's chart: incidents by month against the same months a year earlier.
(function () {
  "use strict";
  var data = document.getElementById("trend-data");
  if (!data || !window.Chart) { return; }
  var t = JSON.parse(data.textContent);
  new Chart(document.getElementById("chart-trend"), {
    type: "bar",
    data: { labels: t.labels, datasets: [
      { label: t.previous_label, data: t.previous, backgroundColor: "#a0aec0" },
      { label: t.current_label, data: t.current, backgroundColor: "#b42318" }
    ] },
    options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
})();
