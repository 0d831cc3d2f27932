// The ボランティア受付票 form, on the public page and at the desk: shows group
// fields for groups, posts JSON to the API, and puts each error beside its field.
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

  // Set by desk.js: what to do with a registered volunteer at the desk.
  window.borasenRegistered = window.borasenRegistered || null;

  async function submit(forceNew) {
    clearErrors();
    const response = await fetch(form.dataset.endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept-Language": "ja" },
      body: JSON.stringify(body(forceNew)),
    });
    const answer = await response.json().catch(function () { return {}; });
    if (response.ok) {
      if (atDesk) {
        form.reset();
        showKind();
        if (window.borasenRegistered) window.borasenRegistered(answer);
      } else {
        location.href = "/register/done/" + encodeURIComponent(answer.qr_token);
      }
      return;
    }
    const error = answer.error || { message: "登録できませんでした（" + response.status + "）" };
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
    same.textContent = existing.volunteer_no + " " + existing.name + " さんで受付する";
    same.addEventListener("click", function () {
      box.hidden = true;
      form.reset();
      showKind();
      if (window.borasenCheckIn) window.borasenCheckIn({ volunteer_id: existing.id });
    });
    const other = document.createElement("button");
    other.type = "button";
    other.className = "secondary";
    other.textContent = "別の人として登録する";
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
      .catch(function () { showError({ message: "通信できませんでした。もう一度お試しください。" }); })
      .finally(function () { submitButton.disabled = false; });
  });
})();
