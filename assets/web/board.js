// borasen board: load the snapshot, then follow /ws/board from its seq.
// On a dropped connection (a tablet that slept, a flaky access point) reconnect
// with exponential backoff and jitter, resuming from the last seq applied, so
// the board never misses or repeats an event.
"use strict";
(function () {
  const root = document.getElementById("board");
  const feed = document.getElementById("feed");
  const notices = document.getElementById("notices");
  const seqLabel = document.getElementById("seq");
  const linkState = document.getElementById("link-state");
  const FEED_MAX = 200;
  let lastSeq = 0;
  let attempt = 0;

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

  const ja = root.dataset.lang !== "en";
  const STATUS = ja
    ? { received: "受付", surveying: "調査中", waiting: "待機", active: "活動中", continuing: "継続", done: "完了", cancelled: "取消" }
    : { received: "received", surveying: "surveying", waiting: "waiting", active: "team on site", continuing: "continuing", done: "done", cancelled: "cancelled" };
  const TONE = { received: "pending", surveying: "pending", waiting: "pending", continuing: "pending", active: "in_progress", done: "done" };
  const OUTCOME = ja ? { done: "完了", continue: "継続", cancelled: "中止" } : { done: "done", continue: "continue", cancelled: "abandoned" };
  const PEOPLE = ja ? "名" : " people";

  // The feed in plain words: "10:42 T-014 出発（N-0031、4名）". Unknown kinds show as they are.
  const LABELS = ja ? {
    "auth.login": "ログイン", "auth.logout": "ログアウト", "user.created": "利用者の追加",
    "zones.imported": "地区の取り込み", "addresses.imported": "住所表の取り込み", "item.added": "資機材の登録",
    "need.updated": "ニーズの更新", "need.surveyed": "現地調査の記録", "need.reopened": "ニーズの再開",
    "volunteer.registered": "ボランティア登録", "volunteer.checked_in": "受付", "volunteer.checked_out": "退所",
    "items.lent": "資機材の貸出", "items.returned": "資機材の返却", "item.low_stock": "在庫が少なくなりました",
    "item.received": "資機材の入庫", "item.adjusted": "棚卸", "item.written_off": "資機材の除却",
    "team.overdue": "帰着期限を超過", "incident.reported": "けが・事故の報告", "center.resumed": "活動再開",
  } : {
    "auth.login": "logged in", "auth.logout": "logged out", "user.created": "user added",
    "zones.imported": "zones imported", "addresses.imported": "addresses imported", "item.added": "equipment added",
    "need.updated": "need updated", "need.surveyed": "survey recorded", "need.reopened": "need reopened",
    "volunteer.registered": "volunteer registered", "volunteer.checked_in": "checked in", "volunteer.checked_out": "left",
    "items.lent": "equipment lent", "items.returned": "equipment returned", "item.low_stock": "low stock",
    "item.received": "equipment received", "item.adjusted": "stocktake", "item.written_off": "equipment written off",
    "team.overdue": "overdue", "incident.reported": "injury reported", "center.resumed": "activities resumed",
  };

  function describe(e) {
    const d = e.data || {};
    const who = e.subject ? e.subject + " " : "";
    switch (e.kind) {
      case "team.dispatched":
        return who + (ja ? "出発（" : "left (") + (d.need_no || d.zone || "") + (ja ? "、" : ", ") + d.headcount + PEOPLE + (ja ? "）" : ")");
      case "team.returned":
        return who + (ja ? "帰着（" : "back (") + (OUTCOME[d.outcome] || d.outcome) + (ja ? "、" : ", ") + d.minutes + (ja ? "分）" : " min)");
      case "need.received":
        return who + (ja ? "ニーズ受付（" : "need received (") + (d.zone || (ja ? "地区不明" : "zone unknown")) + (ja ? "）" : ")");
      case "need.status_changed":
        return who + (STATUS[d.status] || d.status) + (d.team_no ? "（" + d.team_no + "）" : "");
      case "center.suspended":
        return (ja ? "活動中止（" : "activities suspended (") + d.reason + (ja ? "）" : ")");
      case "board.notice_posted":
        return (ja ? "お知らせ：" : "notice: ") + d.text;
      default:
        return who + (LABELS[e.kind] || e.kind);
    }
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
    Object.keys(STATUS).forEach(function (status) {
      const li = document.createElement("li");
      li.className = TONE[status] || "";
      li.dataset.status = status;
      li.textContent = STATUS[status] + " " + (snapshot.needs.by_status[status] || 0);
      chips.appendChild(li);
    });
    showCenter(snapshot.center);
    const alerts = document.getElementById("alerts");
    alerts.textContent = "";
    const alert = function (text) { const li = document.createElement("li"); li.className = "alert"; li.textContent = text; alerts.appendChild(li); };
    if (snapshot.center.suspended) alert(document.getElementById("suspended").textContent);
    if (snapshot.teams.overdue.length) alert(root.dataset.overdue + ": " + snapshot.teams.overdue.join(" "));
    if (snapshot.today.injuries) alert((ja ? "けが・事故 " : "injuries ") + snapshot.today.injuries);
    if (snapshot.today.equipment_lost + snapshot.today.equipment_damaged) {
      alert((ja ? "資機材の紛失 " : "equipment lost ") + snapshot.today.equipment_lost + (ja ? "・破損 " : ", damaged ") + snapshot.today.equipment_damaged);
    }
    const low = document.getElementById("low-stock");
    low.textContent = "";
    snapshot.low_stock.forEach(function (item) {
      const li = document.createElement("li");
      li.textContent = item.name + " " + item.stock + item.unit + (ja ? "（下限 " : " (threshold ") + item.threshold + (ja ? "）" : ")");
      low.appendChild(li);
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
    const response = await fetch("/api/board/chart.svg");
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
      li.textContent = t.team_no + "　" + where + "　" + t.headcount + PEOPLE + "　" +
        (ja ? "出発から" + out + "分　帰着期限 " : out + " min out, due ") + t.return_by.slice(11, 16) +
        (t.overdue ? "　" + root.dataset.overdue : (ja ? "（あと" + left + "分）" : " (" + left + " min left)"));
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
  }

  async function loadSnapshot() {
    const response = await fetch("/api/board", { headers: { "Accept-Language": root.dataset.lang } });
    if (response.status === 401) { location.href = "/login"; return false; }
    if (!response.ok) throw new Error("snapshot " + response.status);
    const snapshot = await response.json();
    notices.textContent = "";
    for (const n of snapshot.notices.slice().reverse()) addLine(notices, n.posted_at, n.text, 20);
    lastSeq = snapshot.seq;
    seqLabel.textContent = String(lastSeq);
    draw(snapshot);
    loadTeams();
    loadMap();
    loadChart();
    return true;
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(scheme + "//" + location.host + "/ws/board?since=" + lastSeq);
    socket.onopen = function () { attempt = 0; setLink(true); };
    socket.onmessage = function (message) { apply(JSON.parse(message.data)); };
    socket.onclose = function (closed) {
      setLink(false);
      if (closed.code === 4001) { location.href = "/login"; return; } // session ended
      attempt += 1;
      const ceiling = Math.min(30000, 500 * Math.pow(2, attempt));
      // 4000: our seq is ahead of the server's log (a restored backup): start over from a snapshot.
      const next = closed.code === 4000 ? function () { loadSnapshot().then(connect, connect); } : connect;
      setTimeout(next, ceiling / 2 + Math.random() * ceiling / 2);
    };
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

  setLink(false);
  loadSnapshot().then(function (ok) { if (ok) connect(); }).catch(function () { setTimeout(function () { location.reload(); }, 5000); });
})();
