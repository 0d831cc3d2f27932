// The matching desk, built for speed: one scan box takes need cards (N-0001),
// badges (QR token or V-0012) and equipment codes (an item's printed code: one
// more of it lent to the team); Enter on an empty box dispatches. The
// waiting needs and the waiting pool follow the board websocket. A dispatch or
// a return made offline waits in the offline queue (offline.js) and is sent
// when the link returns.
"use strict";
(function () {
  const api = window.Borasen.api;
  const el = window.Borasen.el;
  const $ = function (id) { return document.getElementById(id); };
  const scan = $("scan");
  const scanResult = $("scan-result");
  const teamError = $("team-error");
  const CATEGORY = { mud: Borasen.t("matching.mud_removal"), belongings: Borasen.t("matching.moving_belongings"), debris: Borasen.t("matching.disaster_waste"), cleaning: Borasen.t("matching.cleaning"), under_floor: Borasen.t("matching.under_the_floor"), other: Borasen.t("matching.other") };
  const OPEN_FOR_TEAMS = "received,surveying,waiting,continuing";

  let needs = [];
  let pool = [];
  let items = [];
  let team = { need: null, members: [], leader: null, loans: [] };
  let returning = null;

  function say(kind, text) {
    scanResult.className = "result " + kind;
    scanResult.textContent = text;
    scanResult.hidden = false;
  }

  // ---- data ----
  async function loadNeeds() {
    const answer = await api("GET", "/api/needs?status=" + OPEN_FOR_TEAMS + "&limit=200");
    if (answer.ok) needs = answer.body;
    drawNeeds();
  }

  async function loadPool() {
    const answer = await api("GET", "/api/waiting");
    if (answer.ok) pool = answer.body;
    // Somebody sent elsewhere meanwhile leaves the team being formed.
    team.members = team.members.filter(function (m) { return pool.some(function (p) { return p.volunteer_id === m.volunteer_id; }); });
    if (!team.members.some(function (m) { return m.volunteer_id === team.leader; })) {
      team.leader = team.members.length ? team.members[0].volunteer_id : null;
    }
    drawPool();
    drawTeam();
  }

  async function loadTeamsOut() {
    const answer = await api("GET", "/api/teams?status=dispatched");
    if (!answer.ok) return;
    const list = $("teams-out");
    list.textContent = "";
    $("out-count").textContent = answer.body.length + Borasen.t("matching.team");
    answer.body.forEach(function (t) {
      const li = el("li", t.overdue ? "overdue-team" : "");
      li.dataset.team = t.team_no;
      const where = t.need_no ? t.need_no + Borasen.t("matching.paren_open") + (t.zone || Borasen.t("matching.zone_unknown")) + Borasen.t("matching.paren_close") : Borasen.t("matching.zone_dispatch") + (t.zone || "");
      li.appendChild(el("strong", "", t.team_no));
      li.appendChild(el("span", "", where + Borasen.t("matching.space") + t.headcount + Borasen.t("matching.people_due_back") + t.return_by.slice(11, 16)));
      if (t.overdue) li.appendChild(el("span", "overdue", Borasen.t("matching.overdue")));
      const back = el("button", "secondary", Borasen.t("matching.back"));
      back.type = "button";
      back.addEventListener("click", function () { openReturn(t); });
      li.appendChild(back);
      list.appendChild(li);
    });
  }

  async function loadCenter() {
    const answer = await api("GET", "/api/center");
    if (!answer.ok) return;
    $("suspended").hidden = !answer.body.suspended;
    $("suspended-reason").textContent = answer.body.reason || "";
    $("dispatch").disabled = answer.body.suspended;
  }

  async function loadItems() {
    const answer = await api("GET", "/api/items");
    if (!answer.ok || !Array.isArray(answer.body)) return;
    items = answer.body;
    const select = $("loan-item");
    select.textContent = "";
    items.forEach(function (item) {
      const option = el("option", "", item.name + Borasen.t("matching.in_stock") + item.stock + item.unit + Borasen.t("matching.paren_close"));
      option.value = item.id;
      select.appendChild(option);
    });
    $("loans-box").hidden = items.length === 0;
  }

  // A phrase the server composed (`{key, values}`), in the page's language.
  function phrase(p) { return Borasen.t(p.key.replace(/^js\./, ""), p.values); }

  async function loadSuggestions() {
    const answer = await api("GET", "/api/teams/suggestions");
    const card = $("suggestions-card");
    if (!answer.ok || !Array.isArray(answer.body) || answer.body.length === 0) { card.hidden = true; return; }
    const list = $("suggestions");
    list.textContent = "";
    answer.body.slice(0, 8).forEach(function (s) {
      const need = needs.find(function (n) { return n.id === s.need_id; });
      const names = s.member_ids.map(function (id) {
        const p = pool.find(function (w) { return w.volunteer_id === id; });
        return p ? p.name : String(id);
      });
      const li = el("li");
      li.appendChild(el("strong", "", need ? need.need_no : "N-?"));
      li.appendChild(el("span", "", names.join(Borasen.t("matching.dot")) + (s.missing > 0 ? Borasen.t("matching.left_open") + s.missing + Borasen.t("matching.people_left") : "") + Borasen.t("matching.space") + (s.why || []).map(phrase).join(Borasen.t("matching.comma"))));
      const take = el("button", "secondary", Borasen.t("matching.form_this_team"));
      take.type = "button";
      take.addEventListener("click", function () {
        team.need = need || null;
        team.members = s.member_ids.map(function (id) { return pool.find(function (w) { return w.volunteer_id === id; }); }).filter(Boolean);
        team.leader = s.leader_id;
        drawNeeds(); drawPool(); drawTeam();
        scan.focus();
      });
      li.appendChild(take);
      list.appendChild(li);
    });
    card.hidden = false;
  }

  function refreshAll() {
    return Promise.all([loadNeeds(), loadPool(), loadTeamsOut(), loadCenter()]).then(loadSuggestions);
  }

  // ---- drawing ----
  function needLabel(n) {
    return n.need_no + Borasen.t("matching.priority") + n.priority + Borasen.t("matching.space") + (n.zone || Borasen.t("matching.zone_unknown")) + Borasen.t("matching.space") +
      n.categories.map(function (c) { return CATEGORY[c]; }).join(Borasen.t("matching.dot")) + Borasen.t("matching.space") + n.people_needed + Borasen.t("matching.people");
  }

  function drawNeeds() {
    const list = $("needs");
    list.textContent = "";
    $("need-count").textContent = needs.length + Borasen.t("matching.count_unit");
    needs.forEach(function (n) {
      const li = el("li");
      const pick = el("button", team.need && team.need.id === n.id ? "chosen" : "", needLabel(n));
      pick.type = "button";
      pick.dataset.need = n.need_no;
      pick.addEventListener("click", function () { chooseNeed(n); });
      li.appendChild(pick);
      list.appendChild(li);
    });
  }

  function drawPool() {
    const list = $("pool");
    list.textContent = "";
    $("pool-count").textContent = pool.reduce(function (sum, p) { return sum + p.headcount; }, 0) + Borasen.t("matching.people");
    pool.forEach(function (p) {
      const li = el("li");
      const taken = team.members.some(function (m) { return m.volunteer_id === p.volunteer_id; });
      const extra = (p.headcount > 1 ? Borasen.t("matching.paren_open") + p.headcount + Borasen.t("matching.people_left") : "") + (p.vehicle ? " 🚚" : "") +
        (p.skills.length ? Borasen.t("matching.bracket_open") + p.skills.join(Borasen.t("matching.dot")) + Borasen.t("matching.bracket_close") : "");
      const chip = el("button", taken ? "chosen" : "", p.volunteer_no + " " + p.name + extra);
      chip.type = "button";
      chip.dataset.volunteer = p.volunteer_no;
      chip.disabled = !p.dispatchable;
      chip.title = p.dispatchable ? "" : Borasen.t("matching.not_insured_cannot_be_sent");
      chip.addEventListener("click", function () { toggleMember(p); });
      if (!p.adult) chip.appendChild(el("span", "tag minor", Borasen.t("minors.under_18")));
      li.appendChild(chip);
      list.appendChild(li);
    });
  }

  function drawTeam() {
    const zone = $("zone-target").value;
    $("team-target").textContent = team.need ? Borasen.t("matching.sending_to") + needLabel(team.need)
      : zone ? Borasen.t("matching.sending_to_zone_dispatch") + zone : Borasen.t("matching.pick_or_scan_a_need");
    const list = $("members");
    list.textContent = "";
    team.members.forEach(function (m) {
      const li = el("li", m.volunteer_id === team.leader ? "leader" : "");
      const name = el("button", "who-name", m.volunteer_no + " " + m.name + (m.headcount > 1 ? Borasen.t("matching.paren_open") + m.headcount + Borasen.t("matching.people_left") : ""));
      name.type = "button";
      name.title = Borasen.t("matching.make_leader");
      name.addEventListener("click", function () { team.leader = m.volunteer_id; drawTeam(); scan.focus(); });
      if (!m.adult) name.appendChild(el("span", "tag minor", Borasen.t("minors.under_18")));
      const remove = el("button", "secondary", "×");
      remove.type = "button";
      remove.setAttribute("aria-label", m.name + Borasen.t("matching.remove"));
      remove.addEventListener("click", function () { toggleMember(m); });
      li.appendChild(name);
      li.appendChild(remove);
      list.appendChild(li);
    });
    const people = team.members.reduce(function (sum, m) { return sum + m.headcount; }, 0);
    const wanted = team.need ? team.need.people_needed : Number($("zone-headcount").value || 0);
    const line = $("headcount");
    line.textContent = people + Borasen.t("matching.people") + (wanted ? Borasen.t("matching.needed") + wanted + Borasen.t("matching.people") : "");
    line.className = "headcount" + (wanted && people < wanted ? " short" : "");
    drawMinorWarnings();
    const loans = $("loans");
    loans.textContent = "";
    team.loans.forEach(function (loan, i) {
      const item = items.find(function (it) { return it.id === loan.item_id; });
      const li = el("li", "", (item ? item.name : loan.item_id) + " × " + loan.qty);
      const remove = el("button", "secondary", "×");
      remove.type = "button";
      remove.addEventListener("click", function () { team.loans.splice(i, 1); drawTeam(); });
      li.appendChild(remove);
      loans.appendChild(li);
    });
  }

  // ---- minors (18歳未満) ----
  // The settings' heavy-work categories, from the page.
  const HEAVY_WORK = ($("matching").dataset.heavyWork || "").split(",").filter(Boolean);

  // While forming: a minor needs an adult leader (the server refuses it), and
  // a minor going to heavy work is sent only once the coordinator ticks the
  // confirmation (the server asks for it and logs it).
  function drawMinorWarnings() {
    const box = $("minor-warnings");
    const keep = $("confirm-minor-heavy-work");
    const confirmed = keep ? keep.checked : false;
    box.textContent = "";
    const minors = team.members.filter(function (m) { return !m.adult; });
    const leader = team.members.find(function (m) { return m.volunteer_id === team.leader; });
    if (minors.length && leader && !leader.adult) {
      box.appendChild(el("li", "warn", Borasen.t("minors.no_adult_leader")));
    }
    const heavy = team.need ? team.need.categories.filter(function (c) { return HEAVY_WORK.indexOf(c) >= 0; }) : [];
    if (minors.length && heavy.length) {
      const li = el("li", "warn", Borasen.t("minors.heavy_work", {
        who: minors.map(function (m) { return m.volunteer_no; }).join(Borasen.t("matching.dot")),
        work: heavy.map(function (c) { return CATEGORY[c]; }).join(Borasen.t("matching.dot")),
      }));
      const label = el("label", "chip");
      const tick = el("input");
      tick.type = "checkbox";
      tick.id = "confirm-minor-heavy-work";
      tick.checked = confirmed;
      label.append(tick, " " + Borasen.t("minors.confirm_heavy_work"));
      li.appendChild(label);
      box.appendChild(li);
    }
    box.hidden = box.children.length === 0;
  }

  // ---- forming ----
  function chooseNeed(n) {
    team.need = team.need && team.need.id === n.id ? null : n;
    $("zone-target").value = "";
    drawNeeds();
    drawTeam();
    scan.focus();
  }

  function toggleMember(p) {
    const at = team.members.findIndex(function (m) { return m.volunteer_id === p.volunteer_id; });
    if (at >= 0) team.members.splice(at, 1);
    else team.members.push(p);
    if (!team.members.some(function (m) { return m.volunteer_id === team.leader; })) {
      team.leader = team.members.length ? team.members[0].volunteer_id : null;
    }
    drawPool();
    drawTeam();
    scan.focus();
  }

  function clearTeam() {
    team = { need: null, members: [], leader: null, loans: [] };
    $("vehicle").value = "";
    $("return-by").value = "";
    $("zone-target").value = "";
    $("zone-headcount").value = "";
    teamError.hidden = true;
    drawNeeds(); drawPool(); drawTeam();
  }

  // The server names what the code is (need card, equipment label, badge),
  // folding it as a scanner types through a Japanese IME; offline, the desk's
  // own lists answer.
  async function onScan(code) {
    const text = code.trim();
    if (text === "") { dispatch(); return; }
    const answer = await api("GET", "/api/matching/scan?code=" + encodeURIComponent(text));
    if (answer.offline) { scanOffline(text); return; }
    if (!answer.ok) {
      say("err", (answer.body.error || {}).message || Borasen.t("matching.could_not_read_it"));
      return;
    }
    const found = answer.body;
    if (found.kind === "need") { await pickNeed(found.need); return; }
    if (found.kind === "item") { await lendScanned(found.item); return; }
    const volunteer = found.volunteer;
    if (!pool.some(function (p) { return p.volunteer_id === volunteer.volunteer_id; })) pool.push(volunteer);
    addMember(volunteer);
  }

  // A need card: the need is picked for the team being formed.
  async function pickNeed(summary) {
    const byId = function () { return needs.find(function (x) { return x.id === summary.id; }); };
    if (!byId()) await loadNeeds(); // received since the list was read
    const n = byId();
    if (!n) { say("err", summary.need_no + Borasen.t("matching.is_not_among_the_needs")); return; }
    team.need = n;
    $("zone-target").value = "";
    drawNeeds();
    drawTeam();
    say("ok", n.need_no + Borasen.t("matching.chosen"));
  }

  // An equipment label: one more of the item on the loans, counted against the stock the desk knows.
  async function lendScanned(item) {
    if (!items.some(function (it) { return it.id === item.id; })) await loadItems();
    lendOne(items.find(function (it) { return it.id === item.id; }) || item);
  }

  function scanOffline(text) {
    if (/^[nN\uFF2E][-\uFF0D]?\d+$/.test(text)) {
      const number = Number(text.replace(/\D/g, ""));
      const n = needs.find(function (x) { return Number(x.need_no.slice(2)) === number; });
      if (n) { team.need = n; drawNeeds(); drawTeam(); say("ok", n.need_no + Borasen.t("matching.chosen")); }
      else say("err", text + Borasen.t("matching.is_not_among_the_needs"));
      return;
    }
    const known = pool.find(function (p) { return p.volunteer_no.toLowerCase() === text.toLowerCase(); });
    if (known) { addMember(known); return; }
    const item = itemByCode(text);
    if (item) { lendOne(item); return; }
    say("err", Borasen.t("matching.quote_open") + text + Borasen.t("matching.matches_no_badge_need_card"));
  }

  // An item's printed code, folded as the equipment page folds it (full-width
  // from a reader on a Japanese keyboard, lower case).
  function fold(code) { return code.normalize("NFKC").trim().toUpperCase(); }

  function itemByCode(text) {
    const wanted = fold(text);
    return items.find(function (it) { return it.code && fold(it.code) === wanted; });
  }

  // One more of the item on the team's loans, as the 追加 button does, within stock.
  function lendOne(item) {
    const line = team.loans.find(function (l) { return l.item_id === item.id; });
    const qty = (line ? line.qty : 0) + 1;
    if (qty > item.stock) {
      say("err", item.name + Borasen.t("matching.is_short_of_stock_in") + item.stock + item.unit + Borasen.t("matching.paren_close_period"));
      return;
    }
    if (line) line.qty = qty; else team.loans.push({ item_id: item.id, qty: 1 });
    drawTeam();
    say("ok", item.name + Borasen.t("matching.added_to_the_loan") + qty + item.unit + Borasen.t("matching.paren_close_period"));
  }

  function addMember(p) {
    if (!p.dispatchable) { say("err", p.volunteer_no + " " + p.name + Borasen.t("matching.is_not_insured_and_cannot")); return; }
    if (team.members.some(function (m) { return m.volunteer_id === p.volunteer_id; })) {
      say("warn", p.volunteer_no + " " + p.name + Borasen.t("matching.is_already_on_a_team"));
      return;
    }
    toggleMember(p);
    say("ok", p.volunteer_no + " " + p.name + Borasen.t("matching.added"));
  }

  // The refusals a coordinator may override, and the team form's field for each.
  const OVERRIDES = { after_last_dispatch: "override_last_dispatch", short_working_time: "override_short_time" };
  function overrideFor(answer) {
    return !answer.ok && answer.status === 409 && answer.body.error ? OVERRIDES[answer.body.error.code] : undefined;
  }

  let sending = false;
  async function dispatch() {
    // Enter on the scan box and the button both land here: one request at a time.
    if (sending || $("dispatch").disabled) return;
    teamError.hidden = true;
    const zone = $("zone-target").value;
    const body = {
      need_id: team.need ? team.need.id : null,
      zone: team.need ? null : (zone || null),
      headcount: team.need || !zone ? null : Number($("zone-headcount").value || 0) || null,
      leader_id: team.leader,
      member_ids: team.members.map(function (m) { return m.volunteer_id; }),
      vehicle: $("vehicle").value || null,
      loans: team.loans,
      return_by: $("return-by").value || null,
      confirm_minor_heavy_work: !!($("confirm-minor-heavy-work") && $("confirm-minor-heavy-work").checked),
    };
    const label = Borasen.t("matching.dispatch") + (team.need ? team.need.need_no : Borasen.t("matching.zone_dispatch") + (zone || "")) + Borasen.t("matching.paren_open") +
      team.members.map(function (m) { return m.volunteer_no; }).join(Borasen.t("matching.dot")) + Borasen.t("matching.paren_close");
    sending = true;
    $("dispatch").disabled = true;
    let answer = await api("POST", "/api/teams", body, { queue: { label: label } }).finally(function () { sending = false; });
    // A late or short dispatch is the coordinator's call: the server says why, the page asks, and sends again with the override.
    for (let flag = overrideFor(answer); flag && !body[flag] && window.confirm(answer.body.error.message + "\n" + Borasen.t("matching.override_confirm")); flag = overrideFor(answer)) {
      body[flag] = true;
      sending = true;
      answer = await api("POST", "/api/teams", body, { queue: { label: label } }).finally(function () { sending = false; });
    }
    $("dispatch").disabled = false;
    if (answer.queued) {
      say("warn", answer.message + Borasen.t("matching.paren_open") + label + Borasen.t("matching.paren_close"));
      clearTeam();
      scan.focus();
      return;
    }
    if (!answer.ok) {
      teamError.textContent = (answer.body.error || {}).message || Borasen.t("matching.could_not_dispatch") + answer.status + Borasen.t("matching.paren_close_period");
      teamError.hidden = false;
      return;
    }
    const t = answer.body;
    const done = $("dispatched");
    done.textContent = "";
    done.appendChild(el("p", "huge", t.team_no));
    done.appendChild(el("p", "", (t.need_no || Borasen.t("matching.zone_dispatch") + t.zone) + Borasen.t("matching.space") + t.headcount + Borasen.t("matching.people_due_back") + t.return_by.slice(11, 16)));
    const sheet = el("a", "button secondary", Borasen.t("matching.dispatch_sheet_pdf"));
    sheet.href = "/api/teams/" + t.id + "/sheet.pdf";
    sheet.target = "_blank";
    done.appendChild(sheet);
    done.hidden = false;
    say("ok", t.team_no + Borasen.t("matching.dispatched"));
    clearTeam();
    refreshAll();
    scan.focus();
  }

  // ---- return ----
  // The paper 活動報告: 帰着人数 and 「全員無事」, 作業時間, the injury's details,
  // new needs found on site, and the equipment counted back (a consumable not
  // returned shows as used up before saving).
  async function openReturn(t) {
    returning = t;
    const form = $("return-form");
    form.reset();
    $("return-title").textContent = t.team_no + Borasen.t("matching.return") + (t.need_no ? Borasen.t("matching.paren_open") + t.need_no + Borasen.t("matching.paren_close") : "");
    form.elements.back.value = t.headcount;
    form.elements.back.max = t.headcount;
    drawBack();
    // Time out so far, as a starting point the leader corrects (breaks, travel);
    // left blank when this tablet's clock cannot tell (a drill's clock runs apart).
    const out = Math.round((Date.now() - Date.parse(t.departed_at)) / 60000);
    const plausible = Number.isFinite(out) && out >= 0 && out <= 1440;
    form.elements.minutes.value = plausible ? out : "";
    $("return-minutes-hint").textContent = plausible ? Borasen.t("matching.return_report.out_for", { n: out }) : "";
    $("return-needs").textContent = "";
    const box = $("return-items");
    box.textContent = "";
    const lent = await api("GET", "/api/teams/" + t.id + "/equipment");
    if (returning !== t) return; // another team's 帰着 was opened meanwhile
    (lent.ok && Array.isArray(lent.body) ? lent.body : []).forEach(function (line) {
      const row = el("div", "inline-form");
      row.dataset.item = line.item_id;
      row.appendChild(el("span", "", line.name + Borasen.t("matching.lent") + line.qty + line.unit + Borasen.t("matching.paren_close")));
      [["returned", Borasen.t("matching.returned"), line.qty], ["lost", Borasen.t("matching.lost"), 0], ["damaged", Borasen.t("matching.damaged"), 0]].forEach(function (f) {
        const input = el("input", "narrow-input");
        input.type = "number"; input.min = "0"; input.inputMode = "numeric"; input.value = f[2];
        input.name = f[0]; input.setAttribute("aria-label", line.name + " " + f[1]);
        input.addEventListener("input", function () { drawUnaccounted(row, line); });
        row.appendChild(el("span", "", f[1]));
        row.appendChild(input);
      });
      const rest = el("strong", "unaccounted");
      rest.setAttribute("aria-live", "polite");
      row.appendChild(rest);
      box.appendChild(row);
      drawUnaccounted(row, line);
    });
    $("return-error").hidden = true;
    form.hidden = false;
    form.scrollIntoView({ block: "center" });
  }

  // 帰着人数 against the people who left: fewer raises the board's alert, and the desk says so first.
  function drawBack() {
    const left = returning.headcount;
    const back = $("return-form").elements.back.value;
    const short = back === "" ? 0 : left - Number(back);
    $("return-left").textContent = Borasen.t("matching.return_report.left", { n: left }) +
      (short > 0 ? Borasen.t("matching.return_report.short", { n: short }) : "");
    $("return-left").className = short > 0 ? "short" : "";
  }
  $("return-form").elements.back.addEventListener("input", drawBack);

  // What is not counted back: a consumable's rest is used up (「消費 40」), a
  // durable's must be recorded as lost or damaged before the return saves.
  function drawUnaccounted(row, line) {
    const n = function (name) { return Number(row.querySelector("input[name=" + name + "]").value || 0); };
    const rest = line.qty - n("returned") - n("lost") - n("damaged");
    const label = row.querySelector(".unaccounted");
    if (rest <= 0) { label.textContent = ""; return; }
    label.textContent = line.kind === "consumable"
      ? Borasen.t("matching.return_report.consumed", { n: rest, unit: line.unit })
      : Borasen.t("matching.return_report.missing", { n: rest, unit: line.unit });
    label.className = "unaccounted " + (line.kind === "consumable" ? "consumed" : "missing");
  }

  // One need card found on site: the few fields the leader can tell.
  function addNeedCard() {
    const list = $("return-needs");
    const card = el("fieldset", "form-grid new-need");
    card.appendChild(el("legend", "", Borasen.t("matching.return_report.need_card", { n: list.children.length + 1 })));
    [["requester_name", "text", Borasen.t("matching.return_report.requester_name"), 50],
      ["phone", "tel", Borasen.t("matching.return_report.phone"), 30],
      ["address", "text", Borasen.t("matching.return_report.address"), 200],
      ["people_needed", "number", Borasen.t("matching.return_report.people_needed"), 0],
      ["notes", "text", Borasen.t("matching.return_report.notes"), 1000]].forEach(function (f) {
      const label = el("label", f[0] === "address" || f[0] === "notes" ? "wide" : "", f[2] + " ");
      const input = el("input", f[1] === "number" ? "narrow-input" : "");
      input.name = "need_" + f[0];
      input.type = f[1];
      if (f[1] === "number") { input.min = "1"; input.max = "200"; input.inputMode = "numeric"; }
      else input.maxLength = f[3];
      label.appendChild(input);
      card.appendChild(label);
    });
    const kinds = el("div", "choices wide");
    Object.keys(CATEGORY).forEach(function (c) {
      const chip = el("label", "chip");
      const box = el("input");
      box.type = "checkbox"; box.name = "need_categories"; box.value = c;
      chip.appendChild(box);
      chip.appendChild(document.createTextNode(" " + CATEGORY[c]));
      kinds.appendChild(chip);
    });
    card.appendChild(kinds);
    const remove = el("button", "secondary", Borasen.t("matching.return_report.remove_need"));
    remove.type = "button";
    remove.addEventListener("click", function () { card.remove(); });
    card.appendChild(remove);
    list.appendChild(card);
    card.querySelector("input").focus();
  }
  $("return-need-add").addEventListener("click", addNeedCard);

  function needCards() {
    return Array.prototype.map.call($("return-needs").querySelectorAll(".new-need"), function (card) {
      const v = function (name) { return card.querySelector("input[name=need_" + name + "]").value; };
      return {
        requester_name: v("requester_name"),
        phone: v("phone"),
        address: v("address"),
        people_needed: v("people_needed") === "" ? null : Number(v("people_needed")),
        notes: v("notes"),
        categories: Array.prototype.map.call(card.querySelectorAll("input[name=need_categories]:checked"), function (c) { return c.value; }),
      };
    });
  }

  function returnError(text) {
    $("return-error").textContent = text;
    $("return-error").hidden = false;
  }

  $("return-form").addEventListener("submit", async function (event) {
    event.preventDefault();
    const form = event.target;
    const outcome = form.querySelector("input[name=outcome]:checked");
    const returns = Array.prototype.map.call(form.querySelectorAll("#return-items [data-item]"), function (row) {
      const n = function (name) { return Number(row.querySelector("input[name=" + name + "]").value || 0); };
      return { item_id: Number(row.dataset.item), returned: n("returned"), lost: n("lost"), damaged: n("damaged") };
    });
    const number = function (name) { const v = form.elements[name].value; return v === "" ? null : Number(v); };
    // The paper's tick: everyone safe, or what happened written down.
    if (!form.elements.all_safe.checked && form.elements.injury.value.trim() === "") {
      returnError(Borasen.t("matching.return_report.tick_or_describe"));
      form.elements.all_safe.focus();
      return;
    }
    if (number("back") === null) { returnError(Borasen.t("matching.return_report.back_required")); form.elements.back.focus(); return; }
    if (number("minutes") === null) { returnError(Borasen.t("matching.return_report.minutes_required")); form.elements.minutes.focus(); return; }
    const label = Borasen.t("matching.return_2") + returning.team_no;
    const answer = await api("POST", "/api/teams/" + returning.id + "/return", {
      version: returning.version,
      outcome: outcome ? outcome.value : null,
      back: number("back"),
      all_safe: form.elements.all_safe.checked,
      minutes: number("minutes"),
      report: form.elements.report.value,
      injury: form.elements.injury.value,
      injured: number("injured"),
      severity: form.elements.severity.value || null,
      new_needs: needCards(),
      returns: returns,
      check_out: form.elements.check_out.checked,
    }, { queue: { label: label } });
    if (answer.queued) {
      form.hidden = true;
      say("warn", answer.message + Borasen.t("matching.paren_open") + label + Borasen.t("matching.paren_close"));
      return;
    }
    if (!answer.ok) {
      returnError((answer.body.error || {}).message || Borasen.t("matching.could_not_record"));
      return;
    }
    form.hidden = true;
    say("ok", answer.body.team_no + Borasen.t("matching.return_recorded"));
    refreshAll();
  });
  $("return-cancel").addEventListener("click", function () { $("return-form").hidden = true; });

  // ---- controls ----
  // A scanner types codes faster than the server answers: each scan waits for
  // the one before, so badges join in the order scanned (the first leads) and
  // Enter dispatches the team as scanned.
  let scans = Promise.resolve();
  $("scan-form").addEventListener("submit", function (event) {
    event.preventDefault();
    const code = scan.value;
    scan.value = "";
    scans = scans.then(function () { return onScan(code); }).catch(function () {});
  });
  $("dispatch").addEventListener("click", dispatch);
  $("clear-team").addEventListener("click", function () { clearTeam(); scan.focus(); });
  $("zone-target").addEventListener("change", function () { team.need = null; drawNeeds(); drawTeam(); });
  $("zone-headcount").addEventListener("input", drawTeam);
  $("loan-add").addEventListener("click", function () {
    const id = Number($("loan-item").value);
    const qty = Number($("loan-qty").value || 0);
    if (!id || qty < 1) return;
    const line = team.loans.find(function (l) { return l.item_id === id; });
    if (line) line.qty += qty; else team.loans.push({ item_id: id, qty: qty });
    drawTeam();
  });
  $("suspend-form").addEventListener("submit", async function (event) {
    event.preventDefault();
    const answer = await api("POST", "/api/center/suspend", { reason: event.target.elements.reason.value });
    if (!answer.ok) { say("err", (answer.body.error || {}).message || Borasen.t("matching.could_not_suspend")); return; }
    event.target.reset();
    loadCenter();
  });
  $("resume").addEventListener("click", async function () {
    const answer = await api("POST", "/api/center/resume", {});
    if (!answer.ok) say("err", (answer.body.error || {}).message || Borasen.t("matching.could_not_resume"));
    loadCenter();
  });
  // Queued dispatches and returns sent later: the lists catch up.
  document.addEventListener("borasen:offline-sent", function (event) {
    const t = event.detail.answer.body || {};
    if (t.team_no) say("ok", Borasen.t("matching.sent_the_waiting") + event.detail.item.label + Borasen.t("matching.sent_close") + t.team_no + Borasen.t("matching.paren_close_period"));
    soon();
  });

  // Badges and need cards by camera, one after another.
  window.Borasen.camera({
    button: $("camera"),
    video: $("camera-view"),
    continuous: true,
    onCode: onScan,
    onError: function () { say("err", Borasen.t("matching.the_camera_cannot_be_used")); },
  });

  // ---- live ----
  let timer = 0;
  function soon() {
    clearTimeout(timer);
    timer = setTimeout(refreshAll, 300);
  }
  function setLink(live) {
    const state = $("link-state");
    state.textContent = live ? Borasen.t("matching.live") : Borasen.t("matching.reconnecting");
    state.className = "link-state " + (live ? "live" : "down");
  }
  const LIVE = /^(need\.|team\.|volunteer\.|center\.|items?\.)/;
  window.Borasen.follow({
    onEvent: function (event) { if (LIVE.test(event.kind)) soon(); },
    onLink: setLink,
    onReset: soon,
    ready: function () { return Promise.all([refreshAll(), loadItems()]); },
  }).catch(function () {
    // No snapshot: offline, the page came from the service worker's cache. Load
    // again once the link is back (not every 5 s: the desk may be typing).
    if (navigator.onLine === false) {
      window.addEventListener("online", function () { setTimeout(function () { location.reload(); }, 1000); }, { once: true });
    } else {
      setTimeout(function () { location.reload(); }, 5000);
    }
  });
})();
