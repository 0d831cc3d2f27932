// The users page (admins): add an account, set a new password, disable one,
// enable a disabled one. Each is one API call; the page reloads its lists
// after an add, a disable or an enable.
"use strict";
(function () {
  const api = window.Borasen.api;
  const result = document.getElementById("users-result");

  function say(kind, text) {
    result.className = "result " + kind;
    result.textContent = text;
    result.hidden = false;
  }
  function message(answer, fallback) { return (answer.body && answer.body.error || {}).message || fallback; }

  document.getElementById("add-user").addEventListener("submit", async function (event) {
    event.preventDefault();
    const form = event.target;
    const error = document.getElementById("add-error");
    error.hidden = true;
    const answer = await api("POST", "/api/users", {
      username: form.elements.username.value.trim(),
      display_name: form.elements.display_name.value.trim() || null,
      role: form.elements.role.value,
      password: form.elements.password.value,
    });
    if (!answer.ok) {
      error.textContent = message(answer, Borasen.t("users.could_not_save"));
      error.hidden = false;
      return;
    }
    location.reload();
  });

  document.querySelectorAll("#user-rows tr").forEach(function (row) {
    const who = row.dataset.username;
    row.querySelector(".reset-form").addEventListener("submit", async function (event) {
      event.preventDefault();
      const input = event.target.elements.password;
      const answer = await api("POST", "/api/users/" + row.dataset.id + "/password", { password: input.value });
      if (!answer.ok) { say("err", message(answer, Borasen.t("users.could_not_save"))); return; }
      input.value = "";
      say("ok", Borasen.t("users.password_set", { who: who }));
    });
    const disable = row.querySelector(".disable-user");
    if (disable) {
      disable.addEventListener("click", async function () {
        if (!confirm(Borasen.t("users.confirm_disable", { who: who }))) return;
        const answer = await api("POST", "/api/users/" + row.dataset.id + "/disable", {});
        if (!answer.ok) { say("err", message(answer, Borasen.t("users.could_not_save"))); return; }
        location.reload();
      });
    }
  });

  document.querySelectorAll("#disabled-rows tr").forEach(function (row) {
    row.querySelector(".enable-user").addEventListener("click", async function () {
      const answer = await api("POST", "/api/users/" + row.dataset.id + "/enable", {});
      if (!answer.ok) { say("err", message(answer, Borasen.t("users.could_not_save"))); return; }
      location.reload();
    });
  });
})();
