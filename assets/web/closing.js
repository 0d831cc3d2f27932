// 本日の受付終了処理: one press checks out everyone still here. The server
// refuses while a team is out and says which; the page shows its words.
"use strict";
(function () {
  const api = window.Borasen.api;
  const button = document.getElementById("close-day");
  const error = document.getElementById("closing-error");
  const result = document.getElementById("closing-result");
  button.addEventListener("click", async function () {
    if (!confirm(Borasen.t("closing.are_you_sure"))) return;
    button.disabled = true;
    error.hidden = true;
    const answer = await api("POST", "/api/closing", {});
    if (!answer.ok) {
      error.textContent = (answer.body.error || {}).message || Borasen.t("closing.could_not_close");
      error.hidden = false;
      button.disabled = false;
      return;
    }
    result.textContent = Borasen.t("closing.checked_out", { count: String(answer.body.checked_out.length) });
    result.hidden = false;
    document.querySelectorAll("#still-here tbody tr").forEach(function (row) { row.classList.add("done"); });
    document.getElementById("still-count").textContent = "0";
  });
})();
