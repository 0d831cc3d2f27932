// The desks' offline queue and the service worker's registration.
//
// A desk write made with `Borasen.api(…, {queue: {label, then}})` that cannot be
// sent now (the tablet is offline, the request failed without an answer, the
// session ended, or earlier writes are still waiting) is kept in IndexedDB with
// its Idempotency-Key and sent later, in the order it was made: on the `online`
// event, on page load, when the tablet wakes, and on a timer with backoff. The
// key makes a resend safe: the server applies a key once and answers a repeat
// with the stored answer. An item the server refuses (a 4xx other than 401, 408
// and 429) moves to 「送信できなかった操作」 for the desk to resolve; 401 keeps the
// queue and asks for a new login; no answer or a 5xx keeps it for later.
// A walk-in (`then`: the check-in after the registration) is one item: its
// registration goes with the item's key, its check-in with `<key>-checkin`.
"use strict";
(function () {
  const B = window.Borasen;
  const el = B.el;
  const DB_NAME = "borasen-offline";
  const STORE = "items";
  const SEND_TIMEOUT_MS = 20000;
  const RETRY_FIRST_MS = 2000;
  const RETRY_MAX_MS = 60000;
  const QUEUED = Borasen.t("offline.unsent_will_be_sent_when");
  const BEHIND = Borasen.t("offline.unsent_will_be_sent_after");
  const LOGIN = Borasen.t("offline.unsent_will_be_sent_after_2");
  // Refusals that a second try cannot change.
  const FINAL = ["already_checked_in", "already_checked_out", "idempotency_key_reused", "not_found"];

  // ---- IndexedDB: one store, items in the order they were made (autoIncrement id) ----
  let opened = null;
  function open() {
    if (!opened) {
      opened = new Promise(function (resolve, reject) {
        if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
        const asked = indexedDB.open(DB_NAME, 1);
        asked.onupgradeneeded = function () {
          const store = asked.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
          store.createIndex("state", "state");
        };
        asked.onsuccess = function () {
          const db = asked.result;
          db.onversionchange = function () { db.close(); opened = null; };
          resolve(db);
        };
        asked.onerror = function () { reject(asked.error); };
      });
      opened.catch(function () { opened = null; });
    }
    return opened;
  }

  // Runs `work(store)` in one transaction; resolves with the value of the last
  // request it returned once the transaction has committed.
  function transaction(mode, work, strict) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        const tx = strict ? db.transaction(STORE, mode, { durability: "strict" }) : db.transaction(STORE, mode);
        let result;
        const req = work(tx.objectStore(STORE));
        if (req) req.onsuccess = function () { result = req.result; };
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error || new Error("aborted")); };
      });
    });
  }
  function all() { return transaction("readonly", function (s) { return s.getAll(); }); }
  function pendingCount() { return transaction("readonly", function (s) { return s.index("state").count("pending"); }); }
  function firstPending() {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        const req = db.transaction(STORE, "readonly").objectStore(STORE).index("state").openCursor(IDBKeyRange.only("pending"));
        req.onsuccess = function () { resolve(req.result ? req.result.value : null); };
        req.onerror = function () { reject(req.error); };
      });
    });
  }
  function put(item) { return transaction("readwrite", function (s) { return s.put(item); }, true); }
  function add(item) { return transaction("readwrite", function (s) { return s.add(item); }, true); }
  function remove(id) { return transaction("readwrite", function (s) { return s.delete(id); }); }

  // Other tabs of this desk see the same queue.
  const channel = window.BroadcastChannel ? new BroadcastChannel("borasen-offline") : null;
  function changed() {
    if (channel) channel.postMessage("changed");
    render();
  }
  if (channel) channel.onmessage = function () { render(); };

  // ---- the queue ----
  function sameRequest(a, b) {
    return a.method === b.method && a.path === b.path && JSON.stringify(a.body) === JSON.stringify(b.body) &&
      JSON.stringify(a.then || null) === JSON.stringify(b.then || null);
  }

  // True when a desk write must wait: offline, or earlier writes still waiting.
  async function shouldQueue() {
    if (navigator.onLine === false) return true;
    try {
      return (await pendingCount()) > 0;
    } catch (e) {
      return false; // no storage: the write is tried at once (and fails with a message)
    }
  }

  // `spec`: {method, path, body, key, queue: {label, then}, failed (no answer
  // came), loggedOut (401)}. Answers
  // like `Borasen.api` with `queued: true` (or `already: true` when the same
  // write was already waiting).
  async function enqueue(spec) {
    const item = {
      state: "pending",
      key: spec.key,
      method: spec.method,
      path: spec.path,
      body: spec.body,
      then: spec.queue.then || null,
      label: spec.queue.label || spec.method + " " + spec.path,
      page: location.pathname,
      queued_at: new Date().toISOString(),
    };
    try {
      const waiting = (await all()).filter(function (i) { return i.state === "pending"; });
      const twin = waiting.find(function (i) { return sameRequest(i, item); });
      if (!twin) await add(item);
      if (spec.loggedOut) { loginNeeded = true; openPanel(); }
      changed();
      schedule(spec.loggedOut ? null : 0);
      const online = navigator.onLine !== false && !spec.failed;
      return {
        ok: false, status: 0, queued: true, already: !!twin, loggedOut: !!spec.loggedOut,
        message: twin ? Borasen.t("offline.unsent_the_same_operation_is") : spec.loggedOut ? LOGIN : online ? BEHIND : QUEUED,
        body: {},
      };
    } catch (e) {
      return B.noAnswer(Borasen.t("offline.no_connection_this_device_cannot"));
    }
  }

  function classify(answer) {
    if (answer.ok) return "sent";
    if (answer.status === 401) return "login";
    if (answer.status === 0 || answer.status === 408 || answer.status === 429 || answer.status >= 500) return "later";
    return "refused";
  }

  function noAnswer() { return { ok: false, status: 0, body: {} }; }
  async function send(method, path, body, key) {
    try {
      return await B.request(method, path, body, key, SEND_TIMEOUT_MS);
    } catch (e) {
      return noAnswer();
    }
  }

  // Sends one item; a walk-in is its registration, then its check-in.
  async function deliver(item) {
    if (!item.then) return send(item.method, item.path, item.body, item.key);
    if (!item.registered) {
      const registered = await send(item.method, item.path, item.body, item.key);
      if (!registered.ok) return registered;
      const v = registered.body;
      item.registered = { id: v.id, volunteer_no: v.volunteer_no, name: v.name };
      item.label = Borasen.t("offline.walk_in") + v.volunteer_no + " " + v.name;
      await put(item); // a refused check-in later never registers the person twice
    }
    const body = Object.assign({}, item.then.body, { volunteer_id: item.registered.id });
    return send("POST", item.then.path, body, item.key + "-checkin");
  }

  let loginNeeded = false;
  let retryDelay = RETRY_FIRST_MS;
  let timer = 0;
  let flushing = null;
  let lastSent = null;

  // Sends what waits, in order, one at a time; stops at the first item that
  // must wait (no answer, 5xx, 401).
  async function drain() {
    for (;;) {
      if (navigator.onLine === false) return "offline"; // the `online` event starts it again
      const item = await firstPending();
      if (!item) { retryDelay = RETRY_FIRST_MS; return "empty"; }
      const answer = await deliver(item);
      const outcome = classify(answer);
      if (outcome === "sent") {
        await remove(item.id);
        loginNeeded = false;
        lastSent = { label: item.label, at: new Date() };
        document.dispatchEvent(new CustomEvent("borasen:offline-sent", { detail: { item: item, answer: answer } }));
        changed();
      } else if (outcome === "refused") {
        const error = (answer.body && answer.body.error) || {};
        item.state = "refused";
        item.error = {
          status: answer.status,
          code: error.code || "",
          message: error.message || Borasen.t("offline.could_not_be_sent") + answer.status + Borasen.t("offline.paren_close_period"),
        };
        item.refused_at = new Date().toISOString();
        await put(item);
        document.dispatchEvent(new CustomEvent("borasen:offline-refused", { detail: { item: item, answer: answer } }));
        openPanel();
        changed();
      } else {
        if (outcome === "login") { loginNeeded = true; openPanel(); }
        changed();
        return outcome;
      }
    }
  }

  let again = false;
  function flush() {
    if (flushing) { again = true; return flushing; }
    again = false;
    clearTimeout(timer);
    const run = function () { return drain(); };
    // One tab sends at a time (the keys make a second sender harmless, not useful).
    const locked = navigator.locks && navigator.locks.request
      ? navigator.locks.request("borasen-offline-send", { ifAvailable: true }, function (lock) { return lock ? run() : "busy"; })
      : run();
    flushing = locked.catch(function () { return "later"; }).then(function (outcome) {
      flushing = null;
      if (again && outcome === "empty") return flush(); // an item came while the last one was being looked for
      if (outcome === "later" || outcome === "busy") {
        schedule(retryDelay / 2 + Math.random() * retryDelay / 2);
        retryDelay = Math.min(RETRY_MAX_MS, retryDelay * 2);
      }
      return outcome;
    });
    return flushing;
  }

  // `null`: wait for an event (online, login, wake); otherwise send after `ms`.
  function schedule(ms) {
    clearTimeout(timer);
    if (ms === null) return;
    timer = setTimeout(flush, ms);
  }

  async function resolve(id) {
    await remove(id);
    changed();
  }

  // Back to the end of the queue, as it was or changed by `edit(item)` (a
  // changed body is a new request: it gets a derived key).
  async function resend(id, edit) {
    const item = (await all()).find(function (i) { return i.id === id; });
    if (!item) return;
    delete item.id;
    delete item.error;
    item.state = "pending";
    if (edit) edit(item);
    // One transaction: the item is never lost between the two.
    await transaction("readwrite", function (s) { s.delete(id); return s.add(item); }, true);
    retryDelay = RETRY_FIRST_MS;
    changed();
    flush();
  }

  // ---- what the desk sees: a fixed badge and a panel ----
  if (!document.querySelector('link[href="/assets/offline.css"]')) {
    const sheet = document.createElement("link");
    sheet.rel = "stylesheet";
    sheet.href = "/assets/offline.css";
    document.head.appendChild(sheet);
  }
  const box = el("div", "offline-box");
  box.id = "offline";
  const link = el("span", "offline-link", Borasen.t("offline.offline_no_connection"));
  link.id = "offline-link";
  link.hidden = navigator.onLine !== false;
  const badge = el("button", "offline-badge", "");
  badge.type = "button";
  badge.id = "offline-badge";
  badge.hidden = true;
  badge.dataset.pending = "0";
  badge.setAttribute("aria-controls", "offline-panel");
  const refusedBadge = el("button", "offline-badge refused", "");
  refusedBadge.type = "button";
  refusedBadge.id = "offline-refused-badge";
  refusedBadge.hidden = true;
  refusedBadge.dataset.refused = "0";
  const panel = el("section", "offline-panel");
  panel.id = "offline-panel";
  panel.hidden = true;
  panel.setAttribute("aria-label", Borasen.t("offline.unsent_operations"));
  const status = el("div", "offline-status");
  status.setAttribute("role", "status");
  box.append(link, badge, refusedBadge, panel);

  function openPanel() { panel.hidden = false; }
  badge.addEventListener("click", function () { panel.hidden = !panel.hidden; });
  refusedBadge.addEventListener("click", function () { panel.hidden = !panel.hidden; });

  function when(iso) {
    const d = new Date(iso);
    return isNaN(d.getTime()) ? "" : d.toTimeString().slice(0, 5);
  }

  function refusedEntry(item) {
    const li = el("li", "offline-refused-item");
    li.dataset.id = item.id;
    const head = el("div", "offline-item-head");
    head.appendChild(el("strong", "", item.label));
    head.appendChild(el("time", "", when(item.queued_at)));
    li.appendChild(head);
    li.appendChild(el("p", "offline-error", item.error ? item.error.message : ""));
    if (item.registered) li.appendChild(el("p", "", Borasen.t("offline.registered") + item.registered.volunteer_no + Borasen.t("offline.not_checked_in_yet")));
    const buttons = el("div", "offline-actions");
    const done = el("button", "secondary offline-resolve", Borasen.t("offline.checked_remove"));
    done.type = "button";
    done.addEventListener("click", function () { resolve(item.id); });
    buttons.appendChild(done);
    const code = item.error ? item.error.code : "";
    if (code === "duplicate" && !item.registered) {
      const twin = el("button", "secondary offline-force", Borasen.t("offline.register_as_a_different_person"));
      twin.type = "button";
      twin.addEventListener("click", function () {
        resend(item.id, function (i) { i.body = Object.assign({}, i.body, { force_new: true }); i.key += "-new"; });
      });
      buttons.appendChild(twin);
    } else if (code === "possible_duplicate") {
      const twin = el("button", "secondary offline-force", Borasen.t("offline.send_as_a_different_need"));
      twin.type = "button";
      twin.addEventListener("click", function () {
        resend(item.id, function (i) { i.body = Object.assign({}, i.body, { force_new: true }); i.key += "-new"; });
      });
      buttons.appendChild(twin);
    } else if (FINAL.indexOf(code) < 0) {
      const again = el("button", "secondary offline-resend", Borasen.t("offline.send_again"));
      again.type = "button";
      again.addEventListener("click", function () { resend(item.id); });
      buttons.appendChild(again);
    }
    li.appendChild(buttons);
    return li;
  }

  let drawing = Promise.resolve();
  function render() {
    drawing = drawing.then(draw, draw);
    return drawing;
  }
  async function draw() {
    let items;
    try { items = await all(); } catch (e) { items = []; }
    const pending = items.filter(function (i) { return i.state === "pending"; });
    const refused = items.filter(function (i) { return i.state === "refused"; });
    badge.textContent = Borasen.t("offline.unsent") + pending.length + Borasen.t("offline.count_unit");
    badge.dataset.pending = String(pending.length);
    badge.hidden = pending.length === 0;
    refusedBadge.textContent = Borasen.t("offline.operations_that_could_not_be") + refused.length + Borasen.t("offline.count_unit");
    refusedBadge.dataset.refused = String(refused.length);
    refusedBadge.hidden = refused.length === 0;
    link.hidden = navigator.onLine !== false;

    panel.textContent = "";
    const head = el("div", "offline-panel-head");
    head.appendChild(el("h2", "", Borasen.t("offline.unsent_operations")));
    const close = el("button", "secondary", Borasen.t("offline.close"));
    close.type = "button";
    close.addEventListener("click", function () { panel.hidden = true; });
    head.appendChild(close);
    panel.appendChild(head);
    if (loginNeeded) {
      const p = el("p", "offline-login", Borasen.t("offline.your_log_in_has_expired"));
      const a = el("a", "button", Borasen.t("offline.log_in"));
      a.href = "/login";
      a.target = "_blank";
      p.appendChild(a);
      panel.appendChild(p);
    }
    status.textContent = pending.length
      ? (navigator.onLine === false ? Borasen.t("offline.when_the_connection_is_back") : Borasen.t("offline.sending"))
      : (lastSent ? Borasen.t("offline.all_sent_last") + lastSent.label + Borasen.t("offline.paren_close") : Borasen.t("offline.no_unsent_operations"));
    panel.appendChild(status);
    const list = el("ol", "offline-pending");
    list.id = "offline-pending";
    pending.forEach(function (item) {
      const li = el("li");
      li.dataset.id = item.id;
      li.appendChild(el("span", "", item.label));
      li.appendChild(el("time", "", when(item.queued_at)));
      list.appendChild(li);
    });
    panel.appendChild(list);
    if (pending.length) {
      const now = el("button", "secondary", Borasen.t("offline.send_now"));
      now.type = "button";
      now.id = "offline-send-now";
      now.addEventListener("click", function () { retryDelay = RETRY_FIRST_MS; flush(); });
      panel.appendChild(now);
    }
    if (refused.length) {
      panel.appendChild(el("h2", "", Borasen.t("offline.operations_that_could_not_be_2")));
      panel.appendChild(el("p", "offline-help", Borasen.t("offline.the_server_refused_these_operations")));
      const rl = el("ul", "offline-refused");
      rl.id = "offline-refused";
      refused.forEach(function (item) { rl.appendChild(refusedEntry(item)); });
      panel.appendChild(rl);
    }
  }

  function start() {
    document.body.appendChild(box);
    render();
    flush();
  }

  window.addEventListener("online", function () { retryDelay = RETRY_FIRST_MS; render(); flush(); });
  window.addEventListener("offline", function () { render(); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { retryDelay = RETRY_FIRST_MS; flush(); }
  });
  // A slow safety net besides the backoff: a queue never sits forever.
  setInterval(function () { if (!flushing) pendingCount().then(function (n) { if (n > 0) flush(); }, function () {}); }, RETRY_MAX_MS);

  B.offline = {
    QUEUED: QUEUED,
    shouldQueue: shouldQueue,
    enqueue: enqueue,
    flush: flush,
    items: all,
    resolve: resolve,
    resend: resend,
    // Resolves once nothing is waiting (tests, and pages that want to know).
    idle: function () { return pendingCount().then(function (n) { return n === 0; }); },
  };

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);

  // ---- the service worker: the pages open while offline (secure contexts only:
  // https or localhost; on plain http the queue works without it) ----
  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* the queue works without it */ });
  }
})();
