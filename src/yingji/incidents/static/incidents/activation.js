// Activating a plan from the incident page: the API does the work, the page reloads to show tasks and card.
(function () {
  "use strict";
  var box = document.getElementById("incident-plans");
  if (!box) { return; }
  function csrf() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }
  box.addEventListener("submit", function (event) {
    var form = event.target.closest("form.activate-plan");
    if (!form) { return; }
    event.preventDefault();
    var error = document.getElementById("activation-error");
    fetch(box.dataset.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), Accept: "application/json" },
      body: JSON.stringify({ plan: Number(form.elements.plan.value), level: form.elements.level.value })
    }).then(function (response) {
      if (response.ok) { window.location.reload(); return null; }
      return response.json().then(function (body) { error.textContent = body.detail; error.hidden = false; });
    });
  });
})();
