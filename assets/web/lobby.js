// borasen lobby screen: follows /ws/lobby, which sends the whole public view
// on connect and again whenever it changes; draws it. A dropped connection
// comes back with exponential backoff and jitter. Nothing here is personal:
// the server's LobbyView has no field for a name, phone or address.
"use strict";
(function () {
  const root = document.getElementById("lobby");
  const words = root.dataset;
  const linkState = document.getElementById("link-state");
  let attempt = 0;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function hhmm(at) { return (at || "").slice(11, 16); } // center time of an RFC 3339 stamp

  function setLink(live) {
    linkState.textContent = live ? words.live : words.reconnecting;
    linkState.className = "lobby-link " + (live ? "live" : "down");
  }

  function draw(view) {
    document.getElementById("clock").textContent = hhmm(view.center_time);
    const state = document.getElementById("state");
    state.className = "lobby-state " + view.state;
    state.setAttribute("role", view.state === "suspended" ? "alert" : "status");
    document.getElementById("state-label").textContent =
      view.state === "before_opening" ? words.beforeOpening : words[view.state];
    document.getElementById("state-detail").textContent =
      view.state === "suspended" ? (view.reason || "") :
      view.state === "open" ? words.closesAt + " " + view.closes_at :
      view.state === "before_opening" ? words.opensAt + " " + view.opens_at : "";

    const called = document.getElementById("called");
    called.replaceChildren();
    view.called.forEach(function (team, i) {
      const li = el("li", i === 0 ? "called-team newest" : "called-team");
      li.dataset.team = team.team_no;
      li.appendChild(el("span", "team-no", team.team_no));
      const where = el("span", "team-desk");
      const desk = el("strong", "", words.desk); // the one desk, named in the screen's language
      if (words.lang === "en") { where.append(words.goTo + " ", desk); } else { where.append(desk, " " + words.goTo); }
      li.appendChild(where);
      li.appendChild(el("span", "team-meta", [team.zone || "", hhmm(team.called_at)].filter(Boolean).join(" · ")));
      called.appendChild(li);
    });
    document.getElementById("none-called").hidden = view.called.length > 0;

    document.getElementById("waiting").textContent = String(view.waiting);

    const notices = document.getElementById("notices");
    notices.replaceChildren();
    view.notices.forEach(function (n) {
      const li = el("li");
      li.appendChild(el("time", "", hhmm(n.posted_at)));
      li.appendChild(document.createTextNode(n.text));
      notices.appendChild(li);
    });
    document.getElementById("notices-box").hidden = view.notices.length === 0;
    root.dataset.seq = String(view.seq);
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(scheme + "//" + location.host + "/ws/lobby");
    socket.onopen = function () { attempt = 0; setLink(true); };
    socket.onmessage = function (message) { draw(JSON.parse(message.data)); };
    socket.onclose = function () {
      setLink(false);
      attempt += 1;
      const ceiling = Math.min(30000, 500 * Math.pow(2, attempt));
      setTimeout(connect, ceiling / 2 + Math.random() * ceiling / 2);
    };
  }
  setLink(false);
  connect();
})();
