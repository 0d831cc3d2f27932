// 特記事項 of today's 日報, on the board: read with its version, written whole.
// A change by somebody else meanwhile is refused (409) and the box says so.
"use strict";
(function () {
  const form = document.getElementById("remarks-form");
  if (!form) return;
  const error = document.getElementById("remarks-error");
  const saved = document.getElementById("remarks-saved");
  let day = null;
  let version = 0;

  async function load() {
    const answer = await Borasen.api("GET", "/api/reports/daily/record");
    if (!answer.ok) return;
    day = answer.body.day;
    version = answer.body.remarks.version;
    form.elements.text.value = answer.body.remarks.text;
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    error.hidden = true;
    saved.hidden = true;
    const answer = await Borasen.api("PUT", "/api/reports/daily/remarks", { date: day, text: form.elements.text.value, version: version });
    if (!answer.ok) {
      error.textContent = (answer.body && answer.body.error) ? answer.body.error.message : String(answer.status);
      error.hidden = false;
      return;
    }
    version = answer.body.version;
    saved.textContent = Borasen.t("board.remarks.saved", { at: (answer.body.written_at || "").slice(11, 16) });
    saved.hidden = false;
  });

  load();
})();
