// The service worker (served at /sw.js so its scope is the whole site): the
// desks' app shell, so that /reception, /matching and /needs open while the
// Wi-Fi is down. It runs only in secure contexts (https, localhost); on plain
// http the offline queue works without it.
//
// - The desks' HTML: network first; the last good copy when the network fails
//   (or is slower than 4 s and a copy exists). Stored by path without the query,
//   only from a 200 that was not redirected (never the login page). The HTML is
//   per user (the needs list shows requesters' names): it lives in its own cache,
//   deleted when anyone logs in or out on this tablet.
// - /assets/*, the favicon and the manifest: network first with the server's
//   ETag (a 304 costs almost nothing), the cached copy when offline or slower
//   than 3 s. A new build's files replace the old ones at the first load online.
// - /api/, /ws/ and every other request: not touched, never cached.
// Bump VERSION when this file changes: the old caches go at activation.
"use strict";
const VERSION = "v1";
const SHELL = "borasen-shell-" + VERSION;
const PAGES = "borasen-pages-" + VERSION;
const PAGE_PATHS = ["/reception", "/matching", "/needs"];
const SHELL_FILES = [
  "/assets/app.css", "/assets/offline.css", "/assets/drill.css",
  "/assets/common.js", "/assets/offline.js", "/assets/camera.js",
  "/assets/desk.js", "/assets/registration.js", "/assets/matching.js", "/assets/needs.js",
  "/favicon.ico", "/manifest.webmanifest", "/assets/icons/icon-180.png", "/assets/icons/icon-192.png",
];
const PAGE_TIMEOUT_MS = 4000;
const ASSET_TIMEOUT_MS = 3000;

function storable(response) {
  return response && response.ok && response.status === 200 && response.type === "basic" && !response.redirected;
}

// Best effort: one missing file (or a desk this user may not open) does not stop the install.
async function fill(cacheName, paths) {
  const cache = await caches.open(cacheName);
  await Promise.all(paths.map(async function (path) {
    try {
      const response = await fetch(path, { credentials: "same-origin", cache: "no-cache" });
      if (storable(response)) await cache.put(path, response);
    } catch (e) { /* offline at install: filled at the next load */ }
  }));
}

self.addEventListener("install", function (event) {
  event.waitUntil(Promise.all([fill(SHELL, SHELL_FILES), fill(PAGES, PAGE_PATHS)]).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("borasen-") === 0 && name !== SHELL && name !== PAGES;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

// The network's answer, or the cached copy when the network fails or (with a
// copy at hand) takes longer than `ms`; a late answer still refreshes the cache.
async function networkFirst(request, cacheName, key, ms, store) {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(key);
  const network = fetch(request).then(function (response) {
    if (store && storable(response)) cache.put(key, response.clone()).catch(function () {});
    return response;
  });
  if (!cached) return network.catch(function () { return request.mode === "navigate" ? offlinePage() : Response.error(); });
  let timer = 0;
  const late = new Promise(function (resolve) { timer = setTimeout(function () { resolve(cached); }, ms); });
  return Promise.race([network.catch(function () { return cached; }), late]).finally(function () { clearTimeout(timer); });
}

function offlinePage() {
  const links = PAGE_PATHS.map(function (p) { return '<a href="' + p + '">' + p + "</a>"; }).join("　");
  const html = '<!doctype html><html lang="ja"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>通信できません / No connection — ボラセン</title>' +
    '<link rel="stylesheet" href="/assets/app.css"></head><body><main><h1>通信できません / No connection</h1>' +
    "<p>この画面はまだこの端末に保存されていません。Wi-Fiがつながってから、もう一度開いてください。<br>" +
    "This screen is not saved on this device yet. Open it again once the Wi-Fi is back.</p>" +
    "<p>受付・マッチング・ニーズの画面は、一度開いていれば通信がなくても開けます。<br>" +
    "Reception, matching and needs open without a connection once they have been opened: " + links + "</p></main></body></html>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
}

self.addEventListener("fetch", function (event) {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Another person may log in next: the per-user pages go.
  if (request.method === "POST" && (url.pathname === "/logout" || url.pathname === "/login")) {
    event.waitUntil(caches.delete(PAGES));
    return;
  }
  if (request.method !== "GET") return;
  const path = url.pathname;
  if (path.indexOf("/api/") === 0 || path.indexOf("/ws/") === 0) return;
  if (PAGE_PATHS.indexOf(path) >= 0) {
    event.respondWith(networkFirst(request, PAGES, path, PAGE_TIMEOUT_MS, url.search === ""));
  } else if (path.indexOf("/assets/") === 0 || path === "/favicon.ico" || path === "/manifest.webmanifest") {
    event.respondWith(networkFirst(request, SHELL, path, ASSET_TIMEOUT_MS, true));
  } else if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () { return offlinePage(); }));
  }
});
