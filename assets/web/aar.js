// The AAR page: print, and each improvement-plan row saved on its own
// (POST /api/drill/plan; a new row is sent without `row`), then a reload.
"use strict";
(function () {
  const print = document.getElementById("print");
  if (print) print.addEventListener("click", function () { window.print(); });
  const error = document.getElementById("plan-error");
  document.querySelectorAll(".save-plan").forEach(function (button) {
    button.addEventListener("click", async function () {
      const row = button.closest(".plan-row");
      const field = function (name) { return row.querySelector("[name=" + name + "]").value.trim(); };
      const payload = { issue: field("issue"), action: field("action"), owner: field("owner"), due: field("due") };
      if (row.dataset.row) payload.row = Number(row.dataset.row);
      button.disabled = true;
      const answer = await Borasen.api("POST", "/api/drill/plan", payload);
      button.disabled = false;
      if (answer.ok) { location.reload(); return; }
      error.textContent = (answer.body.error && answer.body.error.message) || Borasen.t("aar.could_not_save");
      error.hidden = false;
    });
  });
})();
