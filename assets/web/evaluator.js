// The evaluator's page: each mark (POST /api/drill/expects/{id}/mark) and each
// finding (POST /api/drill/findings) is sent on its own, then the page reloads.
"use strict";
(function () {
  const error = document.getElementById("evaluation-error");
  async function send(form, path, payload) {
    const button = form.querySelector("button");
    button.disabled = true;
    const answer = await Borasen.api("POST", path, payload);
    button.disabled = false;
    if (answer.ok) { location.reload(); return; }
    error.textContent = (answer.body.error && answer.body.error.message) || Borasen.t("evaluator.could_not_save");
    error.hidden = false;
  }
  document.querySelectorAll(".mark-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const payload = { verdict: form.verdict.value, note: form.note.value.trim() };
      send(form, "/api/drill/expects/" + form.dataset.inject + "/mark", payload);
    });
  });
  document.querySelectorAll(".finding-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const payload = { objective: form.dataset.objective, kind: form.kind.value, text: form.text.value.trim() };
      send(form, "/api/drill/findings", payload);
    });
  });
})();
