// The hall's safety quiz without sign-in: fetch a random paper, let the visitor answer, score it on the server.
// Question texts are set as text, never as HTML.
(function () {
  "use strict";
  var root = document.getElementById("quiz");
  if (!root) { return; }
  var start = document.getElementById("quiz-start");
  var paperForm = document.getElementById("quiz-paper");
  var list = document.getElementById("questions");
  var result = document.getElementById("quiz-result");
  var error = document.getElementById("quiz-error");
  var label = function (id) { return document.getElementById(id).textContent; };
  var paper = null;
  function show(el, on) { el.hidden = !on; }
  function load() {
    var topic = document.getElementById("topic").value;
    var size = document.getElementById("size").value;
    show(error, false);
    fetch(root.dataset.paperUrl + "?topic=" + encodeURIComponent(topic) + "&size=" + encodeURIComponent(size), { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        paper = data;
        list.textContent = "";
        data.questions.forEach(function (q, i) {
          var li = document.createElement("li");
          li.dataset.question = q.id;
          var p = document.createElement("p");
          p.textContent = q.text;
          li.appendChild(p);
          q.choices.forEach(function (choice, c) {
            var lab = document.createElement("label");
            lab.className = "choice";
            var input = document.createElement("input");
            input.type = "radio";
            input.name = "q" + i;
            input.value = String(c);
            lab.appendChild(input);
            lab.appendChild(document.createTextNode(" " + choice));
            li.appendChild(lab);
          });
          list.appendChild(li);
        });
        show(start, false); show(result, false); show(paperForm, true);
        root.dataset.state = "answering";
      })
      .catch(function () { show(error, true); });
  }
  start.addEventListener("submit", function (e) { e.preventDefault(); load(); });
  paperForm.addEventListener("submit", function (e) {
    e.preventDefault();
    var answers = paper.questions.map(function (q, i) {
      var checked = paperForm.querySelector("input[name=q" + i + "]:checked");
      return { question: q.id, choice: checked ? Number(checked.value) : null };
    });
    fetch(root.dataset.scoreUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ topic: paper.topic, answers: answers })
    })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) {
        data.marked.forEach(function (m, i) {
          var li = list.children[i];
          li.querySelectorAll("label.choice").forEach(function (lab, c) {
            if (c === m.answer) { lab.classList.add("right"); }
            if (c === m.chosen && !m.right) { lab.classList.add("wrong"); }
            lab.querySelector("input").disabled = true;
          });
          var note = document.createElement("p");
          note.className = "muted";
          note.textContent = (m.right ? label("t-right") : label("t-wrong") + " " + String.fromCharCode(65 + m.answer)) +
            (m.explanation ? " · " + m.explanation : "");
          li.appendChild(note);
        });
        document.getElementById("score").textContent = String(data.score);
        document.getElementById("tally").textContent = data.correct + " " + label("t-of") + " " + data.total;
        paperForm.querySelector("button[type=submit]").hidden = true;
        show(result, true);
        result.scrollIntoView({ block: "center" });
        root.dataset.state = "scored";
      })
      .catch(function () { show(error, true); });
  });
  document.getElementById("again").addEventListener("click", function () {
    paperForm.querySelector("button[type=submit]").hidden = false;
    show(paperForm, false); show(result, false); show(start, true);
  });
})();
