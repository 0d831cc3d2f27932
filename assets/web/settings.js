// The settings page: sends every setting with the version read; the server
// checks them and names the field at fault, which is shown beside it.
"use strict";
(function () {
  const form = document.getElementById("settings-form");
  const version = document.getElementById("settings-version");
  const errorBox = document.getElementById("settings-error");
  const saved = document.getElementById("settings-saved");

  function value(input) {
    if (input.type === "checkbox") return input.checked;
    const text = input.value.trim();
    if (input.dataset.kind === "number") return text === "" ? null : Number(text);
    if (input.dataset.kind === "coordinate") return text === "" ? null : Number(text);
    return text;
  }

  function bands() {
    const rows = Array.from(document.querySelectorAll("#heat-bands tr.band"));
    return rows
      .filter(function (row) { return row.querySelector('[name="name"]').value.trim() !== ""; })
      .map(function (row) {
        const number = function (name) { return Number(row.querySelector('[name="' + name + '"]').value.trim()); };
        return {
          from: number("from"),
          name: row.querySelector('[name="name"]').value.trim(),
          work_minutes: number("work_minutes"),
          rest_minutes: number("rest_minutes"),
          max_out_minutes: number("max_out_minutes"),
          suspend_prompt: row.querySelector('[name="suspend_prompt"]').checked,
        };
      });
  }

  function patch() {
    const body = { version: Number(version.dataset.version) };
    form.querySelectorAll("fieldset > label > input, fieldset > .row > label > input, fieldset > label.chip > input").forEach(function (input) {
      body[input.name] = value(input);
    });
    body.heat_bands = bands();
    body.heavy_work = Array.from(form.querySelectorAll('input[name="heavy_work"]:checked')).map(function (c) { return c.value; });
    return body;
  }

  function clear() {
    form.querySelectorAll(".field-error").forEach(function (slot) { slot.textContent = ""; });
    errorBox.hidden = true;
    saved.hidden = true;
  }

  function showError(error) {
    const field = (error.field || "").replace(/\[.*$/, "");
    const slot = field ? form.querySelector('.field-error[data-for="' + field + '"]') : null;
    if (slot) slot.textContent = error.message;
    errorBox.textContent = error.message;
    errorBox.hidden = false;
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    clear();
    const answer = await Borasen.api("PUT", "/api/settings", patch());
    if (!answer.ok) {
      showError((answer.body && answer.body.error) || { message: Borasen.t("settings.could_not_save") });
      return;
    }
    version.dataset.version = String(answer.body.version);
    version.textContent = Borasen.t("settings.version") + " " + answer.body.version;
    saved.textContent = Borasen.t("settings.saved");
    saved.hidden = false;
  });
})();
