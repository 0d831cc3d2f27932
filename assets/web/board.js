// borasen board: draws the snapshot, then follows /ws/board from its seq through
// the shared follower (`Borasen.follow` in common.js: backoff with jitter,
// resuming from the last seq applied), so the board never misses or repeats an event.
"use strict";
(function () {
  const root = document.getElementById("board");
  const feed = document.getElementById("feed");
  const notices = document.getElementById("notices");
  const seqLabel = document.getElementById("seq");
  const linkState = document.getElementById("link-state");
  const FEED_MAX = 200;
  let lastSeq = 0;

  function setLink(live) {
    linkState.textContent = live ? root.dataset.live : root.dataset.reconnecting;
    linkState.className = "link-state " + (live ? "live" : "down");
  }

  function timeOf(at) {
    return (at || "").slice(11, 16); // HH:MM of the RFC 3339 stamp, center time
  }

  function addLine(list, at, text, max) {
    const li = document.createElement("li");
    const time = document.createElement("time");
    time.textContent = timeOf(at);
    li.appendChild(time);
    li.appendChild(document.createTextNode(text));
    list.insertBefore(li, list.firstChild);
    while (list.children.length > max) list.removeChild(list.lastChild);
  }

  // Every word comes from the catalogue (`js.board.*`, in the page's language).
  const STATUSES = ["received", "surveying", "waiting", "active", "continuing", "done", "cancelled"];
  const TONE = { received: "pending", surveying: "pending", waiting: "pending", continuing: "pending", active: "in_progress", done: "done" };
  function statusLabel(status) { return Borasen.label("board.status.", status); }

  // The feed in plain words: "10:42 T-014 出発（N-0031、4名）". Each kind the board
  // shows has a line `js.board.kind.<kind with _>`; an unknown kind shows as it is.
  function describe(e) {
    const d = e.data || {};
    const who = e.subject ? e.subject + " " : "";
    const key = "board.kind." + e.kind.replace(".", "_");
    const text = Borasen.t(key, {
      who: who,
      where: d.need_no || d.zone || "",
      headcount: d.headcount,
      outcome: Borasen.label("board.outcome.", d.outcome),
      minutes: d.minutes,
      zone: d.zone || Borasen.t("board.word.zone_unknown"),
      status: statusLabel(d.status),
      team: d.team_no ? Borasen.t("board.word.team_suffix", { team: d.team_no }) : "",
      reason: d.reason,
      text: d.text,
      left: d.left,
      back: d.back,
      finding: d.finding,
    });
    return text === key ? who + e.kind : text;
  }

  // Counts, teams out, alerts: the snapshot, read again (at most once a second) after events that change them.
  // The center's clock (a drill's may run fast or stand still), not the tablet's.
  let clockOffset = 0;
  function centerNow() {
    return new Date(Date.now() + clockOffset).toISOString();
  }

  function draw(snapshot) {
    clockOffset = Date.parse(snapshot.center_time) - Date.now();
    const r = snapshot.reception;
    document.getElementById("n-checked-in").textContent = r.checked_in;
    document.getElementById("n-waiting").textContent = r.waiting;
    document.getElementById("n-on-teams").textContent = r.on_teams;
    document.getElementById("n-checked-out").textContent = r.checked_out;
    document.getElementById("n-teams-out").textContent = snapshot.teams.out;
    document.getElementById("n-needs-open").textContent = snapshot.needs.open;
    const chips = document.getElementById("needs-by-status");
    chips.textContent = "";
    STATUSES.forEach(function (status) {
      const li = document.createElement("li");
      li.className = TONE[status] || "";
      li.dataset.status = status;
      li.textContent = statusLabel(status) + " " + (snapshot.needs.by_status[status] || 0);
      chips.appendChild(li);
    });
    showCenter(snapshot.center);
    const alerts = document.getElementById("alerts");
    alerts.textContent = "";
    const alert = function (text) { const li = document.createElement("li"); li.className = "alert"; li.textContent = text; alerts.appendChild(li); };
    if (snapshot.center.suspended) alert(document.getElementById("suspended").textContent);
    if (snapshot.teams.overdue.length) alert(root.dataset.overdue + ": " + snapshot.teams.overdue.join(" "));
    if (snapshot.today.injuries) alert(Borasen.t("board.injuries", { n: snapshot.today.injuries }));
    if (snapshot.today.equipment_lost + snapshot.today.equipment_damaged) {
      alert(Borasen.t("board.equipment_lost", { lost: snapshot.today.equipment_lost, damaged: snapshot.today.equipment_damaged }));
    }
    drawHeadcountAlerts(snapshot.headcount_alerts || []);
    const low = document.getElementById("low-stock");
    low.textContent = "";
    snapshot.low_stock.forEach(function (item) {
      const li = document.createElement("li");
      li.textContent = Borasen.t("board.low_stock", { name: item.name, stock: item.stock, unit: item.unit, threshold: item.threshold });
      low.appendChild(li);
    });
  }

  // Teams back short of people: each stays until a coordinator writes what was
  // found. Drawn again only when the set of alerts changes, so a finding being
  // typed is not wiped by the next event.
  let headcountShown = "";
  function drawHeadcountAlerts(list) {
    const key = list.map(function (a) { return a.team_id; }).join(",");
    if (key === headcountShown) return;
    headcountShown = key;
    const box = document.getElementById("headcount-alerts");
    box.textContent = "";
    list.forEach(function (a) {
      const li = document.createElement("li");
      li.className = "alert";
      li.dataset.team = a.team_no;
      const where = a.need_no || a.zone || "";
      li.appendChild(document.createTextNode(Borasen.t("board.headcount.alert", {
        team: a.team_no, where: where, left: a.left, back: a.back, missing: a.left - a.back, at: timeOf(a.raised_at),
      })));
      const form = document.createElement("form");
      form.className = "inline-form";
      const input = document.createElement("input");
      input.name = "finding";
      input.maxLength = 500;
      input.required = true;
      input.placeholder = Borasen.t("board.headcount.finding_placeholder");
      input.setAttribute("aria-label", Borasen.t("board.headcount.finding", { team: a.team_no }));
      const button = document.createElement("button");
      button.type = "submit";
      button.className = "secondary";
      button.textContent = Borasen.t("board.headcount.resolve");
      const error = document.createElement("p");
      error.className = "error";
      error.setAttribute("role", "alert");
      error.hidden = true;
      form.appendChild(input);
      form.appendChild(button);
      li.appendChild(form);
      li.appendChild(error);
      form.addEventListener("submit", async function (e) {
        e.preventDefault();
        const answer = await Borasen.api("POST", "/api/teams/" + a.team_id + "/headcount/resolve", { finding: input.value });
        if (answer.ok) { error.hidden = true; return; } // the alert leaves with the next snapshot
        error.textContent = (answer.body && answer.body.error) ? answer.body.error.message : String(answer.status);
        error.hidden = false;
      });
      box.appendChild(li);
    });
  }

  let snapshotTimer = 0;
  let mapTimer = 0;
  function refreshSoon(kind) {
    clearTimeout(snapshotTimer);
    snapshotTimer = setTimeout(function () {
      fetch("/api/board").then(function (r) { return r.ok ? r.json() : null; }).then(function (s) { if (s) draw(s); });
      loadTeams();
      loadChart();
    }, 1000);
    if (kind && (kind.startsWith("need.") || kind.startsWith("zones.") || kind.startsWith("team."))) {
      clearTimeout(mapTimer);
      mapTimer = setTimeout(loadMap, 1000);
    }
  }

  async function loadMap() {
    const response = await fetch("/api/map.svg", { headers: { "Accept-Language": root.dataset.lang } });
    if (response.ok) document.getElementById("board-map").innerHTML = await response.text();
  }

  async function loadChart() {
    const response = await fetch("/api/board/chart.svg", { headers: { "Accept-Language": root.dataset.lang } });
    if (response.ok) document.getElementById("chart").innerHTML = await response.text();
  }

  function minutesBetween(from, to) {
    return Math.round((Date.parse(to) - Date.parse(from)) / 60000);
  }

  // Teams out, overdue first, with time since leaving and time to the deadline.
  async function loadTeams() {
    const response = await fetch("/api/teams?status=dispatched", { headers: { "Accept-Language": root.dataset.lang } });
    if (!response.ok) return;
    const teams = await response.json();
    teams.sort(function (a, b) { return (b.overdue - a.overdue) || a.return_by.localeCompare(b.return_by); });
    const list = document.getElementById("teams-out");
    list.textContent = "";
    document.getElementById("out-count").textContent = String(teams.length);
    const now = centerNow();
    for (const t of teams) {
      const li = document.createElement("li");
      li.dataset.team = t.team_no;
      if (t.overdue) li.className = "overdue-team";
      const where = t.need_no ? t.need_no + " " + (t.zone || "") : (t.zone || "");
      const out = minutesBetween(t.departed_at, now);
      const left = minutesBetween(now, t.return_by);
      const tail = t.overdue ? Borasen.t("board.overdue_tail", { overdue: root.dataset.overdue }) : Borasen.t("board.due_soon", { left: left });
      li.textContent = Borasen.t("board.team_out", {
        team: t.team_no, where: where, headcount: t.headcount, out: out, due: t.return_by.slice(11, 16), tail: tail,
      });
      list.appendChild(li);
    }
  }

  function showCenter(center) {
    document.getElementById("suspended").hidden = !center.suspended;
    document.getElementById("suspended-reason").textContent = center.reason || "";
  }

  function apply(event) {
    if (event.seq <= lastSeq) return;
    lastSeq = event.seq;
    seqLabel.textContent = String(lastSeq);
    if (event.kind === "board.notice_posted") {
      addLine(notices, event.at, event.data.text, 20);
    }
    if (!event.kind.startsWith("auth.")) refreshSoon(event.kind);
    addLine(feed, event.at, describe(event), FEED_MAX);
    document.dispatchEvent(new CustomEvent("borasen:event", { detail: event }));
  }

  // The snapshot the shared follower (`Borasen.follow`) took: drawn whole, and
  // again after a reset (close code 4000); events after its seq come through `apply`.
  function drawSnapshot(snapshot) {
    notices.textContent = "";
    for (const n of snapshot.notices.slice().reverse()) addLine(notices, n.posted_at, n.text, 20);
    lastSeq = snapshot.seq;
    seqLabel.textContent = String(lastSeq);
    draw(snapshot);
    loadTeams();
    loadMap();
    loadChart();
  }

  const form = document.getElementById("notice-form");
  const formError = document.getElementById("notice-error");
  form.addEventListener("submit", async function (e) {
    e.preventDefault();
    const input = form.elements.text;
    const response = await fetch("/api/board/notices", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept-Language": root.dataset.lang },
      body: JSON.stringify({ text: input.value, lobby: form.elements.lobby.checked }),
    });
    if (response.ok) {
      input.value = ""; // the notice itself arrives over the websocket
      formError.hidden = true;
    } else {
      const body = await response.json().catch(function () { return null; });
      formError.textContent = body && body.error ? body.error.message : String(response.status);
      formError.hidden = false;
    }
  });

  Borasen.follow({ onEvent: apply, onLink: setLink, ready: drawSnapshot, onReset: drawSnapshot })
    .catch(function () { setTimeout(function () { location.reload(); }, 5000); });
})();
