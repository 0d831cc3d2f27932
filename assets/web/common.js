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
  el: function (tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  },
};
