// The needs page: intake (with address suggestions and the duplicate check),
// a card's detail with the moves its status allows, survey, duplicate link, edit.
// A new need taken offline waits in the offline queue (offline.js); edits and
// moves need the link.
"use strict";
(function () {
  const form = document.getElementById("need-form");
  const formError = document.getElementById("form-error");
  const duplicates = document.getElementById("duplicates");
  const submit = document.getElementById("need-submit");
  const cancelEdit = document.getElementById("cancel-edit");
  const detail = document.getElementById("detail");
  const detailError = document.getElementById("detail-error");
  const reasonForm = document.getElementById("reason-form");
  const reasonInput = document.getElementById("reason");
  const suggestions = document.getElementById("address-suggestions-list");
  const STATUS = { received: Borasen.t("needs.received"), surveying: Borasen.t("needs.surveying"), waiting: Borasen.t("needs.waiting"), active: Borasen.t("needs.active"), continuing: Borasen.t("needs.continuing"), done: Borasen.t("needs.done"), cancelled: Borasen.t("needs.cancelled") };
  const CATEGORY = { mud: Borasen.t("needs.mud_removal"), belongings: Borasen.t("needs.moving_belongings"), debris: Borasen.t("needs.disaster_waste"), cleaning: Borasen.t("needs.cleaning"), under_floor: Borasen.t("needs.under_the_floor"), other: Borasen.t("needs.other") };
  const VIA = { phone: Borasen.t("needs.phone"), counter: Borasen.t("needs.counter"), visit: Borasen.t("needs.visit"), posting: Borasen.t("needs.flyer") };
  let current = null; // the need open in the detail panel
  let editing = null; // the need being edited in the form

  const api = window.Borasen.api;
  const el = window.Borasen.el;

  // ---- the form ----
  function values() {
    const f = form.elements;
    const checked = function (name) {
      return Array.prototype.filter.call(form.querySelectorAll("input[name=" + name + "]"), function (i) { return i.checked; })
        .map(function (i) { return i.value; });
    };
    const number = function (name) { const v = f[name].value.trim(); return v === "" ? null : Number(v); };
    return {
      received_via: (checked("received_via")[0] || null),
      requester_name: f.requester_name.value,
      requester_furigana: f.requester_furigana.value,
      phone: f.phone.value,
      address: f.address.value,
      town: f.town.value,
      zone: f.zone.value || null,
      lat: number("lat"),
      lon: number("lon"),
      elderly_only: f.elderly_only.checked,
      needs_care: f.needs_care.checked,
      household_notes: f.household_notes.value,
      damage: checked("damage"),
      categories: checked("categories"),
      people_needed: number("people_needed"),
      days_estimated: number("days_estimated"),
      priority: Number(f.priority.value),
      parking: f.parking.value,
      equipment: f.equipment.value.split(/[\u3001,]/).map(function (s) { return s.trim(); }).filter(Boolean),
      photos_allowed: f.photos_allowed.checked,
      notes: f.notes.value,
    };
  }

  function fill(need) {
    const f = form.elements;
    ["requester_name", "requester_furigana", "phone", "address", "town", "household_notes", "notes"].forEach(function (name) {
      f[name].value = need[name] || "";
    });
    f.zone.value = need.zone_source === "chosen" ? need.zone : "";
    f.lat.value = need.lat === null ? "" : need.lat;
    f.lon.value = need.lon === null ? "" : need.lon;
    f.elderly_only.checked = need.elderly_only;
    f.needs_care.checked = need.needs_care;
    f.people_needed.value = need.people_needed;
    f.days_estimated.value = need.days_estimated;
    f.priority.value = String(need.priority);
    f.parking.value = need.parking;
    f.equipment.value = need.equipment.join(Borasen.t("needs.comma"));
    f.photos_allowed.checked = need.photos_allowed;
    form.querySelectorAll("input[name=received_via]").forEach(function (i) { i.checked = i.value === need.received_via; });
    form.querySelectorAll("input[name=damage]").forEach(function (i) { i.checked = need.damage.indexOf(i.value) >= 0; });
    form.querySelectorAll("input[name=categories]").forEach(function (i) { i.checked = need.categories.indexOf(i.value) >= 0; });
  }

  function clearErrors() {
    formError.hidden = true;
    form.querySelectorAll(".field-error").forEach(function (e) { e.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (e) { e.removeAttribute("aria-invalid"); });
  }

  function showError(error) {
    const field = (error.field || "").split(/[.\[]/)[0];
    const slot = field && form.querySelector('.field-error[data-for="' + field + '"]');
    if (slot) {
      slot.textContent = error.message;
      const input = form.elements[field];
      if (input && input.setAttribute) { input.setAttribute("aria-invalid", "true"); input.focus(); }
    } else {
      formError.textContent = error.message;
      formError.hidden = false;
    }
  }

  function showDuplicates(error, body) {
    duplicates.textContent = "";
    duplicates.appendChild(el("strong", "", error.message));
    const list = el("ul", "results");
    const REASON = { phone: Borasen.t("needs.same_phone_number"), address: Borasen.t("needs.same_address"), distance: Borasen.t("needs.nearby") };
    error.details.candidates.forEach(function (c) {
      const li = el("li");
      const why = c.reasons.map(function (r) { return REASON[r] + (r === "distance" ? Borasen.t("needs.paren_open") + c.distance_m + Borasen.t("needs.m") : ""); }).join(Borasen.t("needs.dot"));
      li.appendChild(el("span", "", c.need_no + Borasen.t("needs.space") + c.requester_name + Borasen.t("needs.space") + c.address + Borasen.t("needs.bracket_open") + STATUS[c.status] + Borasen.t("needs.bracket_close") + why));
      const link = el("button", "secondary", c.need_no + Borasen.t("needs.record_as_its_duplicate"));
      link.type = "button";
      link.addEventListener("click", function () { send(Object.assign({}, body, { duplicate_of: c.need_no })); });
      li.appendChild(link);
      list.appendChild(li);
    });
    duplicates.appendChild(list);
    const proceed = el("button", "", Borasen.t("needs.register_as_a_separate_need"));
    proceed.type = "button";
    proceed.addEventListener("click", function () { send(Object.assign({}, body, { force_new: true })); });
    duplicates.appendChild(proceed);
    duplicates.hidden = false;
    duplicates.scrollIntoView({ block: "center" });
  }

  async function send(body) {
    clearErrors();
    duplicates.hidden = true;
    submit.disabled = true;
    const label = Borasen.t("needs.need_intake") + (body.requester_name || Borasen.t("needs.no_name")) + (body.address ? Borasen.t("needs.paren_open") + body.address + Borasen.t("needs.paren_close") : "");
    const answer = editing
      ? await api("PATCH", "/api/needs/" + editing.id, Object.assign({ version: editing.version }, body))
      : await api("POST", "/api/needs", body, { queue: { label: label } });
    submit.disabled = false;
    if (answer.queued) {
      if (body.drill_call !== undefined) takenCalls.add(body.drill_call);
      form.reset();
      forgetCall();
      const note = document.getElementById("queued-note") || el("p", "result queued");
      note.id = "queued-note";
      note.setAttribute("role", "status");
      note.textContent = answer.message + Borasen.t("needs.paren_open") + label + Borasen.t("needs.paren_close");
      form.prepend(note);
      note.scrollIntoView({ block: "center" });
      return;
    }
    if (answer.ok) {
      if (body.drill_call !== undefined) takenCalls.add(body.drill_call);
      sessionStorage.setItem("needs-flash", answer.body.need_no + (editing ? Borasen.t("needs.updated") : Borasen.t("needs.received_2")));
      sessionStorage.setItem("needs-flash-card", String(answer.body.id));
      location.href = "/needs";
      return;
    }
    const error = answer.body.error || { message: Borasen.t("needs.could_not_save") + answer.status + Borasen.t("needs.paren_close_period") };
    if (error.code === "possible_duplicate") showDuplicates(error, body);
    else showError(error);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const body = values();
    if (drillCall !== null && !editing) body.drill_call = drillCall;
    send(body);
  });

  cancelEdit.addEventListener("click", function () { location.href = "/needs"; });

  // A need queued offline and sent later: say its number (the list shows it on the next load).
  document.addEventListener("borasen:offline-sent", function (event) {
    const n = event.detail.answer.body || {};
    if (!n.need_no) return;
    const note = document.getElementById("queued-note") || el("p", "result ok");
    note.id = "queued-note";
    note.className = "result ok";
    note.textContent = Borasen.t("needs.sent_the_waiting") + event.detail.item.label + Borasen.t("needs.sent_close") + n.need_no;
    note.appendChild(cardLink(n.id));
    if (!note.parentNode) form.prepend(note);
  });

  // ---- address suggestions ----
  let typing = null;
  form.elements.address.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(suggest, 250);
  });

  async function suggest() {
    const q = form.elements.address.value.trim();
    suggestions.textContent = "";
    suggestions.hidden = true;
    if (q.length < 2) return;
    const answer = await api("GET", "/api/addresses/suggest?q=" + encodeURIComponent(q));
    if (!answer.ok || !Array.isArray(answer.body) || answer.body.length === 0) return;
    answer.body.forEach(function (s) {
      const li = el("li");
      const pick = el("button", "secondary", s.address + (s.zone ? Borasen.t("needs.paren_open") + s.zone + Borasen.t("needs.paren_close") : ""));
      pick.type = "button";
      pick.addEventListener("click", function () {
        if (s.lat !== null && s.lat !== undefined) {
          form.elements.address.value = s.address;
          form.elements.lat.value = s.lat;
          form.elements.lon.value = s.lon;
        }
        suggestions.hidden = true;
      });
      li.appendChild(pick);
      suggestions.appendChild(li);
    });
    suggestions.hidden = false;
  }

  // ---- the detail panel ----
  function fact(list, term, value) {
    if (value === "" || value === null || value === undefined) return;
    list.appendChild(el("dt", "", term));
    list.appendChild(el("dd", "", String(value)));
  }

  function moveButton(label, payload, needsReason) {
    const button = el("button", payload.status === "cancelled" ? "secondary" : "", label);
    button.type = "button";
    button.addEventListener("click", async function () {
      const reason = reasonInput.value.trim();
      if (needsReason && reason === "") {
        reasonForm.hidden = false;
        reasonInput.focus();
        detailError.textContent = Borasen.t("needs.enter_a_reason_then_press");
        detailError.hidden = false;
        return;
      }
      change(Object.assign({ reason: reason || null }, payload));
    });
    return button;
  }

  async function change(payload) {
    const answer = await api("PATCH", "/api/needs/" + current.id, Object.assign({ version: current.version }, payload));
    if (answer.ok) {
      sessionStorage.setItem("needs-flash", answer.body.need_no + Borasen.t("needs.updated"));
      location.reload();
      return;
    }
    detailError.textContent = (answer.body.error || {}).message || Borasen.t("needs.could_not_update");
    detailError.hidden = false;
    if (answer.status === 409) open(current.id, true);
  }

  // ニーズ票 (PDF): the need card with its number as a QR code for the matching desk.
  function cardLink(id) {
    const link = el("a", "button secondary", Borasen.t("papers_scan.need_card_pdf"));
    link.href = "/api/needs/" + id + "/card.pdf";
    link.target = "_blank";
    link.rel = "noopener";
    link.dataset.card = String(id);
    return link;
  }

  async function open(id, keepError) {
    const answer = await api("GET", "/api/needs/" + id);
    if (!answer.ok) return;
    const n = answer.body;
    current = n;
    if (!keepError) detailError.hidden = true;
    reasonForm.hidden = true;
    reasonInput.value = "";
    document.getElementById("detail-title").textContent = n.need_no + Borasen.t("needs.space") + STATUS[n.status] + Borasen.t("needs.priority") + n.priority + Borasen.t("needs.paren_close");
    const facts = document.getElementById("detail-facts");
    facts.textContent = "";
    fact(facts, Borasen.t("needs.requester"), n.requester_name + (n.requester_furigana ? Borasen.t("needs.paren_open") + n.requester_furigana + Borasen.t("needs.paren_close") : ""));
    fact(facts, Borasen.t("needs.phone"), n.phone);
    fact(facts, Borasen.t("needs.address"), n.address + (n.town ? Borasen.t("needs.slash") + n.town : ""));
    fact(facts, Borasen.t("needs.zone"), n.zone || Borasen.t("needs.zone_unknown"));
    fact(facts, Borasen.t("needs.received"), VIA[n.received_via] + Borasen.t("needs.space") + n.received_at.slice(0, 16).replace("T", " "));
    fact(facts, Borasen.t("needs.work"), n.categories.map(function (c) { return CATEGORY[c]; }).join(Borasen.t("needs.dot")));
    fact(facts, Borasen.t("needs.people_and_days_needed"), n.people_needed + Borasen.t("needs.people") + n.days_estimated + Borasen.t("needs.days"));
    fact(facts, Borasen.t("needs.household"), [n.elderly_only ? Borasen.t("needs.elderly_only") : "", n.needs_care ? Borasen.t("needs.someone_needs_care") : "", n.household_notes].filter(Boolean).join(Borasen.t("needs.space")));
    fact(facts, Borasen.t("needs.equipment"), n.equipment.join(Borasen.t("needs.comma")));
    fact(facts, Borasen.t("needs.notes"), n.notes);
    if (n.survey) fact(facts, Borasen.t("needs.survey"), n.survey.surveyor + Borasen.t("needs.colon") + n.survey.findings + (n.survey.hazards ? Borasen.t("needs.hazards") + n.survey.hazards + Borasen.t("needs.paren_close") : ""));
    fact(facts, Borasen.t("needs.duplicate_of"), n.duplicate_of);
    fact(facts, Borasen.t("needs.reason"), n.status_reason);
    const moves = document.getElementById("detail-moves");
    moves.textContent = "";
    n.moves.forEach(function (to) {
      moves.appendChild(moveButton(Borasen.t("needs.move_to", { status: STATUS[to] }), { status: to }, to === "cancelled"));
    });
    n.reopen_to.forEach(function (to) {
      moves.appendChild(moveButton(Borasen.t("needs.reopen_as", { status: STATUS[to] }), { status: to, reopen: true }, true));
    });
    if (n.moves.indexOf("cancelled") >= 0 || n.reopen_to.length) reasonForm.hidden = false;
    document.getElementById("need-card").href = "/api/needs/" + n.id + "/card.pdf";
    detail.hidden = false;
    detail.scrollIntoView({ block: "start" });
  }

  document.querySelectorAll(".open-need").forEach(function (button) {
    button.addEventListener("click", function () { open(button.dataset.id); });
  });
  document.getElementById("detail-close").addEventListener("click", function () { detail.hidden = true; });
  reasonForm.addEventListener("submit", function (event) { event.preventDefault(); });

  document.getElementById("survey-form").addEventListener("submit", function (event) {
    event.preventDefault();
    const f = event.target.elements;
    change({ survey: { surveyor: f.surveyor.value, findings: f.findings.value, hazards: f.hazards.value } });
  });
  document.getElementById("duplicate-form").addEventListener("submit", function (event) {
    event.preventDefault();
    change({ duplicate_of: event.target.elements.duplicate_of.value });
  });
  document.getElementById("edit-need").addEventListener("click", function () {
    editing = current;
    forgetCall();
    fill(current);
    document.getElementById("intake-title").textContent = current.need_no + Borasen.t("needs.edit");
    submit.textContent = Borasen.t("needs.save_changes");
    cancelEdit.hidden = false;
    form.scrollIntoView({ block: "start" });
  });

  // ---- drill: call slips (訓練: 電話メモ) ----
  // Household calls queued by the scenario wait here; taking one copies it into
  // the intake form (still a phone call: the trainee may ask again and edit) and
  // the save carries `drill_call`, so the server links the need to the inject.
  // Slips already written up are remembered in this tab.
  function takenStore() {
    const KEY = "borasen-drill-calls-taken";
    let ids = [];
    try { ids = JSON.parse(sessionStorage.getItem(KEY) || "[]"); } catch (e) { ids = []; }
    return {
      has: function (id) { return ids.indexOf(id) >= 0; },
      add: function (id) {
        if (ids.indexOf(id) < 0) ids.push(id);
        try { sessionStorage.setItem(KEY, JSON.stringify(ids)); } catch (e) { /* no storage */ }
      },
    };
  }
  const takenCalls = takenStore();
  const slips = document.getElementById("drill-calls");
  const slipList = document.getElementById("drill-call-list");
  const callNote = document.getElementById("drill-call-note");
  let drillCall = null; // the inject whose call slip is in the form

  function forgetCall() {
    drillCall = null;
    if (callNote) callNote.hidden = true;
    if (slipList) slipList.querySelectorAll(".chosen").forEach(function (b) { b.classList.remove("chosen"); });
  }

  function fillCall(c) {
    const f = form.elements;
    form.reset();
    ["requester_name", "requester_furigana", "phone", "address", "town", "household_notes", "notes"].forEach(function (name) {
      f[name].value = c[name] || "";
    });
    f.zone.value = c.zone || "";
    if (f.zone.value !== (c.zone || "")) f.zone.value = ""; // a zone this map does not have: found again from the address
    f.lat.value = c.lat === null || c.lat === undefined ? "" : c.lat;
    f.lon.value = c.lon === null || c.lon === undefined ? "" : c.lon;
    f.elderly_only.checked = !!c.elderly_only;
    f.needs_care.checked = !!c.needs_care;
    f.people_needed.value = c.people_needed === null || c.people_needed === undefined ? "" : c.people_needed;
    f.days_estimated.value = c.days_estimated || 1;
    f.priority.value = String(c.priority || 3);
    f.parking.value = c.parking || "unknown";
    f.equipment.value = (c.equipment || []).join(Borasen.t("needs.comma"));
    f.photos_allowed.checked = !!c.photos_allowed;
    const via = c.received_via || "phone";
    form.querySelectorAll("input[name=received_via]").forEach(function (i) { i.checked = i.value === via; });
    form.querySelectorAll("input[name=damage]").forEach(function (i) { i.checked = (c.damage || []).indexOf(i.value) >= 0; });
    form.querySelectorAll("input[name=categories]").forEach(function (i) { i.checked = (c.categories || []).indexOf(i.value) >= 0; });
  }

  function takeCall(m, slip) {
    editing = null;
    document.getElementById("intake-title").textContent = Borasen.t("needs.need_intake_need_card");
    submit.textContent = Borasen.t("needs.receive");
    cancelEdit.hidden = true;
    clearErrors();
    duplicates.hidden = true;
    fillCall(m.call);
    forgetCall();
    drillCall = m.inject;
    slip.classList.add("chosen");
    callNote.textContent = Borasen.t("needs.phone_note") + m.inject + Borasen.t("needs.is_being_entered_check_it");
    callNote.hidden = false;
    form.scrollIntoView({ block: "start" });
  }

  function addSlip(m) {
    if (!slips || !m || !m.call || takenCalls.has(m.inject)) return;
    if (slipList.querySelector('[data-inject="' + m.inject + '"]')) return;
    const c = m.call;
    const li = el("li", "drill-call");
    li.dataset.inject = m.inject;
    const slip = el("button", "secondary take-call");
    slip.type = "button";
    slip.dataset.inject = m.inject;
    slip.appendChild(el("time", "", (m.at || "").slice(11, 16)));
    slip.appendChild(el("strong", "", " " + (c.requester_name || Borasen.t("needs.no_name")) + " "));
    slip.appendChild(el("span", "", (c.address || "") + Borasen.t("needs.space") +
      (c.categories || []).map(function (k) { return CATEGORY[k] || k; }).join(Borasen.t("needs.dot")) +
      (c.priority ? Borasen.t("needs.priority_2") + c.priority : "")));
    slip.addEventListener("click", function () { takeCall(m, slip); });
    li.appendChild(slip);
    if (m.message) li.appendChild(el("small", "", m.message_phrase ? Borasen.phrase(m.message_phrase) : m.message));
    slipList.appendChild(li);
    slips.hidden = false;
  }

  if (slips) {
    document.addEventListener("borasen:drill-message", function (event) { addSlip(event.detail); });
    api("GET", "/api/drill/inbox?since=0").then(function (answer) {
      if (answer.ok) (answer.body.messages || []).forEach(addSlip);
    }, function () { /* the inbox poll brings new ones */ });
  }

  // ---- arriving from the map (`?new=1&lat=…&lon=…`), and the message after a save ----
  const params = new URLSearchParams(location.search);
  if (params.get("lat") && params.get("lon")) {
    form.elements.lat.value = params.get("lat");
    form.elements.lon.value = params.get("lon");
  }
  if (params.get("new")) form.scrollIntoView({ block: "start" });
  const flash = sessionStorage.getItem("needs-flash");
  const flashCard = sessionStorage.getItem("needs-flash-card");
  sessionStorage.removeItem("needs-flash-card");
  if (flash) {
    sessionStorage.removeItem("needs-flash");
    const note = el("p", "result ok", flash);
    note.setAttribute("role", "status");
    // Right after intake: the need card to print for the binder.
    if (flashCard) note.appendChild(cardLink(flashCard));
    document.getElementById("needs").prepend(note);
  }
})();
