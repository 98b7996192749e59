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
