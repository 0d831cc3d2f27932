// The drill's clock in the 「訓練」 banner (base.html). The page comes with the
// drill time it was made at and the clock's speed (0: standing still); between
// looks at GET /api/drill (every 10 s: the header and the clock, all a player
// is told) it moves on at that speed. Shown in the center's time zone, taken
// from the stamp, whatever the tablet's own.
"use strict";
(function () {
  const clock = document.getElementById("drill-banner-clock");
  if (!clock) return;
  const LOOK_EVERY = 10000;
  let anchor = read(clock.getAttribute("datetime"), Number(clock.dataset.speed) || 0);

  function read(stamp, speed) {
    const zone = /([+-])(\d\d):(\d\d)$/.exec(stamp || "");
    const offset = zone ? (zone[1] === "-" ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3])) * 60000 : 0;
    return { at: Date.parse(stamp), offset: offset, speed: speed, real: performance.now() };
  }

  function draw() {
    if (isNaN(anchor.at)) return;
    const now = anchor.at + (performance.now() - anchor.real) * anchor.speed;
    const text = new Date(now + anchor.offset).toISOString().slice(11, 16);
    if (clock.textContent !== text) clock.textContent = text;
    clock.setAttribute("datetime", new Date(now).toISOString());
  }

  async function look() {
    try {
      const response = await fetch("/api/drill", { headers: { "Accept-Language": document.documentElement.lang || "ja" } });
      if (response.ok) {
        const drill = await response.json();
        if (drill.drill && drill.now) anchor = read(drill.now, drill.state === "running" ? Number(drill.speed) || 0 : 0);
      }
    } catch (e) { /* offline: keep counting from the last look */ }
    draw();
  }

  setInterval(draw, 1000);
  setInterval(look, LOOK_EVERY);
})();
