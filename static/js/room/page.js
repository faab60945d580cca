// Chat room: WebSocket client of the protocol in DESIGN.md.
// Reconnects with exponential backoff + jitter, resumes with ?after=<last id>, retries
// unacknowledged sends with the same client_id (the server makes retries idempotent),
// and renders every user-written text with textContent, never as HTML.
//
// The client is plain scripts sharing one namespace, window.JumelageRoom, loaded in this
// order by templates/exchanges/rooms/detail.html (no build step):
//   room/page.js           the page: its elements, who reads it, the state the files share,
//                          the status, error and note lines
//   room/text.js           blank, typed, the length limit, which Enter sends
//   room/messages.js       building, ordering and marking messages
//   room/history.js        older messages, over the socket or the closed room's pages
//   room/corrections.js    corrections shown, and one's own in flight
//   room/message_forms.js  a message's buttons: correct, report, hide, copy
//   room/mutes.js          the composer shut while muted
//   room/presence.js       who is online, who is typing
//   room/languages.js      the language a message is written in ("Written in")
//   room/composer.js       sending messages, and settling those in flight
//   room/socket.js         connect, reconnect, the frames' handlers, error frames
//   room.js                the listeners, then the socket
// A file reads the others' functions (R.name) when they run, not when it loads.
(function () {
  "use strict";
  var root = document.getElementById("room");
  if (!root) return;
  // Django's JavaScript catalogue (djangojs, /jsi18n/) when the page loads it; English otherwise.
  var gettext = window.gettext || function (text) { return text; };
  var pgettext = window.pgettext || function (_context, text) { return text; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (_match, key) { return values[key]; });
  };

  // A closed room's page has no client: no namespace, so the other files do nothing.
  if (root.dataset.open !== "1") return;

  var R = window.JumelageRoom = {
    gettext: gettext, pgettext: pgettext, interpolate: interpolate, root: root,
  };

  R.userId = parseInt(root.dataset.userId, 10);
  // One's own messages and corrections are named as the room names them, "sending…" too:
  // the same name when acknowledged, in history and after a reload.
  R.me = { id: R.userId, name: root.dataset.userName || "" };
  // Times as the server writes them in history: the viewer's zone, a 24-hour clock.
  R.clock = new Intl.DateTimeFormat(document.documentElement.lang || "en", {
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: root.dataset.tz || undefined,
  });
  R.list = document.getElementById("room-messages");
  R.logEl = document.getElementById("room-log");
  R.template = document.getElementById("message-template");
  R.statusEl = document.getElementById("room-connection");
  R.errorEl = document.getElementById("room-error");
  var noteEl = document.getElementById("room-note");
  R.typingEl = document.getElementById("room-typing");
  R.olderButton = document.getElementById("load-older");
  R.composer = document.getElementById("room-composer");
  R.input = document.getElementById("room-body");
  R.mutedEl = document.getElementById("room-muted");
  // Pupils are addressed as friends (French "tu", German "du"), adults formally: each
  // message that speaks to the reader has a "to a pupil" form in the catalogue.
  R.PUPIL = root.dataset.pupil === "1";
  // A report's thanks: a pupil's are read by their teachers, which "moderators" does not say.
  R.REPORTED = R.PUPIL
    ? pgettext("to a pupil", "Thank you for telling us: your teachers will look at it.")
    : gettext("Thank you: the message was reported to the moderators.");

  // What more than one file reads or changes.
  var state = R.state = {
    lastId: parseInt(root.dataset.lastId, 10) || 0,
    // A reconnect asks for the corrections after the newest seen, on messages already shown.
    lastCorrectionId: parseInt(root.dataset.lastCorrectionId, 10) || 0,
    pending: new Map(),  // client_id -> {body, el, order}
    // The order of the message whose refusal the error line shows (0: it shows none): the
    // line goes when the writer edits the composer or a later message is acknowledged.
    refusedOrder: 0,
    // Corrections sent and not yet seen back from the room (client_id -> {frame, el, sent}):
    // shown under their message at once, sent again after a reconnect (the server keeps one
    // of each), and never dropped: refused or unanswered, their text stays.
    pendingCorrections: new Map(),
    // Messages this page reported over the socket: their message.reported is thanked. The
    // reporter's other tabs hear it too, and only mark the message.
    reporting: new Set(),
    stopped: false,
    joined: false,  // the current socket got room.joined
    loadingOlder: false,
    typingUserId: null,  // whose "is typing" line shows
  };

  R.newClientId = function () {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  };

  R.setStatus = function (text, offline) {
    R.statusEl.textContent = text;
    R.statusEl.classList.toggle("offline", !!offline);
  };

  // The error line is an alert (role="alert", assertive): shown with its text it is
  // announced; emptied and hidden it goes silently and is announced again when it comes back.
  R.showError = function (text) {
    if (!R.errorEl) return;
    if (text) R.showNote("");
    state.refusedOrder = 0;
    R.errorEl.textContent = text;
    R.errorEl.hidden = !text;
  };

  // Why a message was refused for good (its bubble keeps "not sent" and its text).
  R.showRefusal = function (text, item) {
    R.showError(text);
    state.refusedOrder = item.order;
  };

  // Good news (a report received) is a status, not an error.
  R.showNote = function (text) {
    if (!noteEl) return;
    if (text) R.showError("");
    noteEl.textContent = text;
  };
})();
