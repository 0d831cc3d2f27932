// The service worker (served at /sw.js so its scope is the whole site).
"use strict";
