// The link to the hub (ハブ連携), in one line on the board, the desk and the
// settings: 「ハブ同期 10:42（3分前）」, 「ハブに接続できません（最終同期 10:42）」
// with the reason beneath, 「ハブ未同期」, 「訓練中は同期しません」, or nothing
// when no hub is set. `GET /api/hub/status` every 20 s, 「N分前」 redrawn every
// 30 s, and a 「今すぐ同期」 button (`POST /api/hub/sync`) for whoever sees the
// page (reception, coordinators, admins). Never in the desk's way: nothing
// waits on it, nothing of it goes to the offline queue, a failure only changes
// the line. Times are the center's (its `now` measures 「N分前」, not the
// tablet's clock). `window.Borasen.hubStatus.refresh()` asks again (settings).
"use strict";
(function () {
  const box = document.getElementById("hub-status");
  if (!box) return;
  const t = window.Borasen.t;
  const line = box.querySelector(".hub-status-line");
  const reason = box.querySelector(".hub-status-reason");
  const button = box.querySelector(".hub-sync");
  const POLL_MS = 20000;
  const AGO_MS = 30000;
  const TIMEOUT_MS = 8000;

  let status = null; // the last answer
  let skew = 0; // the center's clock less the tablet's
  let unreachable = false; // the center's server did not answer
  let pollTimer = 0;
  let syncing = false;

  // `2026-07-12T10:42:05+09:00` → `10:42`: the center's local time, as sent.
  function hhmm(stamp) { return stamp ? stamp.slice(11, 16) : ""; }

  function ago(stamp) {
    const minutes = Math.max(0, Math.floor((Date.now() + skew - Date.parse(stamp)) / 60000));
    if (minutes < 1) return t("hub_link.just_now");
    if (minutes < 60) return t("hub_link.minutes_ago", { n: minutes });
    return t("hub_link.hours_ago", { n: Math.floor(minutes / 60) });
  }

  function setReason(text) {
    reason.textContent = text || "";
    reason.hidden = !text;
    if (text) box.title = text; else box.removeAttribute("title");
  }

  function draw() {
    if (!status && !unreachable) { box.hidden = true; return; }
    if (status && status.drill) {
      box.hidden = false;
      box.className = "hub-status drill";
      line.textContent = t("hub_link.drill");
      setReason("");
      button.hidden = true;
      return;
    }
    if (status && !status.configured) { box.hidden = true; return; }
    box.hidden = false;
    button.hidden = false;
    button.disabled = syncing;
    button.textContent = syncing ? t("hub_link.syncing") : t("hub_link.sync_now");
    const lastOk = status ? status.last_ok_at : null;
    const error = unreachable ? t("hub_link.no_center") : status.error;
    if (error) {
      box.className = "hub-status failed";
      line.textContent = lastOk ? t("hub_link.failed_since", { time: hhmm(lastOk) }) : t("hub_link.failed");
      const pending = status && status.pending_reports > 0 ? t("hub_link.pending_reports", { n: status.pending_reports }) : "";
      setReason(pending ? error + " / " + pending : error);
    } else if (lastOk) {
      box.className = "hub-status ok";
      line.textContent = t("hub_link.synced", { time: hhmm(lastOk), ago: ago(lastOk) });
      setReason("");
    } else {
      box.className = "hub-status never";
      line.textContent = t("hub_link.never");
      setReason("");
    }
  }

  async function refresh() {
    clearTimeout(pollTimer);
    try {
      const answer = await window.Borasen.request("GET", "/api/hub/status", undefined, null, TIMEOUT_MS);
      if (answer.ok) {
        status = answer.body;
        unreachable = false;
        if (status.now) skew = Date.parse(status.now) - Date.now();
      } else if (answer.status === 401 || answer.status === 403) {
        status = null; // signed out: the page's own calls take the user to the login
        unreachable = false;
      } else {
        unreachable = status !== null; // nothing known yet: stay quiet
      }
    } catch (e) {
      unreachable = status !== null;
    }
    draw();
    pollTimer = setTimeout(refresh, POLL_MS);
  }

  // 今すぐ同期: the server syncs in the background; its outcome shows a few seconds later.
  button.addEventListener("click", async function () {
    if (syncing) return;
    syncing = true;
    draw();
    // Never queued offline: no `queue` option.
    const answer = await window.Borasen.api("POST", "/api/hub/sync");
    if (!answer.ok && answer.body && answer.body.error) setReason(answer.body.error.message);
    setTimeout(async function () {
      await refresh();
      syncing = false;
      draw();
      // A slow hub: once more a little later.
      setTimeout(refresh, 6000);
    }, answer.ok ? 3000 : 0);
  });

  setInterval(function () { if (status && status.last_ok_at && !status.error && !unreachable) draw(); }, AGO_MS);
  window.Borasen.hubStatus = { refresh: refresh };
  refresh();
})();
