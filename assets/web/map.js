// borasen map page: the server draws the map as one SVG (/api/map.svg) in Web
// Mercator world pixels (see src/zones/map_svg.rs); this script only moves the
// viewBox. Drag pans, the wheel, the +/- buttons and a two-finger pinch zoom,
// a tap without a drag places a pin and asks the server which zone it is in.
// With a base map configured it lays /tiles/{z}/{x}/{y}.png under the zones.
// It follows /ws/board like the board page and redraws when needs or zones change.
"use strict";
(function () {
  const root = document.getElementById("map-page");
  const view = document.getElementById("map");
  const linkState = document.getElementById("link-state");
  const errorLine = document.getElementById("map-error");
  const info = document.getElementById("placed-info");
  const zoneLabel = document.getElementById("placed-zone");
  const coordsLabel = document.getElementById("placed-coords");
  const needLink = document.getElementById("placed-link");
  const lang = root.dataset.lang;
  const tilesOn = root.dataset.tiles === "on";
  const SVG_NS = "http://www.w3.org/2000/svg";
  const TILE_MIN = 10, TILE_MAX = 18, TILE_LIMIT = 120;
  const TAP_SLOP = 6; // screen pixels a tap may wander and still be a tap
  const MIN_UNITS_PER_PX = 1 / 16; // about world zoom 20: closer is pointless

  let svg = null; // the <svg> on the page
  let worldSize = 16777216, worldZoom = 16; // replaced by the SVG's own data-*
  let home = null; // the server's frame {x, y, w, h}
  let vb = null; // the current view, world pixels, same aspect as the container
  let placed = null; // {x, y, lon, lat}
  let placeTicket = 0;
  let reloadTimer = 0, tileFrame = 0;

  // ---- coordinates -------------------------------------------------------
  function lonLat(x, y) {
    const lon = x / worldSize * 360 - 180;
    const lat = Math.atan(Math.sinh(Math.PI * (1 - 2 * y / worldSize))) * 180 / Math.PI;
    return { lon: lon, lat: lat };
  }

  function size() {
    return { w: Math.max(1, view.clientWidth), h: Math.max(1, view.clientHeight) };
  }

  // World units per screen pixel of the current view.
  function unitsPerPx() { return vb.w / size().w; }

  // A frame grown to the container's aspect, around its centre.
  function fitted(frame) {
    const s = size();
    const u = Math.max(frame.w / s.w, frame.h / s.h);
    const cx = frame.x + frame.w / 2, cy = frame.y + frame.h / 2;
    return { x: cx - u * s.w / 2, y: cy - u * s.h / 2, w: u * s.w, h: u * s.h };
  }

  // Screen point → world pixel, in doubles (the SVG's own matrices are floats).
  function toWorld(clientX, clientY) {
    const r = svg.getBoundingClientRect();
    const s = Math.max(vb.w / r.width, vb.h / r.height); // preserveAspectRatio meet
    const ox = vb.x - (r.width * s - vb.w) / 2, oy = vb.y - (r.height * s - vb.h) / 2;
    return { x: ox + (clientX - r.left) * s, y: oy + (clientY - r.top) * s };
  }

  // ---- the view ------------------------------------------------------------
  function apply() {
    if (!svg || !vb) return;
    const u = unitsPerPx();
    svg.setAttribute("viewBox", vb.x + " " + vb.y + " " + vb.w + " " + vb.h);
    svg.style.setProperty("--u", String(u));
    const legend = svg.querySelector("#legend");
    if (legend) legend.setAttribute("transform", "translate(" + vb.x + " " + vb.y + ") scale(" + u + ")");
    scheduleTiles();
  }

  function zoomAt(factor, clientX, clientY) {
    if (!vb) return;
    const s = size();
    const u = unitsPerPx();
    const next = Math.min(worldSize / s.w, Math.max(MIN_UNITS_PER_PX, u * factor));
    const f = next / u;
    const p = toWorld(clientX, clientY);
    vb = { x: p.x - (p.x - vb.x) * f, y: p.y - (p.y - vb.y) * f, w: vb.w * f, h: vb.h * f };
    apply();
  }

  function zoomCentre(factor) {
    const r = view.getBoundingClientRect();
    zoomAt(factor, r.left + r.width / 2, r.top + r.height / 2);
  }

  function panBy(dxPx, dyPx) {
    const u = unitsPerPx();
    vb = { x: vb.x - dxPx * u, y: vb.y - dyPx * u, w: vb.w, h: vb.h };
    apply();
  }

  // ---- base map tiles --------------------------------------------------------
  function scheduleTiles() {
    if (!tilesOn || tileFrame) return;
    tileFrame = requestAnimationFrame(function () { tileFrame = 0; drawTiles(); });
  }

  // Tiles of one zoom level covering the view: the level whose pixels are
  // closest to screen pixels, coarser while there would be too many.
  function drawTiles() {
    const layer = svg && svg.querySelector("#tiles");
    if (!layer) return;
    let z = Math.min(TILE_MAX, Math.max(TILE_MIN, Math.round(worldZoom - Math.log2(unitsPerPx()))));
    let range = tileRange(z);
    while (range.count > TILE_LIMIT && z > TILE_MIN) range = tileRange(--z);
    const wanted = new Map();
    if (range.count <= TILE_LIMIT) {
      for (let tx = range.x0; tx <= range.x1; tx++) {
        for (let ty = range.y0; ty <= range.y1; ty++) wanted.set(z + "/" + tx + "/" + ty, [tx, ty]);
      }
    }
    for (const image of Array.from(layer.children)) {
      if (wanted.has(image.dataset.tile)) wanted.delete(image.dataset.tile);
      else image.remove();
    }
    const side = worldSize / Math.pow(2, z);
    for (const [key, [tx, ty]] of wanted) {
      const image = document.createElementNS(SVG_NS, "image");
      image.dataset.tile = key;
      image.setAttribute("x", String(tx * side));
      image.setAttribute("y", String(ty * side));
      image.setAttribute("width", String(side));
      image.setAttribute("height", String(side));
      image.setAttribute("preserveAspectRatio", "none");
      // A tile the file lacks answers 404: keep the element (so it is not asked again), hide it.
      image.addEventListener("error", function () { image.setAttribute("visibility", "hidden"); });
      image.setAttribute("href", "/tiles/" + key + ".png");
      layer.appendChild(image);
    }
  }

  function tileRange(z) {
    const n = Math.pow(2, z), side = worldSize / n;
    const clamp = function (v) { return Math.min(n - 1, Math.max(0, Math.floor(v / side))); };
    const x0 = clamp(vb.x), x1 = clamp(vb.x + vb.w), y0 = clamp(vb.y), y1 = clamp(vb.y + vb.h);
    return { x0: x0, x1: x1, y0: y0, y1: y1, count: (x1 - x0 + 1) * (y1 - y0 + 1) };
  }

  // ---- the placed pin -------------------------------------------------------
  function drawPlaced() {
    if (!svg) return;
    const old = svg.querySelector("#placed");
    if (old) old.remove();
    if (!placed) return;
    const g = document.createElementNS(SVG_NS, "g");
    g.setAttribute("id", "placed");
    for (const cls of ["placed-pin", "placed-dot"]) {
      const c = document.createElementNS(SVG_NS, "circle");
      c.setAttribute("class", cls);
      c.setAttribute("cx", String(placed.x));
      c.setAttribute("cy", String(placed.y));
      c.setAttribute("r", String(cls === "placed-pin" ? 9 * unitsPerPx() : 2.5 * unitsPerPx()));
      g.appendChild(c);
    }
    svg.insertBefore(g, svg.querySelector("#legend"));
  }

  async function place(clientX, clientY) {
    const p = toWorld(clientX, clientY);
    const ll = lonLat(p.x, p.y);
    placed = { x: p.x, y: p.y, lon: ll.lon, lat: ll.lat };
    drawPlaced();
    const lat = ll.lat.toFixed(6), lon = ll.lon.toFixed(6);
    coordsLabel.textContent = lat + ", " + lon;
    needLink.href = "/needs?new=1&lat=" + lat + "&lon=" + lon;
    zoneLabel.textContent = "…";
    info.hidden = false;
    const ticket = ++placeTicket;
    try {
      const response = await fetch("/api/zones/locate?lat=" + lat + "&lon=" + lon, { headers: { "Accept-Language": lang } });
      if (response.status === 401) { location.href = "/login"; return; }
      const body = await response.json();
      if (ticket !== placeTicket) return; // a later tap won
      zoneLabel.textContent = response.ok && body.zone ? body.zone : root.dataset.zoneUnknown;
      zoneLabel.classList.toggle("unknown", !(response.ok && body.zone));
    } catch (e) {
      if (ticket === placeTicket) zoneLabel.textContent = root.dataset.zoneUnknown;
    }
  }

  function clearPlaced() {
    placed = null;
    placeTicket++;
    drawPlaced();
    info.hidden = true;
  }

  // ---- loading the SVG ---------------------------------------------------------
  async function loadMap() {
    const response = await fetch("/api/map.svg", { headers: { "Accept-Language": lang }, cache: "no-store" });
    if (response.status === 401) { location.href = "/login"; return; }
    if (!response.ok) throw new Error("map " + response.status);
    const doc = new DOMParser().parseFromString(await response.text(), "image/svg+xml");
    if (doc.querySelector("parsererror")) throw new Error("map is not SVG");
    const fresh = document.importNode(doc.documentElement, true);
    worldSize = Number(fresh.dataset.worldSize) || worldSize;
    worldZoom = Number(fresh.dataset.worldZoom) || worldZoom;
    const box = fresh.getAttribute("viewBox").split(/\s+/).map(Number);
    home = { x: box[0], y: box[1], w: box[2], h: box[3] };
    if (svg) {
      // Keep the tiles already loaded; the new map has an empty layer.
      const oldTiles = svg.querySelector("#tiles"), newTiles = fresh.querySelector("#tiles");
      while (oldTiles && newTiles && oldTiles.firstChild) newTiles.appendChild(oldTiles.firstChild);
      view.replaceChild(fresh, svg);
    } else {
      view.appendChild(fresh);
    }
    svg = fresh;
    if (!vb) vb = fitted(home); // a redraw keeps the view the user chose
    drawPlaced();
    apply();
    errorLine.hidden = true;
    root.dataset.loaded = String((Number(root.dataset.loaded) || 0) + 1); // for tests and the curious
  }

  function reloadSoon() {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(function () {
      loadMap().catch(function () {
        errorLine.textContent = root.dataset.loadFailed;
        errorLine.hidden = false;
        reloadSoon();
      });
    }, 300);
  }

  // ---- pointer, wheel, keys ------------------------------------------------------
  const pointers = new Map(); // pointerId → {x, y}
  let gesture = null; // {x, y (start), moved, pinch}

  view.addEventListener("pointerdown", function (e) {
    if (!svg || (e.pointerType === "mouse" && e.button !== 0)) return;
    view.setPointerCapture(e.pointerId);
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (pointers.size === 1) gesture = { x: e.clientX, y: e.clientY, moved: false, pinch: false };
    else if (gesture) gesture.pinch = true;
    view.classList.add("dragging");
  });

  view.addEventListener("pointermove", function (e) {
    const before = pointers.get(e.pointerId);
    if (!before || !gesture) return;
    const now = { x: e.clientX, y: e.clientY };
    if (pointers.size === 1) {
      if (Math.hypot(now.x - gesture.x, now.y - gesture.y) > TAP_SLOP) gesture.moved = true;
      pointers.set(e.pointerId, now);
      panBy(now.x - before.x, now.y - before.y);
    } else if (pointers.size === 2) {
      const other = Array.from(pointers.entries()).find(function (p) { return p[0] !== e.pointerId; })[1];
      const d0 = Math.hypot(before.x - other.x, before.y - other.y);
      const d1 = Math.hypot(now.x - other.x, now.y - other.y);
      const m0 = { x: (before.x + other.x) / 2, y: (before.y + other.y) / 2 };
      const m1 = { x: (now.x + other.x) / 2, y: (now.y + other.y) / 2 };
      pointers.set(e.pointerId, now);
      panBy(m1.x - m0.x, m1.y - m0.y);
      if (d0 > 0 && d1 > 0) zoomAt(d0 / d1, m1.x, m1.y);
    } else {
      pointers.set(e.pointerId, now);
    }
  });

  function pointerEnd(e, cancelled) {
    if (!pointers.delete(e.pointerId)) return;
    if (pointers.size > 0) return;
    view.classList.remove("dragging");
    const tap = gesture && !cancelled && !gesture.moved && !gesture.pinch;
    gesture = null;
    if (tap) place(e.clientX, e.clientY);
  }
  view.addEventListener("pointerup", function (e) { pointerEnd(e, false); });
  view.addEventListener("pointercancel", function (e) { pointerEnd(e, true); });

  view.addEventListener("wheel", function (e) {
    e.preventDefault();
    const lines = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
    zoomAt(Math.exp(e.deltaY * lines * 0.002), e.clientX, e.clientY);
  }, { passive: false });

  view.addEventListener("keydown", function (e) {
    const step = 60;
    const moves = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[e.key]) { panBy(moves[e.key][0], moves[e.key][1]); e.preventDefault(); }
    else if (e.key === "+" || e.key === "=") { zoomCentre(0.5); e.preventDefault(); }
    else if (e.key === "-") { zoomCentre(2); e.preventDefault(); }
  });

  document.getElementById("zoom-in").addEventListener("click", function () { zoomCentre(0.5); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomCentre(2); });
  document.getElementById("zoom-fit").addEventListener("click", function () {
    if (home) { vb = fitted(home); apply(); }
  });
  document.getElementById("placed-clear").addEventListener("click", clearPlaced);

  // The container changed size (rotation, window): same centre, same scale.
  window.addEventListener("resize", function () {
    if (!vb) return;
    const u = vb.w / Math.max(1, view.dataset.width || size().w);
    const s = size();
    const cx = vb.x + vb.w / 2, cy = vb.y + vb.h / 2;
    vb = { x: cx - u * s.w / 2, y: cy - u * s.h / 2, w: u * s.w, h: u * s.h };
    view.dataset.width = String(s.w);
    apply();
  });

  // ---- live: follow the board's websocket ----------------------------------------
  function setLink(live) {
    linkState.textContent = live ? root.dataset.live : root.dataset.reconnecting;
    linkState.className = "link-state " + (live ? "live" : "down");
  }

  function onEvent(event) {
    if (event.kind.startsWith("need.") || event.kind.startsWith("zones.")) reloadSoon();
  }

  view.dataset.width = String(size().w);
  // The snapshot's seq first, then the map (as new as that seq or newer), then events after the seq.
  window.Borasen.follow({
    onEvent: onEvent, onLink: setLink, onReset: reloadSoon,
    ready: function () { return loadMap().catch(reloadSoon); },
  })
    .catch(function () { setTimeout(function () { location.reload(); }, 5000); });
})();
