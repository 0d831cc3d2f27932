// The settings page's ハブ連携 (admins): the hub's URL and this center's key,
// sent on their own (`PUT /api/hub/link`). A blank key keeps the one held; an
// empty URL switches the link off. Errors show beside their field; the status
// line (hub_status.js) is asked again, as the server tries the link at once.
"use strict";
(function () {
  const form = document.getElementById("hub-link-form");
  if (!form) return;
  const errorBox = document.getElementById("hub-link-error");
  const saved = document.getElementById("hub-link-saved");
  const keySet = document.getElementById("hub-key-set");

  function clear() {
    form.querySelectorAll(".field-error").forEach(function (slot) { slot.textContent = ""; });
    errorBox.hidden = true;
    saved.hidden = true;
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    clear();
    const body = { url: form.elements.url.value.trim() };
    const key = form.elements.key.value.trim();
    if (key !== "") body.key = key;
    const answer = await Borasen.api("PUT", "/api/hub/link", body);
    if (!answer.ok) {
      const error = (answer.body && answer.body.error) || { message: Borasen.t("hub_link.could_not_save") };
      const slot = error.field ? form.querySelector('.field-error[data-for="' + error.field + '"]') : null;
      if (slot) {
        slot.textContent = error.message;
        const input = form.elements[error.field];
        if (input) input.focus();
      } else {
        errorBox.textContent = error.message;
        errorBox.hidden = false;
      }
      return;
    }
    form.elements.url.value = answer.body.url || "";
    form.elements.key.value = "";
    keySet.hidden = !answer.body.key_set;
    saved.textContent = answer.body.url ? Borasen.t("hub_link.saved") : Borasen.t("hub_link.saved_off");
    saved.hidden = false;
    if (Borasen.hubStatus) {
      Borasen.hubStatus.refresh();
      setTimeout(Borasen.hubStatus.refresh, 3000);
    }
  });
})();
