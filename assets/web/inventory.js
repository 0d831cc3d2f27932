// The equipment page: per item, receive (入庫), stocktake (棚卸) and write-off
// (紛失・破損・消費), an edit of its catalogue fields, and its ledger; adding
// an item. Every form posts to the JSON API, then the page is read again.
"use strict";
(function () {
  const api = window.Borasen.api;
  const el = window.Borasen.el;
  const detail = document.getElementById("detail");
  const detailTitle = document.getElementById("detail-title");
  const detailError = document.getElementById("detail-error");
  const ledgerBody = document.querySelector("#ledger tbody");
  const editForm = document.getElementById("edit-form");
  const MOVEMENT = { received: Borasen.t("inventory.received"), lent: Borasen.t("inventory.lent"), returned: Borasen.t("inventory.returned"), lost: Borasen.t("inventory.lost"), damaged: Borasen.t("inventory.damaged"), consumed: Borasen.t("inventory.used_up"), adjusted: Borasen.t("inventory.stocktake") };
  let current = null; // the row's dataset of the item open in the panel

  function clearErrors(root) {
    root.querySelectorAll(".field-error").forEach(function (s) { s.textContent = ""; });
  }

  // Shows an API error next to its field when the form has it, else at the top.
  function showError(form, top, answer) {
    const error = (answer.body && answer.body.error) || { message: Borasen.t("inventory.could_not_send") };
    const slot = error.field ? form.querySelector('.field-error[data-for="' + error.field + '"]') : null;
    if (slot) { slot.textContent = error.message; } else { top.textContent = error.message; top.hidden = false; }
  }

  function reloadWith(id) {
    location.href = "/inventory" + (id ? "?item=" + id + "#detail" : "");
  }

  function number(input) {
    const v = input.value.trim();
    return v === "" ? null : Number(v);
  }

  async function loadLedger(id) {
    ledgerBody.replaceChildren();
    const answer = await api("GET", "/api/items/" + id + "/ledger");
    if (!answer.ok) { showError(detail, detailError, answer); return; }
    answer.body.slice().reverse().forEach(function (row) {
      const tr = el("tr", row.movement);
      const cells = [
        row.at.slice(5, 16).replace("T", " "),
        MOVEMENT[row.movement] || row.movement,
        String(row.qty),
        (row.delta > 0 ? "+" : "") + row.delta,
        String(row.stock_after),
        row.team_no || "",
        row.note || "",
        row.actor,
      ];
      cells.forEach(function (text, i) { tr.appendChild(el("td", i >= 2 && i <= 4 ? "num" : "", text)); });
      ledgerBody.appendChild(tr);
    });
    if (!answer.body.length) {
      const tr = el("tr");
      const td = el("td", "", Borasen.t("inventory.no_records_yet"));
      td.colSpan = 8;
      tr.appendChild(td);
      ledgerBody.appendChild(tr);
    }
  }

  function open(row) {
    current = row.dataset;
    detailTitle.textContent = current.name + Borasen.t("inventory.in_stock") + current.stock + current.unit + Borasen.t("inventory.paren_close");
    detailError.hidden = true;
    clearErrors(detail);
    const f = editForm.elements;
    f.name.value = current.name;
    f.unit.value = current.unit;
    f.low_stock_threshold.value = current.threshold;
    f.source.value = current.source;
    f.owner.value = current.owner;
    f.code.value = current.code;
    // A sheet of this item's labels, when it has a code to print.
    const labels = document.getElementById("item-labels");
    labels.hidden = current.code === "";
    labels.href = "/api/items/labels.pdf?item=" + current.id;
    detail.hidden = false;
    detail.scrollIntoView({ behavior: "smooth", block: "start" });
    loadLedger(current.id);
  }

  document.querySelectorAll(".open-item").forEach(function (button) {
    button.addEventListener("click", function () { open(button.closest("tr")); });
  });
  document.getElementById("detail-close").addEventListener("click", function () { detail.hidden = true; current = null; });

  const bodies = {
    receive: function (f) { return { qty: number(f.qty), note: f.note.value }; },
    adjust: function (f) { return { counted: number(f.counted), reason: f.reason.value }; },
    writeoff: function (f) {
      const kind = Array.prototype.find.call(f.kind, function (r) { return r.checked; });
      return { qty: number(f.qty), kind: kind ? kind.value : null, reason: f.reason.value };
    },
  };
  ["receive-form", "adjust-form", "writeoff-form"].forEach(function (formId) {
    const form = document.getElementById(formId);
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      if (!current) return;
      clearErrors(detail);
      detailError.hidden = true;
      const path = form.dataset.path;
      const answer = await api("POST", "/api/items/" + current.id + "/" + path, bodies[path](form.elements));
      if (answer.ok) { reloadWith(current.id); } else { showError(form, detailError, answer); }
    });
  });

  editForm.addEventListener("submit", async function (event) {
    event.preventDefault();
    if (!current) return;
    clearErrors(detail);
    detailError.hidden = true;
    const f = editForm.elements;
    const body = {
      version: Number(current.version),
      name: f.name.value,
      unit: f.unit.value,
      low_stock_threshold: number(f.low_stock_threshold) || 0,
      source: f.source.value,
      owner: f.owner.value.trim() || null,
      code: f.code.value.trim() || null,
    };
    const answer = await api("PATCH", "/api/items/" + current.id, body);
    if (answer.ok) { reloadWith(current.id); } else { showError(editForm, detailError, answer); }
  });

  const newForm = document.getElementById("new-item-form");
  const newError = document.getElementById("new-item-error");
  newForm.addEventListener("submit", async function (event) {
    event.preventDefault();
    clearErrors(newForm);
    newError.hidden = true;
    const f = newForm.elements;
    const body = {
      name: f.name.value,
      unit: f.unit.value,
      kind: f.kind.value,
      source: f.source.value,
      owner: f.owner.value.trim() || null,
      code: f.code.value.trim() || null,
      low_stock_threshold: number(f.low_stock_threshold) || 0,
      initial_stock: number(f.initial_stock) || 0,
    };
    const answer = await api("POST", "/api/items", body);
    if (answer.ok) { reloadWith(answer.body.id); } else { showError(newForm, newError, answer); }
  });

  // Scanning an item's printed code (a QR/barcode reader types it and Enter,
  // or the camera reads it) opens that item; an unknown code is offered to
  // the new-item form. Codes compare folded: full-width, case and spaces.
  const scanForm = document.getElementById("item-scan");
  const scanInput = document.getElementById("item-scan-input");
  const scanResult = document.getElementById("item-scan-result");
  function fold(code) { return code.normalize("NFKC").trim().toUpperCase(); }
  function said(kind, text, extra) {
    scanResult.className = "result " + kind;
    scanResult.replaceChildren(el("strong", "", text));
    if (extra) scanResult.appendChild(extra);
    scanResult.hidden = false;
  }
  async function found(code) {
    const wanted = fold(code);
    if (wanted === "") return;
    let row = Array.prototype.find.call(document.querySelectorAll("#items-list tr[data-id]"), function (r) {
      return r.dataset.code !== "" && fold(r.dataset.code) === wanted;
    });
    if (!row) {
      // The server folds as a scanner types through a Japanese IME (the IME's long dash too).
      const answer = await api("GET", "/api/items/scan?code=" + encodeURIComponent(code.trim()));
      if (answer.ok) row = document.querySelector('#items-list tr[data-id="' + answer.body.id + '"]');
    }
    document.querySelectorAll("#items-list tr.camera-found").forEach(function (r) { r.classList.remove("camera-found"); });
    if (row) {
      row.classList.add("camera-found");
      said("ok", row.dataset.code + Borasen.t("inventory.colon") + row.dataset.name + Borasen.t("inventory.in_stock") + row.dataset.stock + row.dataset.unit + Borasen.t("inventory.paren_close"));
      open(row);
      return;
    }
    const add = el("button", "secondary", Borasen.t("inventory.add_an_item_with_this"));
    add.type = "button";
    add.addEventListener("click", function () {
      newForm.elements.code.value = code.normalize("NFKC").trim();
      newForm.scrollIntoView({ behavior: "smooth", block: "start" });
      newForm.elements.name.focus();
    });
    said("warn", Borasen.t("inventory.no_equipment_has_the_code") + code.trim() + Borasen.t("inventory.not_registered_close"), add);
  }
  scanForm.addEventListener("submit", function (event) {
    event.preventDefault();
    const code = scanInput.value;
    scanInput.value = "";
    found(code);
  });
  // One code, then the camera stops: the item's forms are what comes next.
  window.Borasen.camera({
    button: document.getElementById("camera"),
    video: document.getElementById("camera-view"),
    continuous: false,
    onCode: found,
  });

  // Back from a change: reopen the item it was about.
  const wanted = new URLSearchParams(location.search).get("item");
  if (wanted) {
    const row = document.querySelector('#items-list tr[data-id="' + wanted + '"]');
    if (row) open(row);
  }
})();
