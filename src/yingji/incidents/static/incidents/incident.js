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
