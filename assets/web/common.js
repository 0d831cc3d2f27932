// What every staff page's script shares: calling the JSON API (Japanese
// errors; a lost session goes back to the login) and making elements.
"use strict";
window.Borasen = {
  api: async function (method, path, payload) {
    const response = await fetch(path, {
      method: method,
      headers: { "Content-Type": "application/json", "Accept-Language": "ja" },
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
    if (response.status === 401) { location.href = "/login"; }
    const answer = await response.json().catch(function () { return {}; });
    return { ok: response.ok, status: response.status, body: answer };
  },
  // Follows /ws/board from the snapshot's seq: `onEvent(event)` for each event
  // once, in order; `onLink(live)` as the connection comes and goes;
  // `onReset()` after the snapshot is taken again (the log was restored from a
  // backup, close code 4000). A dropped connection resumes with backoff and jitter.
  follow: function (handlers) {
    let lastSeq = 0;
    let attempt = 0;
    const link = handlers.onLink || function () {};
    async function snapshot() {
      const response = await fetch("/api/board", { headers: { "Accept-Language": "ja" } });
      if (response.status === 401) { location.href = "/login"; throw new Error("signed out"); }
      if (!response.ok) throw new Error("snapshot " + response.status);
      lastSeq = (await response.json()).seq;
    }
    function connect() {
      const scheme = location.protocol === "https:" ? "wss:" : "ws:";
      const socket = new WebSocket(scheme + "//" + location.host + "/ws/board?since=" + lastSeq);
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
        attempt += 1;
        const ceiling = Math.min(30000, 500 * Math.pow(2, attempt));
        const next = closed.code === 4000
          ? function () { snapshot().then(function () { if (handlers.onReset) handlers.onReset(); connect(); }, connect); }
          : connect;
        setTimeout(next, ceiling / 2 + Math.random() * ceiling / 2);
      };
    }
    link(false);
    // `ready()`: load what the page draws, as new as the snapshot's seq or newer, before events flow.
    return snapshot().then(function () { return handlers.ready ? handlers.ready() : null; }).then(connect);
  },
  // Camera scanning where the browser reads QR codes itself (BarcodeDetector);
  // no library needed. The button shows only where it works. `continuous`
  // keeps reading (a badge after a badge; the same code again only after 2 s)
  // until the button is pressed again.
  camera: function (options) {
    const button = options.button;
    const video = options.video;
    if (!("BarcodeDetector" in window && navigator.mediaDevices)) return;
    button.hidden = false;
    let stream = null;
    let last = { code: "", at: 0 };
    function stop() {
      if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
      stream = null;
      video.hidden = true;
    }
    button.addEventListener("click", async function () {
      if (stream) { stop(); return; } // one camera stream at a time; a second press stops it
      const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      } catch (e) {
        options.onError();
        return;
      }
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      const tick = async function () {
        if (!stream) return;
        const codes = await detector.detect(video).catch(function () { return []; });
        const now = Date.now();
        if (codes.length > 0 && (codes[0].rawValue !== last.code || now - last.at > 2000)) {
          last = { code: codes[0].rawValue, at: now };
          if (!options.continuous) stop();
          options.onCode(codes[0].rawValue);
        }
        if (stream) requestAnimationFrame(tick);
      };
      tick();
    });
  },
  el: function (tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  },
};
