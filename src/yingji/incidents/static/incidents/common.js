// Shared by the duty-desk pages: report countdowns and the live event stream.
var Yingji = (function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function format(seconds, overdueLabel) {
    var late = seconds < 0, s = Math.abs(seconds);
    var text = Math.floor(s / 3600) + ":" + pad(Math.floor(s / 60) % 60) + ":" + pad(s % 60);
    return late ? overdueLabel + " " + text : text;
  }
  function tickCountdowns() {
    var overdue = (document.getElementById("t-overdue") || { textContent: "-" }).textContent.trim() || "-";
    var now = Date.now();
    document.querySelectorAll(".countdown[data-due]").forEach(function (el) {
      var left = Math.round((Date.parse(el.dataset.due) - now) / 1000);
      el.textContent = format(left, overdue);
      el.classList.toggle("overdue", left < 0);
      el.classList.toggle("soon", left >= 0 && left < 1800);
    });
  }
  function countdowns() { tickCountdowns(); setInterval(tickCountdowns, 1000); }
  // Listen to a live channel; handlers maps event names to functions of the parsed data.
  function listen(url, handlers, stateEl) {
    if (!url || !window.EventSource) { return null; }
    var source = new EventSource(url);
    source.addEventListener("ready", function () {
      if (stateEl) { stateEl.classList.add("on"); }
      if (handlers.ready) { handlers.ready(); }
    });
    source.onerror = function () { if (stateEl) { stateEl.classList.remove("on"); } };
    Object.keys(handlers).forEach(function (name) {
      if (name === "ready") { return; }
      source.addEventListener(name, function (e) { handlers[name](JSON.parse(e.data)); });
    });
    return source;
  }
  return { countdowns: countdowns, tickCountdowns: tickCountdowns, listen: listen };
})();
