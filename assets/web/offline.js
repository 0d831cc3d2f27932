// The desk's offline queue (IndexedDB) and the service worker's registration.
"use strict";
