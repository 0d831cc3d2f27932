// The trainer console (/drill): draws GET /api/drill every 2 s and after each
// command, ticks the drill clock locally between polls (speed × real time while
// running), and posts the trainer's commands: start, pause, resume, stop,
// speed, fire or skip an inject, ratings, observations, the improvement plan.
"use strict";
(function () {
  const api = window.Borasen.api;
  const el = window.Borasen.el;
  const $ = function (id) { return document.getElementById(id); };
  const STATE = { ready: Borasen.t("drill.not_started"), running: Borasen.t("drill.running"), paused: Borasen.t("drill.paused"), finished: Borasen.t("drill.ended") };
  const STATUS = { pending: Borasen.t("drill.not_fired"), fired: Borasen.t("drill.fired"), met: Borasen.t("drill.met"), late: Borasen.t("drill.late"), missed: Borasen.t("drill.missed"), skipped: Borasen.t("drill.skipped") };
  const RATINGS = [["P", Borasen.t("drill.performed_without_problems")], ["S", Borasen.t("drill.some_problems")], ["M", Borasen.t("drill.major_problems")], ["U", Borasen.t("drill.not_performed")]];
  const POLL_MS = 2000;

  let clock = null; // the drill time as last answered, and when (performance.now())
  let drawn = {}; // the JSON last drawn per part: a poll that changed nothing touches nothing
  let issued = 0; // requests are numbered; an answer older than the one drawn is dropped
  let shown = 0;
  let timer = null;
  let state = null;

  // ---- time: the server writes local time with its offset (+09:00) ----
  function pad(n) { return String(n).padStart(2, "0"); }
  function offsetMinutes(iso) {
    const m = /([+-])(\d\d):(\d\d)$/.exec(iso || "");
    return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  }
  function clockText(ms, offset, seconds) {
    const d = new Date(ms + offset * 60000);
    return pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + (seconds ? ":" + pad(d.getUTCSeconds()) : "");
  }
  function hm(iso) { return iso ? iso.slice(11, 16) : "—"; }
  function duration(minutes) { return Math.floor(minutes / 60) + ":" + pad(minutes % 60); }

  function tick() {
    if (!clock) return;
    let sim = clock.now + (clock.running ? (performance.now() - clock.seen) * clock.speed : 0);
    if (clock.end && sim > clock.end) sim = clock.end;
    $("drill-clock").textContent = clockText(sim, clock.offset, true);
    const start = clock.start || clock.now;
    $("drill-elapsed").textContent = duration(Math.max(0, Math.floor((sim - start) / 60000)));
    const span = clock.end ? clock.end - start : 0;
    $("drill-progress").style.width = span > 0 ? Math.min(100, Math.max(0, (sim - start) / span * 100)) + "%" : "0";
  }
  setInterval(tick, 250);

  // ---- talking to the server ----
  function showError(message) {
    const slot = $("command-error");
    slot.textContent = message;
    slot.hidden = !message;
  }

  function link(live) {
    const badge = $("drill-link");
    badge.textContent = live ? Borasen.t("drill.live") : Borasen.t("drill.reconnecting");
    badge.className = "link-state " + (live ? "live" : "down");
  }

  function accept(ticket, status) {
    if (ticket < shown) return;
    shown = ticket;
    draw(status);
  }

  async function poll() {
    clearTimeout(timer);
    const ticket = ++issued;
    let again = true;
    try {
      const answer = await api("GET", "/api/drill");
      if (answer.ok) {
        link(true);
        $("drill-load-error").hidden = true;
        accept(ticket, answer.body);
        again = answer.body.drill !== false;
      } else if (answer.status === 403 || answer.status === 404) {
        const error = $("drill-load-error");
        error.textContent = (answer.body.error || {}).message || Borasen.t("drill.cannot_read_the_drill_s") + answer.status + Borasen.t("drill.paren_close_period");
        error.hidden = false;
      } else {
        link(false);
      }
    } catch (e) {
      link(false);
    }
    if (again) timer = setTimeout(poll, POLL_MS);
  }

  // A trainer's command: the answer is the new status, drawn at once.
  async function command(path, body, button) {
    showError("");
    if (button) button.disabled = true;
    const ticket = ++issued;
    let answer;
    try {
      answer = await api("POST", path, body || {});
    } catch (e) {
      answer = { ok: false, status: 0, body: { error: { message: Borasen.t("drill.cannot_reach_the_server") } } };
    }
    if (button) button.disabled = false;
    if (!answer.ok) {
      showError((answer.body.error || {}).message || Borasen.t("drill.could_not_do_that") + answer.status + Borasen.t("drill.paren_close_period"));
      drawn = {}; // what the page shows may now differ from the server: draw it all again
      poll();
      return false;
    }
    if (answer.body && answer.body.drill !== undefined) accept(ticket, answer.body);
    else poll();
    return true;
  }

  function changed(part, value) {
    const json = JSON.stringify(value);
    if (drawn[part] === json) return false;
    drawn[part] = json;
    return true;
  }

  // ---- drawing ----
  function draw(s) {
    if (!s.drill) {
      $("drill-off").hidden = false;
      $("drill-on").hidden = true;
      return;
    }
    $("drill-off").hidden = true;
    $("drill-on").hidden = false;
    state = s.state;
    if (changed("scenario", s.scenario)) drawScenario(s.scenario || {});
    drawClock(s);
    drawControls(s);
    const injects = s.injects || [];
    if (changed("injects", injects)) drawInjects(injects);
    if (changed("objectives", [s.objectives, injects])) drawObjectives(s.objectives || [], injects);
    if (changed("general", s.observations)) drawObservations($("general-observations"), s.observations || []);
    if (changed("plan", s.plan)) drawPlan(s.plan || []);
  }

  function drawScenario(sc) {
    $("scenario-title").textContent = sc.title || sc.id || Borasen.t("drill.drill");
    $("scenario-hazard").textContent = sc.hazard || "";
    $("scenario-hazard").hidden = !sc.hazard;
    $("scenario-phase").textContent = sc.phase_label || "";
    $("scenario-phase").hidden = !sc.phase_label;
    $("scenario-file").textContent = sc.file || "";
    $("scenario-narrative").textContent = sc.narrative || "";
    $("scenario-narrative-box").hidden = !sc.narrative;
  }

  function drawClock(s) {
    clock = {
      now: Date.parse(s.now),
      seen: performance.now(),
      speed: Number(s.speed) || 1,
      running: s.state === "running",
      start: s.sim_start ? Date.parse(s.sim_start) : null,
      end: s.end ? Date.parse(s.end) : null,
      offset: offsetMinutes(s.now),
    };
    const chip = $("drill-state");
    chip.textContent = STATE[s.state] || s.state;
    chip.dataset.state = s.state;
    $("drill-speed").textContent = clock.speed;
    $("drill-sim-start").textContent = hm(s.sim_start);
    $("drill-end").textContent = hm(s.end);
    tick();
  }

  function drawControls(s) {
    $("drill-start").hidden = s.state !== "ready";
    $("drill-pause").hidden = s.state !== "running";
    $("drill-resume").hidden = s.state !== "paused";
    $("drill-stop").hidden = !(s.state === "running" || s.state === "paused");
    if ($("drill-stop").hidden) $("stop-confirm").hidden = true;
    $("drill-finished").hidden = s.state !== "finished";
    const finished = s.state === "finished";
    const select = $("speed-select");
    Array.prototype.forEach.call($("speed-form").elements, function (e) { e.disabled = finished; });
    if (document.activeElement !== select) {
      const preset = Array.prototype.some.call(select.options, function (o) { return o.value === String(s.speed); });
      select.value = preset ? String(s.speed) : "other";
    }
  }

  function chip(status) {
    const span = el("span", "status-chip s-" + status, STATUS[status] || status);
    span.dataset.status = status;
    return span;
  }

  function expectation(e) {
    const box = el("div", "expect");
    box.appendChild(el("div", "", e.text));
    const facts = [];
    if (e.within_minutes !== null && e.within_minutes !== undefined) facts.push(e.within_minutes + Borasen.t("drill.min_at_most"));
    if (e.objective) facts.push(Borasen.t("drill.target") + e.objective);
    if (e.deadline) facts.push(Borasen.t("drill.due") + hm(e.deadline));
    if (e.detected_at) facts.push(Borasen.t("drill.check") + hm(e.detected_at));
    if (e.measured_minutes !== null && e.measured_minutes !== undefined) facts.push(Borasen.t("drill.measured") + e.measured_minutes + Borasen.t("drill.min"));
    if (facts.length) box.appendChild(el("small", "", facts.join(Borasen.t("drill.dot"))));
    return box;
  }

  function button(label, className, onClick) {
    const b = el("button", className, label);
    b.type = "button";
    b.addEventListener("click", function () { onClick(b); });
    return b;
  }

  // A phrase the server composed (`{key, values}`), in the page's language.
  function phrase(p) { return Borasen.phrase(p); }

  function drawInjects(injects) {
    const body = $("inject-list").tBodies[0];
    body.textContent = "";
    const done = injects.filter(function (i) { return i.status !== "pending"; }).length;
    $("inject-count").textContent = done + " / " + injects.length + Borasen.t("drill.fired_handled");
    injects.forEach(function (i) {
      const tr = el("tr", "inject s-" + i.status + (i.hidden ? " is-hidden" : ""));
      tr.dataset.id = i.id;
      tr.dataset.status = i.status;
      tr.appendChild(el("td", "num", "#" + i.id));
      tr.appendChild(el("td", "when", i.when_phrase ? phrase(i.when_phrase) : i.when));
      const kind = el("td", "kind");
      kind.appendChild(el("div", "", Borasen.label("drill.kind.", i.kind, i.kind_label)));
      kind.appendChild(el("small", "", "→ " + Borasen.label("drill.section.", i.to, i.to_label)));
      tr.appendChild(kind);
      const message = el("td", "message");
      if (i.hidden) message.appendChild(el("span", "tag controller-only", Borasen.t("drill.controllers_only")));
      message.appendChild(el("div", "", i.message_phrase ? phrase(i.message_phrase) : i.message));
      if (i.effect) message.appendChild(el("div", "effect", phrase(i.effect)));
      tr.appendChild(message);
      const times = el("td", "times");
      times.appendChild(el("div", "", Borasen.t("drill.planned") + hm(i.scheduled)));
      times.appendChild(el("div", i.fired_at ? "fired" : "", Borasen.t("drill.fired_2") + hm(i.fired_at)));
      tr.appendChild(times);
      const expect = el("td");
      if (i.expect) expect.appendChild(expectation(i.expect)); else expect.textContent = "—";
      tr.appendChild(expect);
      const status = el("td");
      status.appendChild(chip(i.status));
      tr.appendChild(status);
      const actions = el("td", "actions");
      if (i.status === "pending") {
        actions.appendChild(button(Borasen.t("drill.fire_now"), "fire", function (b) { command("/api/drill/injects/" + i.id + "/fire", {}, b); }));
        actions.appendChild(button(Borasen.t("drill.skipped"), "secondary skip", function (b) { command("/api/drill/injects/" + i.id + "/skip", {}, b); }));
      }
      // The controller's hand: take a skip back, or fire again what has fired.
      if (i.status === "skipped") {
        actions.appendChild(button(Borasen.t("evaluator.unskip"), "secondary unskip", function (b) { command("/api/drill/injects/" + i.id + "/unskip", {}, b); }));
      } else if (i.fired_at) {
        actions.appendChild(button(Borasen.t("evaluator.refire"), "secondary refire", function (b) { command("/api/drill/injects/" + i.id + "/refire", {}, b); }));
      }
      tr.appendChild(actions);
      body.appendChild(tr);
      if (i.hint) {
        const row = el("tr", "hint-row");
        row.dataset.id = i.id;
        const cell = el("td");
        cell.colSpan = 8;
        const hint = el("p", "hint");
        hint.appendChild(el("strong", "", "#" + i.id + Borasen.t("drill.missed_hint")));
        hint.appendChild(document.createTextNode(i.hint));
        cell.appendChild(hint);
        row.appendChild(cell);
        body.appendChild(row);
      }
    });
    if (!injects.length) {
      const tr = el("tr");
      const td = el("td", "", Borasen.t("drill.no_injects"));
      td.colSpan = 8;
      tr.appendChild(td);
      body.appendChild(tr);
    }
  }

  function drawObservations(list, observations) {
    list.textContent = "";
    observations.forEach(function (o) {
      const li = el("li");
      li.appendChild(el("time", "", hm(o.at)));
      li.appendChild(el("span", "", o.text));
      if (o.by) li.appendChild(el("small", "by", o.by));
      list.appendChild(li);
    });
    if (!observations.length) list.appendChild(el("li", "empty", Borasen.t("drill.no_records_yet")));
  }

  // Each objective's card is built once (its text box keeps what is being
  // typed); its expected actions, rating and observations follow the polls.
  function objectiveCard(o) {
    const card = el("article", "objective");
    card.dataset.id = o.id;
    const heading = el("h3");
    heading.appendChild(el("span", "objective-id", o.id));
    heading.appendChild(el("span", "objective-text", o.text));
    card.appendChild(heading);
    card.appendChild(el("p", "target"));
    card.appendChild(el("ul", "expected"));
    const rating = el("fieldset", "choices rating");
    rating.appendChild(el("legend", "", Borasen.t("drill.rating")));
    RATINGS.forEach(function (r) {
      const label = el("label", "chip rating-" + r[0]);
      const input = el("input");
      input.type = "radio";
      input.name = "rating-" + o.id;
      input.value = r[0];
      input.addEventListener("change", function () {
        command("/api/drill/ratings", { objective: o.id, rating: r[0] });
      });
      label.appendChild(input);
      label.appendChild(el("strong", "", r[0]));
      label.appendChild(el("span", "", r[1]));
      rating.appendChild(label);
    });
    card.appendChild(rating);
    card.appendChild(el("ul", "observations"));
    const form = el("form", "observation-form");
    form.dataset.objective = o.id;
    const text = el("textarea");
    text.name = "text";
    text.rows = 2;
    text.maxLength = 2000;
    text.required = true;
    text.placeholder = o.id + Borasen.t("drill.observations_on");
    text.setAttribute("aria-label", o.id + Borasen.t("drill.findings_on"));
    form.appendChild(text);
    const save = el("button", "", Borasen.t("drill.note"));
    save.type = "submit";
    form.appendChild(save);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      observe(o.id, text, save);
    });
    card.appendChild(form);
    return card;
  }

  function drawObjectives(objectives, injects) {
    const box = $("objectives");
    const ids = objectives.map(function (o) { return o.id; }).join(",");
    if (box.dataset.ids !== ids) {
      box.textContent = "";
      objectives.forEach(function (o) { box.appendChild(objectiveCard(o)); });
      box.dataset.ids = ids;
      if (!objectives.length) box.appendChild(el("p", "", Borasen.t("drill.this_scenario_has_no_objectives")));
    }
    objectives.forEach(function (o) {
      const card = box.querySelector('.objective[data-id="' + CSS.escape(o.id) + '"]');
      card.querySelector(".objective-text").textContent = o.text;
      card.querySelector(".target").textContent = o.target ? Borasen.t("drill.met_when") + o.target : "";
      const expected = card.querySelector(".expected");
      expected.textContent = "";
      injects.filter(function (i) { return i.expect && i.expect.objective === o.id; }).forEach(function (i) {
        const li = el("li");
        li.dataset.inject = i.id;
        li.appendChild(chip(i.status));
        li.appendChild(el("span", "", " #" + i.id + " " + i.expect.text));
        if (i.expect.measured_minutes !== null && i.expect.measured_minutes !== undefined) {
          li.appendChild(el("small", "", Borasen.t("drill.measured_2") + i.expect.measured_minutes + Borasen.t("drill.min_target") + i.expect.within_minutes + Borasen.t("drill.min_2")));
        }
        expected.appendChild(li);
      });
      if (!expected.children.length) expected.appendChild(el("li", "empty", Borasen.t("drill.no_expected_actions_are_tied")));
      card.querySelectorAll(".rating input").forEach(function (input) { input.checked = input.value === o.rating; });
      card.dataset.rating = o.rating || "";
      drawObservations(card.querySelector(".observations"), o.observations || []);
    });
  }

  async function observe(objective, text, save) {
    if (!text.value.trim()) { text.focus(); return; }
    if (await command("/api/drill/observations", { objective: objective, text: text.value }, save)) text.value = "";
  }

  $("general-observation-form").addEventListener("submit", function (event) {
    event.preventDefault();
    observe(null, event.target.elements.text, event.target.querySelector("button"));
  });

  // ---- an ad-hoc inject: the controller's own message to a section ----
  $("adhoc-form").addEventListener("submit", async function (event) {
    event.preventDefault();
    const form = event.target;
    const body = { to: form.elements.to.value, kind: form.elements.kind.value, message: form.elements.message.value.trim() };
    await command("/api/drill/adhoc", body, form.querySelector("button"));
    if ($("command-error").hidden) form.reset();
  });

  // ---- the improvement plan: one form, for a new row or the row being edited ----
  const planForm = $("plan-form");
  function resetPlan() {
    planForm.reset();
    planForm.elements.row.value = "";
    $("plan-save").textContent = Borasen.t("drill.add_a_row");
    $("plan-cancel").hidden = true;
  }

  function drawPlan(plan) {
    const body = $("plan-list").tBodies[0];
    body.textContent = "";
    plan.forEach(function (p) {
      const tr = el("tr");
      tr.dataset.row = p.row;
      [p.row, p.issue, p.action, p.owner, p.due].forEach(function (v) { tr.appendChild(el("td", "", v === null || v === undefined ? "" : String(v))); });
      const edit = el("td");
      edit.appendChild(button(Borasen.t("drill.edit"), "secondary plan-edit", function () {
        ["issue", "action", "owner", "due"].forEach(function (name) { planForm.elements[name].value = p[name] || ""; });
        planForm.elements.row.value = p.row;
        $("plan-save").textContent = "#" + p.row + Borasen.t("drill.save");
        $("plan-cancel").hidden = false;
        planForm.elements.issue.focus();
      }));
      tr.appendChild(edit);
      body.appendChild(tr);
    });
    if (!plan.length) {
      const tr = el("tr");
      const td = el("td", "", Borasen.t("drill.no_improvement_plan_yet_fill"));
      td.colSpan = 6;
      tr.appendChild(td);
      body.appendChild(tr);
    }
  }

  planForm.addEventListener("submit", async function (event) {
    event.preventDefault();
    const f = planForm.elements;
    const body = { issue: f.issue.value, action: f.action.value, owner: f.owner.value, due: f.due.value };
    if (f.row.value) body.row = Number(f.row.value);
    if (await command("/api/drill/plan", body, $("plan-save"))) resetPlan();
  });
  $("plan-cancel").addEventListener("click", resetPlan);

  // ---- a new drill: the server starts over with another scenario ----
  async function listScenarios() {
    const answer = await api("GET", "/api/drill/scenarios").catch(function () { return { ok: false }; });
    if (!answer.ok) return;
    const select = $("new-drill-file");
    select.textContent = "";
    answer.body.filter(function (s) { return s.problems === 0; }).forEach(function (s) {
      const option = el("option", "", s.title + Borasen.t("drill.paren_open") + s.file + Borasen.t("drill.paren_close"));
      option.value = s.file;
      select.appendChild(option);
    });
  }
  $("new-drill-form").addEventListener("submit", async function (event) {
    event.preventDefault();
    const file = $("new-drill-file").value;
    if (!file || !window.confirm(Borasen.t("drill.quote_open") + file + Borasen.t("drill.will_start_a_new_drill"))) return;
    const started = await api("POST", "/api/drill/new", { file: file }).catch(function () { return { ok: false, body: {} }; });
    const status = $("new-drill-status");
    status.hidden = false;
    if (!started.ok) { status.textContent = ((started.body || {}).error || {}).message || Borasen.t("drill.could_not_start"); return; }
    status.textContent = Borasen.t("drill.preparing_the_new_drill");
    // The server starts over: wait until it has gone (or a few seconds), then until it answers again.
    const asked = Date.now();
    let gone = false;
    const wait = setInterval(async function () {
      const again = await fetch("/api/drill").catch(function () { return null; });
      if (!again || !again.ok) { gone = true; return; }
      if (gone || Date.now() - asked > 5000) { clearInterval(wait); location.reload(); }
    }, 500);
  });
  listScenarios();

  // ---- the controls ----
  $("drill-start").addEventListener("click", function () { command("/api/drill/start", {}, this); });
  $("drill-pause").addEventListener("click", function () { command("/api/drill/pause", {}, this); });
  $("drill-resume").addEventListener("click", function () { command("/api/drill/resume", {}, this); });
  $("drill-stop").addEventListener("click", function () {
    $("stop-confirm").hidden = false;
    $("stop-confirm-no").focus();
  });
  $("stop-confirm-no").addEventListener("click", function () { $("stop-confirm").hidden = true; });
  $("stop-confirm-yes").addEventListener("click", async function () {
    if (await command("/api/drill/stop", {}, this)) $("stop-confirm").hidden = true;
  });

  function setSpeed(value) {
    const speed = Number(value);
    if (!Number.isInteger(speed) || speed < 1 || speed > 120) {
      showError(Borasen.t("drill.enter_the_speed_as_a"));
      return;
    }
    command("/api/drill/speed", { speed: speed });
  }
  $("speed-select").addEventListener("change", function () {
    if (this.value === "other") { $("speed-input").focus(); return; }
    setSpeed(this.value);
  });
  $("speed-form").addEventListener("submit", function (event) {
    event.preventDefault();
    setSpeed($("speed-input").value.trim());
  });

  // A tab brought back to the front asks at once instead of waiting for the next tick.
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && state !== null) poll();
  });

  poll();
})();
