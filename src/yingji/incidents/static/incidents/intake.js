// Intake form: the incident-type list shows only the types of the chosen category (事件类别 → 事件类型).
// Without JavaScript the list stays grouped by category and the server refuses a type of another category.
(function () {
  "use strict";
  document.querySelectorAll("select[name=category]").forEach(function (category) {
    var form = category.form;
    var type = form && form.querySelector("select[name=type]");
    if (!type) { return; }
    function filter() {
      var chosen = category.value;
      type.querySelectorAll("optgroup").forEach(function (group) {
        var match = false;
        group.querySelectorAll("option").forEach(function (option) {
          var fits = option.dataset.category === chosen;
          option.hidden = !fits;
          option.disabled = !fits;
          match = match || fits;
        });
        group.hidden = !match;
      });
      var current = type.options[type.selectedIndex];
      if (!current || current.disabled) {
        var first = type.querySelector("option:not([disabled])[value]:not([value=''])");
        type.value = first ? first.value : "";
      }
    }
    category.addEventListener("change", filter);
    filter();
  });
})();
