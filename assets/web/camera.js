// Camera scanning of QR codes (badges, need cards, equipment codes).
"use strict";
// Camera scanning where the browser reads QR codes itself (BarcodeDetector);
// no library needed. The button shows only where it works. `continuous`
// keeps reading (a badge after a badge; the same code again only after 2 s)
// until the button is pressed again.
window.Borasen.camera = function (options) {
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
};
