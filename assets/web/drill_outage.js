// A drill's outage on a player's page (loaded by common.js on drill servers):
// - when the server answers `drill_outage` (this desk is offline), the page is
//   covered by 「訓練：停電中」 with the server's message until `Retry-After`
//   has passed: the section works on paper meanwhile;
// - the 紙の時刻 (paper time) control: while it holds a time, every write of
//   this tab carries `Paper-Time`, so a paper record entered after the outage
//   is recorded as a late entry with the time written on the paper.
"use strict";
(function () {
  const B = window.Borasen;
  const KEY = "borasen-paper-time";
  let cover = null;
  let lifted = 0;

  function kept() {
    try { return sessionStorage.getItem(KEY) || ""; } catch (e) { return ""; }
  }
  function keep(value) {
    try { if (value) sessionStorage.setItem(KEY, value); else sessionStorage.removeItem(KEY); } catch (e) { /* no storage */ }
  }
  B.paperTime = kept;

  function showOutage(answer) {
    const error = (answer.body && answer.body.error) || {};
    const seconds = Math.max(1, answer.retryAfter || 30);
    if (!cover) {
      cover = B.el("div", "drill-outage");
      cover.id = "drill-outage";
      cover.setAttribute("role", "alertdialog");
      cover.setAttribute("aria-modal", "true");
      document.body.appendChild(cover);
    }
    cover.replaceChildren(
      B.el("h2", "", B.t("drill.outage.heading")),
      B.el("p", "", error.message || ""),
      B.el("p", "drill-outage-paper", B.t("drill.outage.paper")),
    );
    clearTimeout(lifted);
    lifted = setTimeout(function () { if (cover) { cover.remove(); cover = null; } }, seconds * 1000);
  }
  document.addEventListener("borasen:drill-outage", function (e) { showOutage(e.detail); });

  function paperControl() {
    const box = B.el("div", "drill-paper-time");
    const label = B.el("label", "");
    label.appendChild(B.el("span", "", B.t("drill.outage.paper_time") + " "));
    const input = document.createElement("input");
    input.type = "time";
    input.id = "drill-paper-time";
    input.value = kept();
    input.title = B.t("drill.outage.paper_hint");
    input.addEventListener("change", function () { keep(input.value); box.classList.toggle("on", !!input.value); });
    label.appendChild(input);
    const clear = B.el("button", "", B.t("drill.outage.clear"));
    clear.type = "button";
    clear.addEventListener("click", function () { input.value = ""; keep(""); box.classList.remove("on"); });
    box.appendChild(label);
    box.appendChild(clear);
    box.classList.toggle("on", !!input.value);
    document.body.appendChild(box);
  }
  paperControl();
})();
