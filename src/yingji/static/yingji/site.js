// Behaviour every page shares, kept out of the templates: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  // <select data-autosubmit>: submit its form on change (the language switch).
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("select[data-autosubmit]") && e.target.form) { e.target.form.submit(); }
  });
  // <button data-print>: print the page.
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-print]")) { window.print(); }
  });
})();
