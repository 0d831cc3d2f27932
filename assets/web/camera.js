// Camera scanning of QR codes (badges, registration QR, need cards, equipment
// codes) on any modern browser.
//
// `Borasen.camera({button, video, onCode, continuous})` turns `button` into a
// camera on/off switch; the picture shows in `video`, with a status line, a
// light (torch) and a front/back switch built here beside it. Codes are read
// by the browser's own BarcodeDetector where it reads QR codes (Android,
// macOS, ChromeOS), else by the vendored ZXing-C++ decoder (barcode-detector's
// ponyfill on zxing-wasm, /assets/vendor/), loaded only when a camera starts
// on such a browser. Its .wasm comes from this server, never from a CDN.
//
// Scanning is continuous unless `continuous: false` (then the camera stops
// after one code). Each code read beeps, vibrates where the device can, and
// flashes the picture with the code's text; the same code is ignored while it
// stays in view and for 3 s after it was last seen, so a code held still is
// read once. When the camera cannot start, the reason and what to do are
// shown in Japanese next to the button (`options.onError` is not called: the
// callers' generic message would only repeat it in another place).
// Returns `{ start, stop }`.
"use strict";
(function () {
  const PONYFILL = "/assets/vendor/barcode-detector-3.2.2/ponyfill.js";
  const WASM = "/assets/vendor/zxing-wasm-3.1.3/zxing_reader.wasm";
  const SAME_CODE_MS = 3000;
  const DECODER_TIMEOUT_MS = 30000;
  const DEVICE_KEY = "borasen-camera-device";
  const SCANNERS = Borasen.t("camera.a_usb_or_bluetooth_qr");

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }
  function within(promise, ms) {
    return Promise.race([promise, sleep(ms).then(function () { throw new Error("timeout"); })]);
  }

  // ---- the decoder: the browser's own, else the vendored one (loaded once per page) ----
  let fallback = null;
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      const script = document.createElement("script");
      script.src = src;
      script.async = true;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(script);
    });
  }
  async function loadFallback() {
    if (!window.BarcodeDetectionAPI) await loadScript(PONYFILL);
    const zxing = window.BarcodeDetectionAPI;
    // zxing-wasm would fetch its .wasm from jsDelivr: ours instead, and wait
    // until it is compiled so that a failure shows now, not as empty reads.
    await zxing.prepareZXingModule({
      overrides: {
        locateFile: function (path, prefix) { return path.endsWith(".wasm") ? WASM : prefix + path; },
      },
      fireImmediately: true,
    });
    return { kind: "zxing-wasm", detector: new zxing.BarcodeDetector({ formats: ["qr_code"] }), pause: 120 };
  }
  async function makeDetector() {
    if ("BarcodeDetector" in window) {
      try {
        // Chrome on Windows and Linux has the class but reads nothing.
        const formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.indexOf("qr_code") >= 0) {
          return { kind: "native", detector: new window.BarcodeDetector({ formats: ["qr_code"] }), pause: 60 };
        }
      } catch (e) { /* the fallback */ }
    }
    if (!fallback) fallback = within(loadFallback(), DECODER_TIMEOUT_MS);
    fallback.catch(function () { fallback = null; }); // a later press tries again
    return fallback;
  }

  // ---- what to say when the camera cannot start ----
  function platform() {
    const ua = navigator.userAgent;
    if (/iPad|iPhone|iPod/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1)) return "ios";
    if (/Android/.test(ua)) return /Firefox/.test(ua) ? "firefox" : "android";
    if (/Firefox/.test(ua)) return "firefox";
    if (/Macintosh/.test(ua) && /Safari/.test(ua) && !/Chrome|Chromium|Edg\//.test(ua)) return "mac-safari";
    return "desktop";
  }
  const ALLOW = {
    ios: Borasen.t("camera.ipad_iphone_in_the_address") +
      Borasen.t("camera.or_in_the_settings_app"),
    android: Borasen.t("camera.android_chrome_the_icon_left") +
      Borasen.t("camera.if_it_is_not_there"),
    firefox: Borasen.t("camera.firefox_press_the_permissions_icon"),
    "mac-safari": Borasen.t("camera.safari_mac_menu_safari_settings"),
    desktop: Borasen.t("camera.chrome_edge_computer_the_lock") +
      Borasen.t("camera.on_windows_also_check_settings"),
  };
  function reasonOf(error) {
    const name = (error && error.name) || "";
    if (name === "NotAllowedError" || name === "PermissionDeniedError") return "denied";
    if (name === "NotFoundError" || name === "DevicesNotFoundError" || name === "OverconstrainedError") return "none";
    if (name === "NotReadableError" || name === "TrackStartError" || name === "AbortError") return "busy";
    if (name === "SecurityError") return "blocked";
    return "other";
  }
  function explain(help, reason, error) {
    help.textContent = "";
    help.dataset.reason = reason;
    const add = function (text, className) { return help.appendChild(el("p", className || "", text)); };
    if (reason === "insecure") {
      add(Borasen.t("camera.the_camera_cannot_be_used"), "camera-help-title");
      add(Borasen.t("camera.browsers_let_only_pages_opened") +
        (location.protocol === "http:" ? Borasen.t("camera.this_page_was_opened_over") : "") +
        Borasen.t("camera.install_the_center_s_certificate"));
      const p = add("");
      const link = el("a", "", Borasen.t("camera.how_to_install_the_certificate"));
      link.href = "/setup";
      p.appendChild(link);
    } else if (reason === "denied") {
      add(Borasen.t("camera.camera_use_is_not_allowed"), "camera-help-title");
      add(ALLOW[platform()]);
      add(Borasen.t("camera.then_reload_the_page_and"));
    } else if (reason === "none") {
      add(Borasen.t("camera.no_camera_found_on_this"), "camera-help-title");
      add(Borasen.t("camera.check_that_a_camera_is"));
    } else if (reason === "busy") {
      add(Borasen.t("camera.the_camera_cannot_start_another"), "camera-help-title");
      add(Borasen.t("camera.close_video_call_or_camera"));
    } else if (reason === "blocked") {
      add(Borasen.t("camera.the_camera_is_forbidden_by"), "camera-help-title");
      add(Borasen.t("camera.ask_the_device_s_administrator"));
    } else if (reason === "decoder") {
      add(Borasen.t("camera.the_qr_code_reader_part"), "camera-help-title");
      add(Borasen.t("camera.check_the_wi_fi_then"));
    } else {
      add(Borasen.t("camera.the_camera_could_not_start") + (error && error.name ? Borasen.t("camera.paren_open") + error.name + Borasen.t("camera.paren_close") : "") + Borasen.t("camera.period"), "camera-help-title");
      add(Borasen.t("camera.press_camera_again"));
    }
    add(SCANNERS);
    help.hidden = false;
  }

  // A short beep (WebAudio, unlocked by the button press) and a buzz where the device can.
  let audio = null;
  function unlockAudio() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    try {
      if (!audio) audio = new Context();
      if (audio.state === "suspended") audio.resume();
    } catch (e) { audio = null; }
  }
  function beep() {
    if (navigator.vibrate) { try { navigator.vibrate(60); } catch (e) { /* not here */ } }
    if (!audio) return;
    try {
      const t = audio.currentTime;
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.type = "sine";
      tone.frequency.value = 1760;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.3, t + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.12);
      tone.connect(gain);
      gain.connect(audio.destination);
      tone.start(t);
      tone.stop(t + 0.13);
    } catch (e) { /* silent */ }
  }

  function remembered() { try { return localStorage.getItem(DEVICE_KEY); } catch (e) { return null; } }
  function remember(id) { try { if (id) localStorage.setItem(DEVICE_KEY, id); else localStorage.removeItem(DEVICE_KEY); } catch (e) { /* private mode */ } }

  window.Borasen = window.Borasen || {};
  window.Borasen.camera = function (options) {
    const button = options.button;
    const video = options.video;
    if (!button || !video) return null;
    const continuous = options.continuous !== false;
    const label = button.textContent;
    button.hidden = false;
    button.setAttribute("aria-pressed", "false");
    video.muted = true;
    video.setAttribute("playsinline", "");
    video.setAttribute("muted", "");

    // Beside the button: why the camera cannot start. Around the video: the
    // aim frame, the status line and the controls.
    const help = el("div", "camera-help");
    help.setAttribute("role", "alert");
    help.hidden = true;
    (button.closest("form") || button).after(help);
    const box = el("div", "camera-box");
    box.hidden = true;
    video.before(box);
    const frame = el("div", "camera-frame");
    frame.appendChild(video);
    frame.appendChild(el("div", "camera-aim"));
    const bar = el("div", "camera-bar");
    const status = el("p", "camera-status", "");
    status.setAttribute("role", "status");
    const torch = el("button", "secondary camera-torch", Borasen.t("camera.light"));
    torch.type = "button";
    torch.hidden = true;
    torch.setAttribute("aria-pressed", "false");
    const swap = el("button", "secondary camera-switch", Borasen.t("camera.switch_camera"));
    swap.type = "button";
    swap.hidden = true;
    const off = el("button", "secondary camera-stop", Borasen.t("camera.stop"));
    off.type = "button";
    bar.append(status, torch, swap, off);
    box.append(frame, bar);

    let stream = null;
    let session = 0; // bumped by every stop: a start still awaiting finds out it was cancelled
    let reader = null;
    let torchOn = false;
    const seen = new Map(); // code → when last in view

    function say(text) { status.textContent = text; }
    function show(on) {
      box.hidden = !on;
      video.hidden = !on;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? Borasen.t("camera.stop_the_camera") : label;
      button.classList.toggle("camera-on", on);
    }
    function release() {
      if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
      stream = null;
      video.srcObject = null;
    }
    function stop() {
      session += 1;
      release();
      torchOn = false;
      torch.hidden = true;
      swap.hidden = true;
      show(false);
    }

    async function open(deviceId) {
      const size = { width: { ideal: 1280 }, height: { ideal: 720 } };
      const wanted = deviceId
        ? Object.assign({ deviceId: { exact: deviceId } }, size)
        : Object.assign({ facingMode: { ideal: "environment" } }, size);
      try {
        return await navigator.mediaDevices.getUserMedia({ video: wanted, audio: false });
      } catch (e) {
        if (!deviceId || (e.name !== "OverconstrainedError" && e.name !== "NotFoundError")) throw e;
        remember(null); // that camera is gone: the back one, or any
        return open(null);
      }
    }

    async function attach(next) {
      stream = next;
      video.srcObject = next;
      await video.play().catch(function () { /* autoplay of a muted inline video is allowed */ });
      const track = next.getVideoTracks()[0];
      const caps = track && track.getCapabilities ? track.getCapabilities() : {};
      torchOn = false;
      torch.setAttribute("aria-pressed", "false");
      torch.textContent = Borasen.t("camera.light");
      torch.hidden = !caps.torch;
      const devices = await navigator.mediaDevices.enumerateDevices().catch(function () { return []; });
      swap.hidden = devices.filter(function (d) { return d.kind === "videoinput"; }).length < 2;
    }

    async function start() {
      if (box.hidden === false) return;
      help.hidden = true;
      if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        explain(help, "insecure");
        return;
      }
      const mine = ++session;
      seen.clear();
      unlockAudio();
      show(true);
      say(Borasen.t("camera.starting_the_camera"));
      const detecting = makeDetector();
      detecting.catch(function () { /* reported below */ });
      let next;
      try {
        next = await open(remembered());
      } catch (e) {
        if (mine !== session) return;
        stop();
        explain(help, reasonOf(e), e);
        return;
      }
      if (mine !== session) { next.getTracks().forEach(function (t) { t.stop(); }); return; }
      await attach(next);
      if (mine !== session) return;
      video.dataset.liveAt = String(Math.round(performance.now()));
      say(Borasen.t("camera.getting_ready_to_read_qr"));
      try {
        reader = await detecting;
      } catch (e) {
        if (mine !== session) return;
        stop();
        explain(help, "decoder", e);
        return;
      }
      if (mine !== session) return;
      video.dataset.decoder = reader.kind;
      video.dataset.readyAt = String(Math.round(performance.now()));
      say(Borasen.t("camera.hold_the_qr_code_inside"));
      scan(mine);
    }

    function confirm(code) {
      beep();
      say(Borasen.t("camera.read") + (code.length > 40 ? code.slice(0, 40) + "…" : code));
      frame.classList.remove("camera-hit");
      void frame.offsetWidth; // restart the flash
      frame.classList.add("camera-hit");
    }

    async function scan(mine) {
      let failures = 0;
      while (mine === session) {
        const began = performance.now();
        let codes = [];
        if (video.readyState >= 2 && video.videoWidth > 0) {
          try {
            codes = await reader.detector.detect(video);
            failures = 0;
          } catch (e) {
            failures += 1;
            if (failures >= 20 && mine === session) { stop(); explain(help, "decoder", e); return; }
          }
        }
        if (mine !== session) return;
        if (codes.length > 0) video.dataset.reads = String(Number(video.dataset.reads || 0) + 1);
        const now = Date.now();
        for (const code of codes) {
          const value = code.rawValue;
          if (!value) continue;
          const last = seen.get(value);
          seen.set(value, now);
          if (last !== undefined && now - last < SAME_CODE_MS) continue; // still in view, or read just now
          confirm(value);
          if (!continuous) stop();
          try { options.onCode(value); } catch (e) { console.error(e); }
          if (!continuous) return;
        }
        seen.forEach(function (at, value) { if (now - at >= SAME_CODE_MS) seen.delete(value); });
        await sleep(Math.max(16, reader.pause - (performance.now() - began)));
      }
    }

    button.addEventListener("click", function () {
      if (box.hidden) start(); else stop();
    });
    off.addEventListener("click", stop);
    torch.addEventListener("click", async function () {
      const track = stream && stream.getVideoTracks()[0];
      if (!track) return;
      try {
        await track.applyConstraints({ advanced: [{ torch: !torchOn }] });
        torchOn = !torchOn;
        torch.setAttribute("aria-pressed", torchOn ? "true" : "false");
        torch.textContent = torchOn ? Borasen.t("camera.turn_the_light_off") : Borasen.t("camera.light");
      } catch (e) {
        torch.hidden = true;
        say(Borasen.t("camera.this_device_has_no_light"));
      }
    });
    swap.addEventListener("click", async function () {
      const mine = session;
      const track = stream && stream.getVideoTracks()[0];
      if (!track) return;
      const devices = (await navigator.mediaDevices.enumerateDevices()).filter(function (d) { return d.kind === "videoinput"; });
      if (devices.length < 2 || mine !== session) return;
      const current = track.getSettings().deviceId;
      const at = devices.findIndex(function (d) { return d.deviceId === current; });
      const target = devices[(at + 1) % devices.length].deviceId;
      say(Borasen.t("camera.switching_cameras"));
      release(); // some tablets open one camera at a time
      try {
        const next = await open(target);
        if (mine !== session) { next.getTracks().forEach(function (t) { t.stop(); }); return; }
        remember(next.getVideoTracks()[0].getSettings().deviceId || target);
        await attach(next);
        say(Borasen.t("camera.hold_the_qr_code_inside"));
      } catch (e) {
        if (mine !== session) return;
        stop();
        explain(help, reasonOf(e), e);
      }
    });
    // A hidden page gives the camera back (other apps, the battery).
    document.addEventListener("visibilitychange", function () { if (document.hidden) stop(); });
    window.addEventListener("pagehide", stop);

    return { start: start, stop: stop };
  };
})();
