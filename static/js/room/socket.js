// The chat room's socket: connects (?after= the newest message and correction seen),
// reconnects with exponential backoff and jitter, hands each frame to its handler, and
// answers the error frames; a final close code ends it, and a closed room turns read-only.
(function (R) {
  "use strict";
  if (!R) return;
  var gettext = R.gettext, pgettext = R.pgettext, interpolate = R.interpolate;
  var state = R.state, pending = state.pending, pendingCorrections = state.pendingCorrections;
  var root = R.root, statusEl = R.statusEl, PUPIL = R.PUPIL;
  var FINAL_CODES = {
    4401: PUPIL ? pgettext("to a pupil", "Please log in again.") : gettext("Please log in again."),
    4403: PUPIL ? pgettext("to a pupil", "You are not a member of this room.")
      : gettext("You are not a member of this room."),
    4404: PUPIL ? pgettext("to a pupil", "There is no such room for you.")
      : gettext("There is no such room for you."),
    4410: gettext("This room is closed.") };
  var socket = null;
  var attempt = 0;

  R.send = function (frame) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  };

  function onError(event) {
    // A report's client_id names its message: reported before, it says so from now on.
    var reported = /^report-(\d+)$/.exec(event.client_id || "");
    if (reported) {
      state.reporting.delete(parseInt(reported[1], 10));
      if (event.code === "already_reported") R.markReported(parseInt(reported[1], 10));
      if (event.code !== "room_closed") R.showError(event.detail);
      return;
    }
    if (event.client_id && pendingCorrections.has(event.client_id)) {
      R.correctionRefused(event);
      return;
    }
    var waiting = event.client_id ? pending.get(event.client_id) : null;
    // It may answer the request for older messages (rate limited, server busy): the
    // button must ask again, not wait for a page that will never come.
    if (!event.client_id) state.loadingOlder = false;
    if (waiting && event.code === "rate_limited") {
      R.showError(PUPIL ? pgettext("to a pupil", "You are sending too fast; retrying in a few seconds.")
        : gettext("You are sending too fast; retrying in a few seconds."));
      setTimeout(function () { R.resend(event.client_id); }, 3000 + Math.random() * 2000);
      return;
    }
    if (waiting && event.code === "server_busy") {
      // Refused unsaved while the server sheds load: it stays "sending…" and goes again,
      // with the same client_id, a moment later (spread, so the retries do not come back
      // at once).
      setTimeout(function () { R.resend(event.client_id); }, 1000 + Math.random() * 4000);
      return;
    }
    if (waiting && event.code === "server_error" && (waiting.failures || 0) < 3) {
      // The server failed on it (a database hiccup), unsaved: the same client_id goes
      // again a little later, a few times, before the page gives up on it.
      waiting.failures = (waiting.failures || 0) + 1;
      setTimeout(function () { R.resend(event.client_id); },
                 1000 * Math.pow(2, waiting.failures) * (0.5 + Math.random()));
      return;
    }
    // A closed room says so in its banner, shown as the socket closes (4410).
    if (waiting) {  // refused for good (a contact detail, too long): keep the text visible
      R.markState(waiting.el, "failed");
      pending.delete(event.client_id);
      if (event.code !== "room_closed") R.showRefusal(event.detail, waiting);
      return;
    }
    if (event.code !== "room_closed") R.showError(event.detail);
  }

  var handlers = {
    "room.joined": function (e) {
      attempt = 0;
      state.joined = true;
      pendingCorrections.forEach(function (item) { R.sendCorrection(item); });
      statusEl.dataset.state = "connected";  // a hook for tests, in any language
      R.setStatus(gettext("Connected"));
      R.onPresence(e.online);
      R.setMuted(e.muted_until || null, "ended");
      (e.hidden_ids || []).forEach(function (id) { R.onHidden({ id: id }); });
    },
    "message": R.onMessage,
    "history": R.onHistory,
    "presence": function (e) { R.onPresence(e.online); },
    "typing": function (e) { R.onTyping(e.user); },
    "correction": R.onCorrection,
    "message.hidden": R.onHidden,
    "member.muted": function (e) { R.setMuted(e.until); },
    "member.unmuted": function () { R.setMuted(null, "lifted"); },
    "message.reported": function (e) {
      R.markReported(e.message_id);
      if (state.reporting.delete(e.message_id)) {
        R.showNote(R.REPORTED);
      }
    },
    "session.switch": onSwitch,
    "error": onError,
  };

  // Half time of a tandem session: the language is named in the page's language.
  function onSwitch(e) {
    var name = e.language_name || e.language;
    try {
      name = new Intl.DisplayNames([document.documentElement.lang || "en"], { type: "language" }).of(e.language) || name;
    } catch (_e) { /* an old browser keeps the server's name */ }
    // News, not an error: a status note (the composer's next send does not clear it).
    R.showNote(interpolate(gettext("Half time: switch to %(language)s."), { language: name }, true));
  }

  R.connect = function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    // Always ?after=, 0 included: a room empty when the page loaded replays from its start.
    var url = scheme + window.location.host + root.dataset.wsPath + "?after=" + state.lastId +
      "&corrections_after=" + state.lastCorrectionId;
    R.setStatus(attempt ? gettext("Reconnecting…") : gettext("Connecting…"), attempt > 0);
    socket = new WebSocket(url);
    socket.addEventListener("open", function () {
      // Retry what was never acknowledged, with the same client_id.
      pending.forEach(function (_item, clientId) { R.resend(clientId); });
    });
    socket.addEventListener("message", function (frame) {
      var event;
      try { event = JSON.parse(frame.data); } catch (_e) { return; }
      var handler = handlers[event.type];
      if (handler) handler(event);
    });
    socket.addEventListener("close", function (event) {
      var wasJoined = state.joined;
      statusEl.dataset.state = "disconnected";
      socket = null;
      state.joined = false;
      state.loadingOlder = false;
      R.stoppedTyping();  // offline, the page cannot know who still types
      // 4401 on a joined socket: a logout or a password change somewhere. If it was in
      // another browser this one's session still holds: connect again once, and let
      // the handshake decide (a 4401 before room.joined is final).
      if (event.code === 4401 && wasJoined && !state.stopped) {
        setTimeout(connect, 0);
        return;
      }
      if (FINAL_CODES[event.code]) {
        state.stopped = true;
        R.setStatus(FINAL_CODES[event.code], true);
        if (event.code === 4410) closeRoom();
        R.settlePending();
        return;
      }
      if (state.stopped) return;
      // Exponential backoff with full jitter, capped at 30 s.
      var delay = Math.random() * Math.min(30000, 500 * Math.pow(2, attempt));
      attempt += 1;
      R.setStatus(gettext("Offline, reconnecting…"), true);
      setTimeout(connect, delay);
    });
  };

  function closeRoom() {
    var composer = R.composer, input = R.input;
    document.getElementById("room-closed-banner").hidden = false;
    if (composer && R.blank(R.typed(input.value))) composer.hidden = true;
    else if (composer) {
      // Typed but not sent: the text stays to be read and copied, the banner says why.
      input.readOnly = true;
      input.setAttribute("aria-describedby", "room-closed-banner");
      composer.querySelector("button[type=submit]").disabled = true;
    }
    // A closed room is read-only: nothing to correct; reports go over HTTP from now on.
    R.list.querySelectorAll('[data-action="correct"]').forEach(function (b) { b.hidden = true; });
    // Nor is there anyone to mute, a room to close, a partnership to end or block from
    // here: those forms go, as the closed room's own page has none.
    document.querySelectorAll(".room-moderate, #match-end, .room-block").forEach(function (form) {
      form.hidden = true;
    });
  }
})(window.JumelageRoom);
