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

  // Plain words for the feed; unknown kinds show as they are.
  const KIND_LABELS = {
    ja: {
      "auth.login": "ログイン", "auth.logout": "ログアウト", "user.created": "利用者の追加",
      "board.notice_posted": "お知らせ", "zones.imported": "地区の取り込み", "item.added": "資機材の登録",
      "need.received": "ニーズ受付", "need.updated": "ニーズの更新", "need.status_changed": "ニーズの状態変更",
      "need.reopened": "ニーズの再開", "need.surveyed": "現地調査の記録", "addresses.imported": "住所表の取り込み",
      "team.dispatched": "班の送り出し", "team.returned": "班の帰着", "team.overdue": "帰着期限の超過",
      "incident.reported": "けが・事故の報告", "center.suspended": "活動中止", "center.resumed": "活動再開",
      "items.lent": "資機材の貸出", "items.returned": "資機材の返却", "item.low_stock": "在庫が少なくなりました",
    },
    en: {
      "auth.login": "logged in", "auth.logout": "logged out", "user.created": "user added",
      "board.notice_posted": "notice", "zones.imported": "zones imported", "item.added": "equipment added",
      "need.received": "need received", "need.updated": "need updated", "need.status_changed": "need status changed",
      "need.reopened": "need reopened", "need.surveyed": "survey recorded", "addresses.imported": "addresses imported",
      "team.dispatched": "team sent out", "team.returned": "team back", "team.overdue": "team overdue",
      "incident.reported": "injury reported", "center.suspended": "activities suspended", "center.resumed": "activities resumed",
      "items.lent": "equipment lent", "items.returned": "equipment returned", "item.low_stock": "low stock",
    },
  };
  const labels = KIND_LABELS[root.dataset.lang] || KIND_LABELS.ja;

  // Teams out (with the overdue ones marked) and the suspension: read again on their events.
  async function loadTeams() {
    const response = await fetch("/api/teams?status=dispatched", { headers: { "Accept-Language": root.dataset.lang } });
    if (!response.ok) return;
    const teams = await response.json();
    const list = document.getElementById("teams-out");
    list.textContent = "";
    document.getElementById("out-count").textContent = String(teams.length);
    for (const t of teams) {
      const li = document.createElement("li");
      li.dataset.team = t.team_no;
      if (t.overdue) li.className = "overdue-team";
      const where = t.need_no ? t.need_no + " " + (t.zone || "") : (t.zone || "");
      li.textContent = t.team_no + "　" + where + "　" + t.headcount + "　" + t.return_by.slice(11, 16) +
        (t.overdue ? "　" + root.dataset.overdue : "");
      list.appendChild(li);
    }
  }

  function showCenter(center) {
    document.getElementById("suspended").hidden = !center.suspended;
    document.getElementById("suspended-reason").textContent = center.reason || "";
  }

  let teamsTimer = 0;
  function apply(event) {
    if (event.seq <= lastSeq) return;
    lastSeq = event.seq;
    seqLabel.textContent = String(lastSeq);
    if (event.kind.startsWith("team.") || event.kind.startsWith("center.")) {
      clearTimeout(teamsTimer);
      teamsTimer = setTimeout(function () {
        loadTeams();
        fetch("/api/board").then(function (r) { return r.ok ? r.json() : null; }).then(function (s) { if (s) showCenter(s.center); });
      }, 200);
    }
    if (event.kind === "board.notice_posted") {
      addLine(notices, event.at, event.data.text, 20);
    }
    const label = labels[event.kind] || event.kind;
    addLine(feed, event.at, label + (event.subject ? " (" + event.subject + ")" : "") + " — " + event.actor, FEED_MAX);
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
    showCenter(snapshot.center);
    loadTeams();
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
      body: JSON.stringify({ text: input.value }),
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
