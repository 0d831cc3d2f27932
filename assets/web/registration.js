// The ボランティア受付票 form, on the public page and at the desk: shows group
// fields for groups, posts JSON to the API, and puts each error beside its field.
// At the desk a walk-in made offline waits in the offline queue as one item:
// the registration, then (when it is sent) the check-in.
"use strict";
(function () {
  const form = document.getElementById("registration");
  if (!form) return;
  const formError = document.getElementById("form-error");
  const atDesk = form.dataset.checkIn === "true";

  function showKind() {
    const group = form.elements.kind.value === "group";
    form.querySelectorAll(".group-only").forEach(function (el) { el.hidden = !group; });
    form.querySelectorAll(".individual-only").forEach(function (el) { el.hidden = group; });
  }
  form.querySelectorAll("input[name=kind]").forEach(function (el) { el.addEventListener("change", showKind); });
  showKind();

  function text(name) {
    const el = form.elements[name];
    const value = el ? el.value.trim() : "";
    return value === "" ? null : value;
  }

  function number(name) {
    const value = text(name);
    return value === null ? null : Number(value);
  }

  function checked(name) {
    return Array.from(form.querySelectorAll("input[name=" + name + "]:checked")).map(function (el) { return el.value; });
  }

  function body(forceNew) {
    const kind = form.elements.kind.value;
    const skills = checked("skills");
    if (text("skills_other")) skills.push(text("skills_other"));
    return {
      name: text("name") || "",
      furigana: text("furigana") || "",
      birth_date: text("birth_date") || "",
      gender: text("gender"),
      phone: text("phone") || "",
      email: text("email"),
      address: text("address") || "",
      emergency_name: text("emergency_name") || "",
      emergency_phone: text("emergency_phone") || "",
      kind: kind,
      group_name: kind === "group" ? text("group_name") : null,
      group_size: kind === "group" ? number("group_size") : null,
      group_no: kind === "group" || !form.elements.group_no ? null : text("group_no"),
      skills: skills,
      vehicle: text("vehicle"),
      insurance: form.querySelector("input[name=insurance]:checked") ? form.elements.insurance.value : null,
      experience_count: number("experience_count") || 0,
      preferred_dates: checked("preferred_dates"),
      guardian_consent: form.elements.guardian_consent.checked,
      guardian_name: text("guardian_name"),
      force_new: forceNew,
    };
  }

  function clearErrors() {
    formError.hidden = true;
    const duplicate = document.getElementById("duplicate");
    if (duplicate) duplicate.hidden = true;
    form.querySelectorAll(".field-error").forEach(function (el) { el.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
  }

  function showError(error) {
    formError.textContent = error.message;
    formError.hidden = false;
    const slot = error.field && form.querySelector(".field-error[data-for=" + error.field + "]");
    if (slot) slot.textContent = error.message;
    const input = error.field && form.elements[error.field];
    if (input && input.focus) {
      input.setAttribute("aria-invalid", "true");
      input.focus();
    } else {
      formError.scrollIntoView({ block: "center" });
    }
  }

  // The public page has no common.js: the same call, with a key kept for the
  // same form while no answer came (a retry after a lost answer registers once).
  let lastTry = { text: "", key: "" };
  async function post(path, payload) {
    const text = JSON.stringify(payload);
    if (lastTry.text !== text) {
      const b = new Uint8Array(16);
      window.crypto.getRandomValues(b);
      lastTry = { text: text, key: Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("") };
    }
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept-Language": Borasen.lang(), "Idempotency-Key": lastTry.key },
      body: text,
    });
    lastTry = response.status >= 500 ? lastTry : { text: "", key: "" };
    const answer = await response.json().catch(function () { return {}; });
    return { ok: response.ok, status: response.status, body: answer };
  }
  function send(path, payload, options) {
    return window.Borasen ? window.Borasen.api("POST", path, payload, options) : post(path, payload);
  }

  // Set by desk.js: what to do with a registered volunteer at the desk.
  window.borasenRegistered = window.borasenRegistered || null;

  async function submit(forceNew) {
    clearErrors();
    const payload = body(forceNew);
    let options;
    if (atDesk && window.Borasen.offline) {
      const checkIn = window.borasenWalkIn ? window.borasenWalkIn() : { health_ok: false };
      // Offline the desk cannot learn the new number to check the person in
      // later: the health check comes first, then both go in the queue.
      if (!checkIn.health_ok && await window.Borasen.offline.shouldQueue()) {
        showError({ message: Borasen.t("registration.while_offline_check_the_volunteer"), field: null });
        return;
      }
      options = {
        queue: {
          label: (checkIn.health_ok ? Borasen.t("registration.walk_in_check_in") : Borasen.t("registration.walk_in_registration_check_in")) + (payload.name || Borasen.t("registration.no_name")),
          then: checkIn.health_ok ? { path: "/api/checkins", body: checkIn } : null,
        },
      };
    }
    const answer = await send(form.dataset.endpoint, payload, options);
    if (answer.queued) {
      form.reset();
      showKind();
      if (window.borasenWalkInQueued) window.borasenWalkInQueued(answer, options.queue.label);
      return;
    }
    if (answer.ok) {
      if (atDesk) {
        form.reset();
        showKind();
        if (window.borasenRegistered) window.borasenRegistered(answer.body);
      } else {
        location.href = "/register/done/" + encodeURIComponent(answer.body.qr_token);
      }
      return;
    }
    const error = answer.body.error || { message: Borasen.t("registration.could_not_register") + answer.status + Borasen.t("registration.paren_close") };
    if (error.code === "duplicate" && atDesk) {
      offerExisting(error);
      return;
    }
    showError(error);
  }

  function offerExisting(error) {
    const box = document.getElementById("duplicate");
    const existing = error.details.existing;
    box.textContent = "";
    const p = document.createElement("p");
    p.textContent = error.message;
    box.appendChild(p);
    const same = document.createElement("button");
    same.type = "button";
    same.textContent = existing.volunteer_no + " " + existing.name + Borasen.t("registration.check_in_this_person");
    same.addEventListener("click", function () {
      box.hidden = true;
      form.reset();
      showKind();
      if (window.borasenCheckIn) window.borasenCheckIn({ volunteer_id: existing.id });
    });
    const other = document.createElement("button");
    other.type = "button";
    other.className = "secondary";
    other.textContent = Borasen.t("registration.register_as_a_different_person");
    other.addEventListener("click", function () { box.hidden = true; submit(true); });
    box.appendChild(same);
    box.appendChild(other);
    box.hidden = false;
    same.focus();
  }

  const submitButton = form.querySelector("button[type=submit]");
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (submitButton.disabled) return; // a double tap registers once
    submitButton.disabled = true;
    submit(false)
      .catch(function () { showError({ message: Borasen.t("registration.no_connection_please_try_again") }); })
      .finally(function () { submitButton.disabled = false; });
  });
})();
