// Staff list of public hazard reports: new reports announced live (a static file: the CSP refuses inline scripts).
(function () {
  "use strict";
  var el = document.getElementById("leads");
  if (!el) { return; }
  Yingji.listen(el.dataset.liveUrl, {
    lead: function (d) {
      if (d.status !== "new") { return; }
      document.getElementById("live-note").hidden = false;
      var item = document.createElement("span");
      item.textContent = d.receipt + " " + d.kind_label + "（" + d.street + "） ";
      document.getElementById("live-list").appendChild(item);
    }
  }, document.getElementById("live-state"));
})();
