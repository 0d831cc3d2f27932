// The reception desk: check in by QR (a scanner types the token and Enter), by
// number, or from a search; insurance at the desk; check-out; today's counts.
// Check-ins, check-outs and walk-ins made offline wait in the offline queue
// (offline.js) and the desk says so instead of showing an error.
"use strict";
(function () {
  const scanForm = document.getElementById("scan");
  const scanInput = document.getElementById("scan-input");
  const healthOk = document.getElementById("health-ok");
  const result = document.getElementById("result");
  const searchForm = document.getElementById("search");
  const searchInput = document.getElementById("search-input");
  const results = document.getElementById("search-results");

  const api = window.Borasen.api;
  const el = window.Borasen.el;

  const INSURANCE = { enrolled: Borasen.t("desk.enrolled"), enrolled_at_desk: Borasen.t("desk.enrolled_today"), none: Borasen.t("desk.not_enrolled") };

  async function refreshCounts() {
    const answer = await api("GET", "/api/reception/today");
    if (!answer.ok) return;
    document.getElementById("count-checked-in").textContent = answer.body.checked_in;
    document.getElementById("count-waiting").textContent = answer.body.waiting;
    document.getElementById("count-uninsured").textContent = answer.body.insurance_none;
    document.getElementById("count-checked-out").textContent = answer.body.checked_out;
  }

  function show(kind, lines, extra) {
    result.className = "result " + kind;
    result.textContent = "";
    lines.forEach(function (line, i) { result.appendChild(el(i === 0 ? "strong" : "p", "", line)); });
    if (extra) result.appendChild(extra);
    result.hidden = false;
  }

  function enrolForm(volunteer) {
    const box = el("form", "inline-form");
    box.innerHTML = "";
    const plan = el("select");
    [Borasen.t("desk.basic_plan"), Borasen.t("desk.natural_disaster_plan")].forEach(function (p) { const o = el("option", "", p); o.value = p; plan.appendChild(o); });
    const fee = el("input");
    fee.type = "number";
    fee.inputMode = "numeric";
    fee.placeholder = Borasen.t("desk.premium_yen");
    fee.setAttribute("aria-label", Borasen.t("desk.premium_yen"));
    const go = el("button", "", Borasen.t("desk.record_today_s_enrolment"));
    go.type = "submit";
    box.append(plan, fee, go);
    box.addEventListener("submit", async function (e) {
      e.preventDefault();
      // An empty fee is sent as missing, never as ¥0.
      const yen = fee.value.trim() === "" ? null : Number(fee.value);
      const answer = await api("POST", "/api/volunteers/" + volunteer.id + "/insurance",
        { insurance: "enrolled_at_desk", insurance_plan: plan.value, insurance_fee_yen: yen });
      if (answer.ok) {
        checkedIn(answer.body, Borasen.t("desk.today_s_enrolment_recorded"));
        scanInput.focus();
      } else {
        const p = box.querySelector(".field-error") || box.appendChild(el("span", "field-error"));
        p.textContent = answer.body.error.message;
        fee.focus();
      }
      refreshCounts();
    });
    return box;
  }

  function guardianForm(payload) {
    const box = el("form", "inline-form");
    const name = el("input");
    name.placeholder = Borasen.t("desk.guardian_s_name");
    name.setAttribute("aria-label", Borasen.t("desk.guardian_s_name"));
    const go = el("button", "", Borasen.t("desk.record_consent_and_check_in"));
    go.type = "submit";
    box.append(name, go);
    box.addEventListener("submit", function (e) {
      e.preventDefault();
      checkIn(Object.assign({}, payload, { guardian_consent: true, guardian_name: name.value }));
    });
    setTimeout(function () { name.focus(); }, 0);
    return box;
  }

  // Walk-ins registered at this desk have no badge yet: their result offers it.
  const walkIns = new Set();

  function badgeLink(volunteer) {
    const badge = el("a", "button secondary", Borasen.t("desk.badge"));
    badge.href = "/api/volunteers/" + volunteer.id + "/badge.pdf";
    badge.target = "_blank";
    badge.rel = "noopener";
    badge.id = "walk-in-badge";
    return badge;
  }

  // 活動証明書: today's, once they have left.
  function certificateLink(volunteer) {
    const link = el("a", "button secondary", Borasen.t("papers_scan.certificate_pdf"));
    link.href = "/api/volunteers/" + volunteer.id + "/certificate.pdf";
    link.target = "_blank";
    link.rel = "noopener";
    link.dataset.certificate = String(volunteer.id);
    return link;
  }

  function checkedIn(volunteer, headline) {
    const today = volunteer.today;
    const lines = [
      headline + Borasen.t("desk.colon") + volunteer.volunteer_no + " " + volunteer.name + Borasen.t("desk.honorific"),
      (volunteer.group_name ? Borasen.t("desk.group") + volunteer.group_name + Borasen.t("desk.paren_open") + today.headcount + Borasen.t("desk.people") : "") +
        Borasen.t("desk.insurance") + INSURANCE[today.insurance] + (volunteer.minor ? Borasen.t("desk.under_18_guardian_consents") : ""),
    ];
    if (today.insurance === "none") {
      lines.push(Borasen.t("desk.not_insured_they_cannot_be"));
      show("warn", lines, enrolForm(volunteer));
    } else {
      show("ok", lines);
    }
    if (volunteer.booking) result.appendChild(bookingBox(volunteer.booking));
    if (walkIns.has(volunteer.id)) result.appendChild(badgeLink(volunteer));
  }

  // 予約あり: the hub booking for today, with where and when they meet.
  function bookingBox(booking) {
    const box = el("div", "booking-box");
    box.id = "booking";
    box.appendChild(el("strong", "", Borasen.t("hub_link.booked", { number: booking.number })));
    if (booking.title) box.appendChild(el("p", "", booking.title));
    if (booking.meeting_point) box.appendChild(el("p", "", Borasen.t("hub_link.meeting_point", { place: booking.meeting_point })));
    if (booking.meeting_time) box.appendChild(el("p", "", Borasen.t("hub_link.meeting_time", { time: booking.meeting_time })));
    if (booking.bring) box.appendChild(el("p", "", Borasen.t("hub_link.bring", { things: booking.bring })));
    if (booking.seats > 1) box.appendChild(el("p", "", Borasen.t("hub_link.seats", { n: booking.seats })));
    return box;
  }

  // `2026-07-12` in the page's language.
  function bookingDay(day) {
    const parts = String(day).split("-");
    return Borasen.t("hub_link.day", { iso: day, m: Number(parts[1]), d: Number(parts[2]) });
  }

  // A scanned hub booking for another day, or cancelled: the server's answer,
  // the booking, and — where the center allows it — 当日受付として受付: the same
  // check-in again as a walk-in (the health check still asked first).
  function bookingElsewhere(error, payload) {
    const details = error.details || {};
    const booking = details.booking || {};
    const box = el("div", "booking-box");
    box.id = "booking";
    const key = booking.state === "booked" ? "hub_link.booking_on" : "hub_link.booking_cancelled_on";
    box.appendChild(el("strong", "", Borasen.t(key, { number: booking.number, day: bookingDay(booking.day) })));
    if (details.walk_in_allowed) {
      const go = el("button", "", Borasen.t("hub_link.walk_in"));
      go.type = "button";
      go.id = "walk-in-booked";
      const said = el("span", "field-error");
      go.addEventListener("click", function () {
        if (!healthOk.checked) {
          said.textContent = Borasen.t("hub_link.walk_in_health_first");
          healthOk.focus();
          return;
        }
        go.disabled = true;
        checkIn(Object.assign({}, payload, { walk_in: true }));
      });
      box.append(go, said);
    }
    return box;
  }

  // What the offline queue shows for a check-in: the number, or the end of the QR token.
  function checkInLabel(payload) {
    if (payload.volunteer_no) return Borasen.t("desk.check_in") + payload.volunteer_no;
    if (payload.qr_token) return Borasen.t("desk.check_in_qr_code") + payload.qr_token.slice(-6);
    return Borasen.t("desk.check_in_2") + payload.volunteer_id;
  }

  async function checkIn(payload, label) {
    payload.health_ok = healthOk.checked;
    const queueLabel = label || checkInLabel(payload);
    // A check-in that waits in the queue is sent as it is: the health check comes first.
    if (!healthOk.checked && window.Borasen.offline && await window.Borasen.offline.shouldQueue()) {
      show("warn", [Borasen.t("desk.check_their_health_by_asking")]);
      scanInput.focus();
      return false;
    }
    const answer = await api("POST", "/api/checkins", payload, { queue: { label: queueLabel } });
    let keepFocus = false;
    // 体調確認 is per person: once this check-in is done (or queued), the next
    // volunteer's health is asked afresh.
    if (answer.ok || answer.queued) healthOk.checked = false;
    if (answer.queued) {
      show("queued", [answer.message, queueLabel]);
    } else if (answer.ok) {
      checkedIn(answer.body, Borasen.t("desk.checked_in"));
    } else if (answer.body.error && answer.body.error.field === "guardian_consent") {
      show("warn", [answer.body.error.message], guardianForm(payload));
      keepFocus = true; // the guardian's name field has it
    } else if (answer.body.error && (answer.body.error.code === "booked_another_day" || answer.body.error.code === "booking_cancelled")) {
      show("warn", [answer.body.error.message], bookingElsewhere(answer.body.error, payload));
    } else if (answer.body.error && answer.body.error.field === "health_ok" && !healthOk.checked) {
      show("warn", [Borasen.t("desk.check_their_health_and_tick")]);
    } else {
      show(answer.status === 409 ? "warn" : "err", [answer.body.error ? answer.body.error.message : Borasen.t("desk.could_not_check_in")]);
    }
    refreshCounts();
    if (!keepFocus) scanInput.focus();
    return answer.ok;
  }
  window.borasenCheckIn = checkIn;
  window.borasenRegistered = function (volunteer) {
    walkIns.add(volunteer.id);
    checkIn({ volunteer_id: volunteer.id }, Borasen.t("desk.check_in") + volunteer.volunteer_no + " " + volunteer.name);
  };
  // A walk-in registered offline is checked in when it is sent: with the
  // health check as the desk confirmed it now.
  window.borasenWalkIn = function () { return { health_ok: healthOk.checked }; };
  // A walk-in queued offline (registration.js tells the desk).
  window.borasenWalkInQueued = function (answer, label) {
    healthOk.checked = false; // the queued walk-in carries this person's health check
    show("queued", [answer.message, label]);
    scanInput.focus();
  };

  // Queued writes sent later: the counts catch up; a check-in that needs the
  // insurance at the desk says so.
  let countsSoon = 0;
  document.addEventListener("borasen:offline-sent", function (event) {
    clearTimeout(countsSoon);
    countsSoon = setTimeout(refreshCounts, 300);
    const item = event.detail.item;
    const body = event.detail.answer.body;
    // A walk-in queued offline and now registered and checked in: their badge too.
    if (item.registered) walkIns.add(item.registered.id);
    if (body && body.today && !body.today.checked_out_at && (body.today.insurance === "none" || item.registered)) {
      checkedIn(body, Borasen.t("desk.sent_the_check_ins_that"));
    } else if (item.path === "/api/volunteers" && !item.then && body && body.volunteer_no) {
      show("warn", [Borasen.t("desk.sent_the_registration_that_was") + body.volunteer_no + " " + body.name + Borasen.t("desk.honorific"),
        Borasen.t("desk.not_checked_in_yet_check")]);
    }
  });

  // V-0012, v12, Ｖ１２ or plain digits are numbers; anything else is a QR token.
  function payloadFor(code) {
    const folded = code.normalize("NFKC").trim();
    if (/^[vV][-\s]?\d+$/.test(folded) || /^\d{1,6}$/.test(folded)) {
      return { volunteer_no: /^\d/.test(folded) ? "V-" + folded : folded };
    }
    return { qr_token: folded };
  }

  scanForm.addEventListener("submit", function (e) {
    e.preventDefault();
    const code = scanInput.value;
    scanInput.value = "";
    if (code.trim() !== "") checkIn(payloadFor(code));
  });

  async function search() {
    const q = searchInput.value.trim();
    results.textContent = "";
    if (q === "") return;
    const answer = await api("GET", "/api/volunteers?q=" + encodeURIComponent(q));
    if (answer.offline) {
      results.appendChild(el("li", "", Borasen.t("desk.no_connection_so_no_search")));
      return;
    }
    if (!answer.ok) return;
    if (answer.body.length === 0) results.appendChild(el("li", "", Borasen.t("desk.nobody_found_register_them_as")));
    answer.body.forEach(function (v) {
      const li = el("li");
      li.appendChild(el("strong", "", v.volunteer_no + " " + v.name));
      li.appendChild(el("span", "", " " + v.furigana + Borasen.t("desk.dot") + v.phone + (v.minor ? Borasen.t("desk.under_18") : "")));
      const status = v.today ? (v.today.checked_out_at ? Borasen.t("desk.left") : Borasen.t("desk.checked_in_2")) : Borasen.t("desk.not_checked_in");
      li.appendChild(el("span", "tag", status));
      if (!v.today) {
        let arrived = null;
        if (v.kind === "group") {
          // The representative says how many came (named members check in on their own).
          arrived = el("input");
          arrived.type = "number";
          arrived.inputMode = "numeric";
          arrived.min = "1";
          arrived.placeholder = Borasen.t("desk.people_arrived");
          arrived.setAttribute("aria-label", Borasen.t("desk.people_arrived"));
          arrived.className = "narrow-input";
          li.appendChild(arrived);
        }
        const button = el("button", "", Borasen.t("desk.check_in_3"));
        button.addEventListener("click", async function () {
          const payload = { volunteer_id: v.id };
          if (arrived && arrived.value.trim() !== "") payload.arrived_count = Number(arrived.value);
          await checkIn(payload, Borasen.t("desk.check_in") + v.volunteer_no + " " + v.name);
          search();
        });
        li.appendChild(button);
      } else {
        if (!v.today.checked_out_at) {
          const out = el("button", "secondary", Borasen.t("desk.leave"));
          out.addEventListener("click", async function () {
            if (!confirm(v.name + Borasen.t("desk.mark_as_left"))) return;
            const label = Borasen.t("desk.left_2") + v.volunteer_no + " " + v.name;
            const answer = await api("POST", "/api/checkouts", { volunteer_id: v.id }, { queue: { label: label } });
            if (answer.queued) show("queued", [answer.message, label]);
            else show(answer.ok ? "ok" : "err", [answer.ok ? v.name + Borasen.t("desk.has_left") + answer.body.minutes + Borasen.t("desk.min") : answer.body.error.message],
              answer.ok ? certificateLink(v) : null);
            await refreshCounts();
            await search();
            scanInput.focus();
          });
          li.appendChild(out);
        }
        const cancel = el("button", "secondary", Borasen.t("desk.cancel_check_in"));
        cancel.addEventListener("click", async function () {
          if (!confirm(v.name + Borasen.t("desk.cancel_today_s_check_in"))) return;
          const answer = await api("POST", "/api/checkins/cancel", { volunteer_id: v.id });
          show(answer.ok ? "ok" : "err", [answer.ok ? v.name + Borasen.t("desk.check_in_cancelled") : answer.body.error.message]);
          await refreshCounts();
          await search();
          scanInput.focus();
        });
        li.appendChild(cancel);
      }
      const badge = el("a", "button secondary", Borasen.t("desk.badge"));
      badge.href = "/api/volunteers/" + v.id + "/badge.pdf";
      badge.target = "_blank";
      li.appendChild(badge);
      if (v.today && v.today.checked_out_at) li.appendChild(certificateLink(v));
      results.appendChild(li);
    });
  }
  searchForm.addEventListener("submit", function (e) { e.preventDefault(); search(); });

  // Admins: the days' 受入上限.
  document.querySelectorAll("#capacity .save-capacity").forEach(function (button) {
    button.addEventListener("click", async function () {
      const row = button.closest("tr");
      const input = row.querySelector("input");
      const value = input.value.trim();
      if (value === "") return;
      const answer = await api("PUT", "/api/capacity/" + row.dataset.day, { capacity: Number(value) });
      if (answer.offline) { button.textContent = Borasen.t("desk.no_connection"); return; }
      button.textContent = answer.ok ? Borasen.t("desk.saved") : answer.body.error.message;
      if (answer.ok) row.children[1].textContent = answer.body.booked + Borasen.t("desk.people_2") + (answer.body.open ? "" : Borasen.t("desk.full"));
    });
  });

  window.Borasen.camera({
    button: document.getElementById("camera"),
    video: document.getElementById("camera-view"),
    onCode: function (code) { checkIn(payloadFor(code)); },
    onError: function () { show("err", [Borasen.t("desk.the_camera_cannot_be_used")]); },
  });
})();
