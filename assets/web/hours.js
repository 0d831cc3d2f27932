// The desk's 受付時間外 warning: shown while the center's time is outside its
// reception hours (the settings). Check-ins are still taken. The center's
// time comes with the page; the tablet's own clock only measures what passed.
"use strict";
(function () {
  const box = document.getElementById("reception-hours");
  if (!box) return;
  const minutes = function (hhmm) { return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5)); };
  const opens = minutes(box.dataset.opens);
  const closes = minutes(box.dataset.closes);
  const stamp = box.dataset.centerTime; // RFC 3339 with the center's offset
  const offset = stamp.endsWith("Z") ? 0 :
    (stamp.slice(-6, -5) === "-" ? -1 : 1) * minutes(stamp.slice(-5));
  const skew = Date.parse(stamp) - Date.now();

  function check() {
    const utc = new Date(Date.now() + skew);
    const now = (utc.getUTCHours() * 60 + utc.getUTCMinutes() + offset + 1440) % 1440;
    box.hidden = now >= opens && now < closes;
  }
  check();
  setInterval(check, 20000);
})();
