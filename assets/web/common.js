// What every page's script shares: the page's words (`Borasen.t`), calling the
// JSON API (errors in the page's language; a lost session goes back to the login; every write carries an
// Idempotency-Key; desk writes may wait in the offline queue of offline.js)
// and making elements.
"use strict";
window.Borasen = (function () {
  // The words of the page's language: the catalogue's `js.` keys, embedded by
  // base.html as JSON. `%{name}` placeholders are filled from `values`.
  let words = null;
  function t(key, values) {
    if (!words) {
      const element = document.getElementById("borasen-words");
      words = element ? JSON.parse(element.textContent) : {};
    }
    let text = Object.prototype.hasOwnProperty.call(words, key) ? words[key] : key;
    if (values) {
      text = text.replace(/%\{(\w+)\}/g, function (whole, name) {
        return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
      });
    }
    return text;
  }

  // The words for a code the server sends (`prefix + code`), else the server's own label.
  function label(prefix, code, fallback) {
    const key = prefix + code;
    const text = t(key);
    return text === key ? (fallback || code) : text;
  }

  // A phrase the server composed (`{key, values}`, the key under `js.`), in the page's language.
  function phrase(p) {
    return t(p.key.replace(/^js\./, ""), p.values);
  }

  // The page's language, sent with every request so errors come back in it.
  function lang() {
    return document.documentElement.lang || "ja";
  }

  // An Idempotency-Key: a random UUID. `crypto.randomUUID` exists only in secure
  // contexts (https, localhost); plain http on the center's LAN has
  // `crypto.getRandomValues` everywhere.
  function newKey() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") return window.crypto.randomUUID();
    const b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // variant
    const h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // One HTTP request with the JSON body and, for a write, its Idempotency-Key.
  // Rejects only when no answer came (network error, offline, or no answer
  // within `timeoutMs` when given).
  async function request(method, path, payload, key, timeoutMs) {
    const headers = { "Content-Type": "application/json", "Accept-Language": lang() };
    // A drill's paper record entered late carries the time on the paper (drill_outage.js).
    const paper = method !== "GET" && window.Borasen.paperTime ? window.Borasen.paperTime() : "";
    if (paper) headers["Paper-Time"] = paper;
    if (key) headers["Idempotency-Key"] = key;
    const abort = timeoutMs && window.AbortController ? new AbortController() : null;
    const timer = abort ? setTimeout(function () { abort.abort(); }, timeoutMs) : 0;
    let response;
    try {
      response = await fetch(path, {
        method: method,
        headers: headers,
        body: payload === undefined ? undefined : JSON.stringify(payload),
        credentials: "same-origin",
        signal: abort ? abort.signal : undefined,
      });
    } finally {
      clearTimeout(timer);
    }
    const answer = await response.json().catch(function () { return {}; });
    return {
      ok: response.ok,
      status: response.status,
      body: answer,
      replayed: response.headers.get("Idempotent-Replayed") === "true",
      retryAfter: Number(response.headers.get("Retry-After")) || 0,
    };
  }

  const OFFLINE_MESSAGE = t("common.no_connection_once_the_wi");
  function noAnswer(message) {
    return { ok: false, status: 0, offline: true, body: { error: { code: "offline", message: message || OFFLINE_MESSAGE, field: null } } };
  }

  // The keys of this page's recent writes, by method + path + body: the same
  // action asked again (a double tap, a retry after the network failed, maybe
  // after the server wrote) carries the same key, so the server applies it once.
  // A key is kept while the outcome is unknown (no answer, 5xx, 408, 429), and
  // for 3 s after a success as long as no other write was made meanwhile (so
  // "check in, cancel, check in again" is three writes). A refusal (4xx) wrote
  // nothing: the next try gets a new key.
  const attempts = new Map();
  const DOUBLE_TAP_MS = 3000;
  function attemptFor(signature) {
    const now = Date.now();
    attempts.forEach(function (a, s) {
      if (a.okAt && (s !== signature || now - a.okAt > DOUBLE_TAP_MS)) attempts.delete(s);
    });
    let a = attempts.get(signature);
    if (!a) { a = { key: newKey(), okAt: 0 }; attempts.set(signature, a); }
    return a;
  }
  function unknownOutcome(status) { return status === 0 || status === 408 || status === 429 || status >= 500; }

  // `api(method, path, payload, options)` → `{ok, status, body}`; never rejects:
  // no answer is `{ok: false, status: 0, offline: true, body: {error}}` with a
  // Japanese message. Every write carries an Idempotency-Key (`options.key`, or
  // the key of the same action's earlier try, or a new one). With
  // `options.queue` (`{label, then}`, see offline.js) a write that cannot be sent
  // now waits in the offline queue and the answer is `{queued: true}`.
  async function api(method, path, payload, options) {
    const opts = options || {};
    const write = method !== "GET" && method !== "HEAD";
    const offline = window.Borasen.offline;
    const signature = method + " " + path + " " + (payload === undefined ? "" : JSON.stringify(payload));
    if (write && opts.queue && offline && await offline.shouldQueue()) {
      return offline.enqueue({ method: method, path: path, body: payload, key: opts.key || newKey(), queue: opts.queue });
    }
    if (write && navigator.onLine === false) return noAnswer();
    const attempt = write ? (opts.key ? { key: opts.key, okAt: 0 } : attemptFor(signature)) : null;
    let answer;
    try {
      answer = await request(method, path, payload, attempt ? attempt.key : null);
    } catch (e) {
      answer = noAnswer();
    }
    if (write && opts.queue && offline && (answer.status === 0 || answer.status === 401)) {
      // Not applied, or maybe applied with the answer lost: the queue sends it
      // again later with the same key.
      attempts.delete(signature);
      return offline.enqueue({
        method: method, path: path, body: payload, key: attempt.key, queue: opts.queue,
        failed: true, loggedOut: answer.status === 401,
      });
    }
    if (answer.status === 401) { location.href = "/login"; }
    if (answer.body && answer.body.error && answer.body.error.code === "drill_outage") {
      document.dispatchEvent(new CustomEvent("borasen:drill-outage", { detail: answer }));
    }
    if (write && !opts.key) {
      if (answer.ok) attempt.okAt = Date.now();
      else if (!unknownOutcome(answer.status)) attempts.delete(signature);
    }
    return answer;
  }

  return {
    t: t,
    label: label,
    phrase: phrase,
    lang: lang,
    newKey: newKey,
    request: request,
    noAnswer: noAnswer,
    api: api,
    // Follows /ws/board from the snapshot's seq: `onEvent(event)` for each event
    // once, in order; `onLink(live)` as the connection comes and goes;
    // `onReset(snapshot)` after the snapshot is taken again (the log was restored from a
    // backup, close code 4000). A dropped connection resumes with backoff and jitter.
    follow: function (handlers) {
      let lastSeq = 0;
      let attempt = 0;
      const link = handlers.onLink || function () {};
      // The page following the feed: a drill's outage takes its desk's feed offline.
      const page = "page=" + encodeURIComponent(location.pathname);
      async function snapshot() {
        const response = await fetch("/api/board?" + page, { headers: { "Accept-Language": lang() } });
        if (response.status === 401) { location.href = "/login"; throw new Error("signed out"); }
        if (!response.ok) throw new Error("snapshot " + response.status);
        const body = await response.json();
        lastSeq = body.seq;
        return body;
      }
      function connect() {
        const scheme = location.protocol === "https:" ? "wss:" : "ws:";
        const socket = new WebSocket(scheme + "//" + location.host + "/ws/board?since=" + lastSeq + "&" + page);
        socket.onopen = function () { attempt = 0; link(true); };
        socket.onmessage = function (message) {
          const event = JSON.parse(message.data);
          if (event.seq <= lastSeq) return;
          lastSeq = event.seq;
          handlers.onEvent(event);
        };
        socket.onclose = function (closed) {
          link(false);
          if (closed.code === 4001) { location.href = "/login"; return; } // session ended
          if (closed.code === 4002) api("GET", "/api/board?" + page); // a drill's outage: says until when
          attempt += 1;
          const ceiling = Math.min(30000, 500 * Math.pow(2, attempt));
          const next = closed.code === 4000
            ? function () { snapshot().then(function (body) { if (handlers.onReset) handlers.onReset(body); connect(); }, connect); }
            : connect;
          setTimeout(next, ceiling / 2 + Math.random() * ceiling / 2);
        };
      }
      link(false);
      // `ready(snapshot)`: load what the page draws, as new as the snapshot's seq or newer, before events flow.
      return snapshot().then(function (body) { return handlers.ready ? handlers.ready(body) : null; }).then(connect);
    },
    el: function (tag, className, text) {
      const node = document.createElement(tag);
      if (className) node.className = className;
      if (text !== undefined) node.textContent = text;
      return node;
    },
  };
})();

// The trainees' drill inbox: on a drill server (the page shows the 「訓練」
// banner), messages of fired injects addressed to this page's section (or to
// all) pop up as toasts at the top right. Polled every 3 s from the last seq
// seen in this tab (sessionStorage: a reload shows nothing twice; a new tab
// starts from now). Every new message is also sent to the page's own script
// as a `borasen:drill-message` event (the needs page takes call slips from it).
(function () {
  if (!document.querySelector(".drill-banner")) return;
  const path = location.pathname;
  if (path === "/drill" || path.indexOf("/drill/") === 0) return; // the trainer sees it all on the console
  // Sections by page; `null`: every section (the board and the map are the whole center).
  const PAGES = [
    ["/reception", ["reception"]], ["/desk", ["reception"]], ["/needs", ["needs"]],
    ["/matching", ["matching", "dispatch"]], ["/inventory", ["equipment"]], ["/board", null], ["/map", null],
  ];
  let sections = []; // another page: messages to all only
  PAGES.forEach(function (p) { if (path === p[0] || path.indexOf(p[0] + "/") === 0) sections = p[1]; });
  if (PAGES.some(function (p) { return path === p[0] || path.indexOf(p[0] + "/") === 0; })) {
    const outage = document.createElement("script"); // a desk: its outage screen and paper time
    outage.src = "/assets/drill_outage.js";
    document.head.appendChild(outage);
  }
  const KEY = "borasen-drill-inbox-since";
  const BASE = 3000;
  let delay = BASE;
  let since = null;
  try { const kept = sessionStorage.getItem(KEY); if (kept !== null && kept !== "") since = Number(kept); } catch (e) { /* no storage */ }

  if (!document.querySelector('link[href="/assets/drill.css"]')) {
    const sheet = document.createElement("link");
    sheet.rel = "stylesheet";
    sheet.href = "/assets/drill.css";
    document.head.appendChild(sheet);
  }
  const el = window.Borasen.el;
  let box = null;

  function keep(seq) {
    since = seq;
    try { sessionStorage.setItem(KEY, String(seq)); } catch (e) { /* no storage */ }
  }

  function toast(m) {
    if (!box) {
      box = el("div", "drill-toasts");
      box.id = "drill-toasts";
      box.setAttribute("aria-live", "polite");
      document.body.appendChild(box);
    }
    const t = el("div", "drill-toast");
    t.setAttribute("role", "status");
    t.dataset.seq = m.seq;
    t.dataset.inject = m.inject;
    const head = el("div", "drill-toast-head");
    head.appendChild(el("strong", "", window.Borasen.t("common.drill_message")));
    head.appendChild(el("span", "drill-toast-to", window.Borasen.label("drill.section.", m.to, m.to_label)));
    head.appendChild(el("time", "", (m.at || "").slice(11, 16)));
    const close = el("button", "drill-toast-close", "×");
    close.type = "button";
    close.setAttribute("aria-label", window.Borasen.t("common.close"));
    close.addEventListener("click", function () { t.remove(); });
    head.appendChild(close);
    t.appendChild(head);
    if (m.kind_label) t.appendChild(el("div", "drill-toast-kind", window.Borasen.label("drill.kind.", m.kind, m.kind_label)));
    // Words the drill made up come as a phrase; a message the scenario wrote is data, shown as written.
    t.appendChild(el("p", "drill-toast-message", m.message_phrase ? window.Borasen.phrase(m.message_phrase) : m.message));
    // A scenario's inquiry is answered from its toast (what `inquiry_answered` detects).
    if (m.kind === "inquiry" && m.inject) t.appendChild(answerForm(m.inject));
    box.prepend(t);
    while (box.children.length > 6) box.lastChild.remove();
  }

  function answerForm(inject) {
    const form = el("form", "drill-answer");
    const text = el("textarea");
    text.name = "answer";
    text.rows = 2;
    text.maxLength = 2000;
    text.required = true;
    text.setAttribute("aria-label", window.Borasen.t("evaluator.answer"));
    form.appendChild(text);
    form.appendChild(el("button", "secondary", window.Borasen.t("evaluator.send_answer")));
    const said = el("p", "drill-answer-said");
    said.setAttribute("role", "status");
    form.appendChild(said);
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      const answer = await window.Borasen.api("POST", "/api/drill/inquiries/" + inject + "/answer", { answer: text.value.trim() });
      said.textContent = answer.ok ? window.Borasen.t("evaluator.answered")
        : (answer.body.error && answer.body.error.message) || window.Borasen.t("evaluator.could_not_save");
      if (answer.ok) { text.disabled = true; form.querySelector("button").disabled = true; }
    });
    return form;
  }

  async function poll() {
    let stop = false;
    try {
      const response = await fetch("/api/drill/inbox?since=" + (since === null ? 0 : since), {
        headers: { "Accept-Language": window.Borasen.lang() },
      });
      if (response.status === 404 || response.status === 401 || response.status === 403) {
        stop = true; // not a drill server (or signed out): nothing to show
      } else if (!response.ok) {
        throw new Error("inbox " + response.status);
      } else {
        const answer = await response.json();
        const messages = answer.messages || [];
        const first = since === null;
        let last = Number(answer.seq) || 0;
        if (!first && last < since) {
          keep(last); // a new drill database: its seqs start again
        } else {
          if (!first) {
            messages.forEach(function (m) {
              if (m.seq <= since) return;
              document.dispatchEvent(new CustomEvent("borasen:drill-message", { detail: m }));
              if (m.to === "all" || sections === null || sections.indexOf(m.to) >= 0) toast(m);
            });
          }
          messages.forEach(function (m) { if (m.seq > last) last = m.seq; });
          keep(Math.max(last, since || 0));
        }
        delay = BASE;
      }
    } catch (e) {
      delay = Math.min(60000, delay * 2);
    }
    if (!stop) setTimeout(poll, delay);
  }
  poll();
})();
