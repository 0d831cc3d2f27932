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
  const STATUS = { received: "受付", surveying: "調査中", waiting: "待機", active: "活動中", continuing: "継続", done: "完了", cancelled: "取消" };
  const CATEGORY = { mud: "泥出し", belongings: "家財搬出", debris: "災害ごみ運搬", cleaning: "清掃", under_floor: "床下", other: "その他" };
  const VIA = { phone: "電話", counter: "窓口", visit: "訪問", posting: "ポスティング" };
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
      equipment: f.equipment.value.split(/[、,]/).map(function (s) { return s.trim(); }).filter(Boolean),
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
    f.equipment.value = need.equipment.join("、");
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
    const REASON = { phone: "電話番号が同じ", address: "住所が同じ", distance: "近く" };
    error.details.candidates.forEach(function (c) {
      const li = el("li");
      const why = c.reasons.map(function (r) { return REASON[r] + (r === "distance" ? "（" + c.distance_m + "m）" : ""); }).join("・");
      li.appendChild(el("span", "", c.need_no + "　" + c.requester_name + "　" + c.address + "　［" + STATUS[c.status] + "］　" + why));
      const link = el("button", "secondary", c.need_no + " の重複として記録");
      link.type = "button";
      link.addEventListener("click", function () { send(Object.assign({}, body, { duplicate_of: c.need_no })); });
      li.appendChild(link);
      list.appendChild(li);
    });
    duplicates.appendChild(list);
    const proceed = el("button", "", "別のニーズとして登録する");
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
    const label = "ニーズ受付 " + (body.requester_name || "（氏名なし）") + (body.address ? "（" + body.address + "）" : "");
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
      note.textContent = answer.message + "（" + label + "）";
      form.prepend(note);
      note.scrollIntoView({ block: "center" });
      return;
    }
    if (answer.ok) {
      if (body.drill_call !== undefined) takenCalls.add(body.drill_call);
      sessionStorage.setItem("needs-flash", answer.body.need_no + (editing ? " を更新しました。" : " を受け付けました。"));
      location.href = "/needs";
      return;
    }
    const error = answer.body.error || { message: "保存できませんでした（" + answer.status + "）。" };
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
    note.textContent = "未送信だった「" + event.detail.item.label + "」を送りました：" + n.need_no;
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
      const pick = el("button", "secondary", s.address + (s.zone ? "（" + s.zone + "）" : ""));
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
        detailError.textContent = "理由を入力してから、もう一度押してください。";
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
      sessionStorage.setItem("needs-flash", answer.body.need_no + " を更新しました。");
      location.reload();
      return;
    }
    detailError.textContent = (answer.body.error || {}).message || "更新できませんでした。";
    detailError.hidden = false;
    if (answer.status === 409) open(current.id, true);
  }

  async function open(id, keepError) {
    const answer = await api("GET", "/api/needs/" + id);
    if (!answer.ok) return;
    const n = answer.body;
    current = n;
    if (!keepError) detailError.hidden = true;
    reasonForm.hidden = true;
    reasonInput.value = "";
    document.getElementById("detail-title").textContent = n.need_no + "　" + STATUS[n.status] + "（優先度 " + n.priority + "）";
    const facts = document.getElementById("detail-facts");
    facts.textContent = "";
    fact(facts, "依頼者", n.requester_name + (n.requester_furigana ? "（" + n.requester_furigana + "）" : ""));
    fact(facts, "電話", n.phone);
    fact(facts, "住所", n.address + (n.town ? "／" + n.town : ""));
    fact(facts, "地区", n.zone || "地区不明");
    fact(facts, "受付", VIA[n.received_via] + "　" + n.received_at.slice(0, 16).replace("T", " "));
    fact(facts, "作業内容", n.categories.map(function (c) { return CATEGORY[c]; }).join("・"));
    fact(facts, "必要人数・日数", n.people_needed + "人・" + n.days_estimated + "日");
    fact(facts, "世帯", [n.elderly_only ? "高齢者のみ" : "", n.needs_care ? "要配慮者あり" : "", n.household_notes].filter(Boolean).join("　"));
    fact(facts, "資機材", n.equipment.join("、"));
    fact(facts, "備考", n.notes);
    if (n.survey) fact(facts, "現地調査", n.survey.surveyor + "：" + n.survey.findings + (n.survey.hazards ? "（危険：" + n.survey.hazards + "）" : ""));
    fact(facts, "重複先", n.duplicate_of);
    fact(facts, "理由", n.status_reason);
    const moves = document.getElementById("detail-moves");
    moves.textContent = "";
    n.moves.forEach(function (to) {
      moves.appendChild(moveButton(STATUS[to] + "にする", { status: to }, to === "cancelled"));
    });
    n.reopen_to.forEach(function (to) {
      moves.appendChild(moveButton("再開して" + STATUS[to] + "に", { status: to, reopen: true }, true));
    });
    if (n.moves.indexOf("cancelled") >= 0 || n.reopen_to.length) reasonForm.hidden = false;
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
    document.getElementById("intake-title").textContent = current.need_no + " を編集";
    submit.textContent = "変更を保存";
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
    f.equipment.value = (c.equipment || []).join("、");
    f.photos_allowed.checked = !!c.photos_allowed;
    const via = c.received_via || "phone";
    form.querySelectorAll("input[name=received_via]").forEach(function (i) { i.checked = i.value === via; });
    form.querySelectorAll("input[name=damage]").forEach(function (i) { i.checked = (c.damage || []).indexOf(i.value) >= 0; });
    form.querySelectorAll("input[name=categories]").forEach(function (i) { i.checked = (c.categories || []).indexOf(i.value) >= 0; });
  }

  function takeCall(m, slip) {
    editing = null;
    document.getElementById("intake-title").textContent = "ニーズ受付（ニーズ票）";
    submit.textContent = "受け付ける";
    cancelEdit.hidden = true;
    clearErrors();
    duplicates.hidden = true;
    fillCall(m.call);
    forgetCall();
    drillCall = m.inject;
    slip.classList.add("chosen");
    callNote.textContent = "電話メモ #" + m.inject + " から入力中です。電話で確かめて、必要なら直してから受け付けてください。";
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
    slip.appendChild(el("strong", "", " " + (c.requester_name || "（氏名なし）") + " "));
    slip.appendChild(el("span", "", (c.address || "") + "　" +
      (c.categories || []).map(function (k) { return CATEGORY[k] || k; }).join("・") +
      (c.priority ? "　優先度" + c.priority : "")));
    slip.addEventListener("click", function () { takeCall(m, slip); });
    li.appendChild(slip);
    if (m.message) li.appendChild(el("small", "", m.message));
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
  if (flash) {
    sessionStorage.removeItem("needs-flash");
    const note = el("p", "result ok", flash);
    note.setAttribute("role", "status");
    document.getElementById("needs").prepend(note);
  }
})();
