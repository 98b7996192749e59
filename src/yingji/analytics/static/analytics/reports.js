// The report archive: rows still building poll their status and move their progress bar; done rows get their links.
(function () {
  "use strict";
  var root = document.getElementById("reports");
  if (!root) { return; }
  function url(id) { return root.dataset.statusUrl.replace(/0\/?$/, id); }
  function link(href, text) { var a = document.createElement("a"); a.href = href; a.textContent = text; return a; }
  function poll() {
    var rows = root.querySelectorAll('tr[data-status="queued"], tr[data-status="running"]');
    if (!rows.length) { return; }
    rows.forEach(function (tr) {
      fetch(url(tr.dataset.id), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) {
          if (!s) { return; }
          tr.dataset.status = s.status;
          var bar = tr.querySelector(".progress");
          if (bar) { bar.setAttribute("aria-valuenow", s.progress); bar.firstElementChild.style.width = s.progress + "%"; }
          if (s.status === "done" || s.status === "failed") {
            tr.querySelector(".status").textContent = s.status === "done" ? "✓" : "✗ " + s.error;
            if (bar) { bar.remove(); }
            if (s.xlsx_url) {
              var files = tr.querySelector(".files");
              files.replaceChildren(link(s.xlsx_url, "Excel"), document.createTextNode(" · "), link(s.pdf_url, "PDF"));
            }
          }
        });
    });
    setTimeout(poll, 1500);
  }
  poll();
})();
