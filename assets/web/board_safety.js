// The board's 暑さ・警報 panel: the WBGT reading and its band, weather warnings,
// the suspension prompts the coordinator confirms or declines (with a reason),
// and rest reminders for teams out. Reads /api/safety again after each safety
// or team event the board applies (`borasen:event`) and every 30 s, since rest
// cycles turn with the clock.
"use strict";
(function () {
  const card = document.getElementById("safety-card");
  if (!card) return;
  const reading = document.getElementById("wbgt-now");
  const prompts = document.getElementById("safety-prompts");
  const rest = document.getElementById("rest-reminders");
  const error = document.getElementById("safety-error");

  function hm(at) { return (at || "").slice(11, 16); }
  function li(text, className) {
    const item = document.createElement("li");
    if (className) item.className = className;
    item.textContent = text;
    return item;
  }
  function showError(answer) {
    error.textContent = answer && answer.body && answer.body.error ? answer.body.error.message : String(answer.status);
    error.hidden = false;
  }

  function drawReading(wbgt) {
    if (!wbgt) { reading.textContent = Borasen.t("board.safety.no_reading"); reading.className = ""; return; }
    const band = wbgt.band;
    const values = { wbgt: wbgt.wbgt.toFixed(1), at: hm(wbgt.at), band: band ? band.name : Borasen.t("board.safety.below_bands") };
    let text = Borasen.t("board.safety.reading", values);
    if (band && band.work_minutes && band.rest_minutes) {
      text += " " + Borasen.t("board.safety.cycle", { work: band.work_minutes, rest: band.rest_minutes });
    }
    if (band && band.max_out_minutes) text += " " + Borasen.t("board.safety.max_out", { minutes: band.max_out_minutes });
    reading.textContent = text;
    reading.className = band ? "alert" : "";
  }

  function alertText(a) {
    const kind = Borasen.label("board.safety.kind.", a.kind);
    return Borasen.t("board.safety.prompt", { at: hm(a.at), kind: kind, note: a.note });
  }

  function drawPrompts(alerts) {
    prompts.textContent = "";
    for (const a of alerts) {
      const item = li(alertText(a), "alert safety-prompt");
      item.dataset.alert = String(a.id);
      const reason = document.createElement("input");
      reason.name = "reason";
      reason.maxLength = 200;
      reason.placeholder = Borasen.t("board.safety.reason");
      reason.setAttribute("aria-label", Borasen.t("board.safety.reason"));
      const suspend = document.createElement("button");
      suspend.type = "button";
      suspend.className = "danger";
      suspend.dataset.decision = "suspend";
      suspend.textContent = Borasen.t("board.safety.suspend");
      const carryOn = document.createElement("button");
      carryOn.type = "button";
      carryOn.dataset.decision = "continue";
      carryOn.textContent = Borasen.t("board.safety.continue");
      for (const button of [suspend, carryOn]) {
        button.addEventListener("click", async function () {
          const answer = await Borasen.api("POST", "/api/safety/alerts/" + a.id + "/decision",
            { decision: button.dataset.decision, reason: reason.value });
          if (answer.ok) { error.hidden = true; load(); } else showError(answer);
        });
      }
      item.append(" ", reason, " ", suspend, " ", carryOn);
      prompts.appendChild(item);
    }
  }

  function drawRest(teams) {
    rest.textContent = "";
    for (const r of teams) {
      const values = { team: r.team_no, from: hm(r.rest_from), until: hm(r.rest_until) };
      const item = r.resting ? li(Borasen.t("board.safety.resting", values), "alert rest-now") : li(Borasen.t("board.safety.next_rest", values));
      item.dataset.team = r.team_no;
      rest.appendChild(item);
    }
  }

  async function load() {
    const answer = await Borasen.api("GET", "/api/safety");
    if (!answer.ok) return;
    drawReading(answer.body.wbgt);
    drawPrompts(answer.body.alerts);
    drawRest(answer.body.rest);
  }

  document.getElementById("wbgt-form").addEventListener("submit", async function (e) {
    e.preventDefault();
    const input = e.target.elements.wbgt;
    const value = input.value.trim() === "" ? null : Number(input.value);
    const answer = await Borasen.api("POST", "/api/safety/wbgt", { wbgt: value });
    if (answer.ok) { input.value = ""; error.hidden = true; load(); } else showError(answer);
  });

  document.getElementById("warning-form").addEventListener("submit", async function (e) {
    e.preventDefault();
    const form = e.target;
    const answer = await Borasen.api("POST", "/api/safety/alerts", { kind: form.elements.kind.value, note: form.elements.note.value });
    if (answer.ok) { form.elements.note.value = ""; error.hidden = true; load(); } else showError(answer);
  });

  let timer = 0;
  document.addEventListener("borasen:event", function (e) {
    const kind = e.detail.kind;
    if (kind.startsWith("wbgt.") || kind.startsWith("alert.") || kind.startsWith("team.") || kind.startsWith("center.")) {
      clearTimeout(timer);
      timer = setTimeout(load, 500);
    }
  });
  setInterval(load, 30000);
  load();
})();
