// Chat room: WebSocket client of the protocol in DESIGN.md.
// Reconnects with exponential backoff + jitter, resumes with ?after=<last id>, retries
// unacknowledged sends with the same client_id (the server makes retries idempotent),
// and renders every user-written text with textContent, never as HTML.
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

  if (root.dataset.open !== "1") return;

  var userId = parseInt(root.dataset.userId, 10);
  // One's own messages and corrections are named as the room names them, "sending…" too:
  // the same name when acknowledged, in history and after a reload.
  var me = { id: userId, name: root.dataset.userName || "" };
  // Times as the server writes them in history: the viewer's zone, a 24-hour clock.
  var clock = new Intl.DateTimeFormat(document.documentElement.lang || "en", {
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: root.dataset.tz || undefined,
  });
  var list = document.getElementById("room-messages");
  var logEl = document.getElementById("room-log");
  var template = document.getElementById("message-template");
  var statusEl = document.getElementById("room-connection");
  var errorEl = document.getElementById("room-error");
  var noteEl = document.getElementById("room-note");
  var typingEl = document.getElementById("room-typing");
  var olderButton = document.getElementById("load-older");
  var composer = document.getElementById("room-composer");
  var input = document.getElementById("room-body");
  // Pupils are addressed as friends (French "tu", German "du"), adults formally: each
  // message that speaks to the reader has a "to a pupil" form in the catalogue.
  var PUPIL = root.dataset.pupil === "1";
  var FINAL_CODES = {
    4401: PUPIL ? pgettext("to a pupil", "Please log in again.") : gettext("Please log in again."),
    4403: PUPIL ? pgettext("to a pupil", "You are not a member of this room.")
      : gettext("You are not a member of this room."),
    4404: PUPIL ? pgettext("to a pupil", "There is no such room for you.")
      : gettext("There is no such room for you."),
    4410: gettext("This room is closed.") };

  var lastId = parseInt(root.dataset.lastId, 10) || 0;
  // A reconnect asks for the corrections after the newest seen, on messages already shown.
  var lastCorrectionId = parseInt(root.dataset.lastCorrectionId, 10) || 0;
  var pending = new Map();  // client_id -> {body, el, order}
  var sentCount = 0;  // messages sent from this page: a pending message's order among them
  // The order of the message whose refusal the error line shows (0: it shows none): the
  // line goes when the writer edits the composer or a later message is acknowledged.
  var refusedOrder = 0;
  // Corrections sent and not yet seen back from the room (client_id -> {frame, el, sent}):
  // shown under their message at once, sent again after a reconnect (the server keeps one
  // of each), and never dropped: refused or unanswered, their text stays.
  var pendingCorrections = new Map();
  // Messages this page reported over the socket: their message.reported is thanked. The
  // reporter's other tabs hear it too, and only mark the message.
  var reporting = new Set();
  var socket = null;
  var attempt = 0;
  var stopped = false;
  var joined = false;  // the current socket got room.joined
  var loadingOlder = false;
  var lastTypingSent = 0;
  var typingTimer = null;
  var typingUserId = null;  // whose "is typing" line shows
  var mutedTimer = null;  // lifts a mute on the page when its end comes
  var mutedEl = document.getElementById("room-muted");

  function newClientId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function setStatus(text, offline) {
    statusEl.textContent = text;
    statusEl.classList.toggle("offline", !!offline);
  }

  // The error line is an alert (role="alert", assertive): shown with its text it is
  // announced; emptied and hidden it goes silently and is announced again when it comes back.
  function showError(text) {
    if (!errorEl) return;
    if (text) showNote("");
    refusedOrder = 0;
    errorEl.textContent = text;
    errorEl.hidden = !text;
  }

  // Why a message was refused for good (its bubble keeps "not sent" and its text).
  function showRefusal(text, item) {
    showError(text);
    refusedOrder = item.order;
  }

  // Good news (a report received) is a status, not an error.
  function showNote(text) {
    if (!noteEl) return;
    if (text) showError("");
    noteEl.textContent = text;
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  function renderCorrection(c) {
    var li = document.createElement("li");
    li.className = "correction";
    li.dataset.correctionId = c.id;
    lastCorrectionId = Math.max(lastCorrectionId, c.id);
    var who = document.createElement("span");
    who.className = "correction-author";
    who.textContent = c.author.name;
    var text = document.createElement("span");
    text.className = "correction-text";
    text.textContent = c.corrected;
    // The sentence's order is the language's: the two names go where it puts them.
    var parts = gettext("%(author)s suggests: %(text)s").split(/(%\((?:author|text)\)s)/);
    parts.forEach(function (part) {
      if (part === "%(author)s") li.append(who);
      else if (part === "%(text)s") li.append(text);
      else if (part) li.append(part);
    });
    return li;
  }

  function buildMessage(m) {
    var el = template.content.firstElementChild.cloneNode(true);
    fillMessage(el, m);
    return el;
  }

  function fillMessage(el, m) {
    var mine = m.author.id === userId;
    el.dataset.messageId = m.id || "";
    el.classList.toggle("mine", mine);
    // One's own messages (sent or not) are neither corrected nor reported by oneself.
    if (mine) {
      el.querySelectorAll('[data-action="correct"], [data-action="report"]').forEach(function (b) {
        b.remove();
      });
    }
    el.querySelector(".message-author").textContent = m.author.name;
    var time = el.querySelector(".message-time");
    if (m.created_at) {
      var date = new Date(m.created_at);
      time.dateTime = m.created_at;
      time.textContent = clock.format(date);
    }
    el.querySelector(".message-body").textContent = m.body;
    var corrections = el.querySelector(".message-corrections");
    corrections.replaceChildren();
    (m.corrections || []).forEach(function (c) { corrections.appendChild(renderCorrection(c)); });
    if (m.hidden) markHidden(el, HIDDEN_TEXT);
    describeActions(el);
  }

  // "Correct", "Report" and "Hide" are read with the message they act on.
  function describeActions(el) {
    if (!el.dataset.messageId) return;
    var body = el.querySelector(".message-body");
    body.id = "message-body-" + el.dataset.messageId;
    el.querySelectorAll(".message-actions button").forEach(function (button) {
      button.setAttribute("aria-describedby", body.id);
    });
  }

  // A teacher hid the message: its text goes, a placeholder keeps its place.
  var HIDDEN_TEXT = gettext("This message was hidden by a teacher.");
  function markHidden(el, placeholder) {
    el.classList.add("hidden-message");
    var body = el.querySelector(".message-body");
    // The server's placeholder is English, one frame for every reader: the page's own text.
    body.textContent = HIDDEN_TEXT || placeholder;
    body.classList.add("message-hidden");
    el.querySelector(".message-corrections").replaceChildren();
    var actions = el.querySelector(".message-actions");
    if (!actions) return;
    // Its buttons (and an open form) go: if the keyboard was there, the message keeps it.
    var hadFocus = el !== document.activeElement && el.contains(document.activeElement);
    var form = el.querySelector(".message-form");
    if (form) form.remove();
    actions.hidden = true;
    if (hadFocus) {
      el.tabIndex = -1;
      el.focus();
    }
  }

  function onHidden(event) {
    var el = findMessage(event.id);
    if (el) markHidden(el, event.placeholder);
  }

  function hideMessage(id) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    var url = root.dataset.hideUrl.replace(/\/0\/hide\/$/, "/" + id + "/hide/");
    window.fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", "Accept": "application/json" },
    }).then(function (response) {
      if (!response.ok) {
        showError(interpolate(gettext("The message could not be hidden (%(status)s)."),
                              { status: response.status }, true));
      }
    }).catch(function () { showError(gettext("The message could not be hidden: you are offline.")); });
  }

  function findMessage(id) {
    return list.querySelector('[data-message-id="' + id + '"]');
  }

  function nearBottom() {
    return list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  }

  function onMessage(m) {
    var stick = nearBottom();
    var waiting = m.author.id === userId ? pending.get(m.client_id) : null;
    if (findMessage(m.id)) {
      // Seen already (a replay overlapping a live broadcast): drop the pending copy.
      if (waiting) { waiting.el.remove(); pending.delete(m.client_id); }
      if (m.reported) markReported(m.id);
      return;
    }
    var el;
    if (waiting) {  // our own message acknowledged: it is stored
      // A refusal of a message sent before it is old news: the line goes.
      if (refusedOrder && waiting.order > refusedOrder) showError("");
      el = waiting.el;
      markState(el, null);
      fillMessage(el, m);
      pending.delete(m.client_id);
      el.remove();
    } else {
      el = buildMessage(m);
    }
    insertInOrder(el, m.id);
    // A replay (?after=) says whether this reader reported it (from another tab, say).
    if (m.reported) markReported(m.id);
    if (m.author.id === typingUserId) stoppedTyping();
    lastId = Math.max(lastId, m.id);
    if (stick || waiting) list.scrollTop = list.scrollHeight;
  }

  function insertInOrder(el, id) {
    // Messages are ordered by id; pending ones (no id yet) stay at the bottom.
    var children = list.children;
    for (var i = children.length - 1; i >= 0; i--) {
      var other = parseInt(children[i].dataset.messageId, 10);
      if (other && other < id) { children[i].after(el); return; }
    }
    list.prepend(el);  // older than everything shown
  }

  function onHistory(event) {
    var fresh = event.messages.filter(function (m) { return !findMessage(m.id); });
    insertOlder(fresh.map(buildMessage), event.has_more);
    // The ones this reader reported say so, as the page render does.
    fresh.forEach(function (m) { if (m.reported) markReported(m.id); });
  }

  // Older messages (built from the socket's history, or a closed room's page) go in
  // above the oldest shown; what the page holds below stays as it is.
  function insertOlder(items, hasMore) {
    loadingOlder = false;
    var before = list.scrollHeight;
    var anchor = list.firstElementChild;
    var hadFocus = document.activeElement === olderButton;
    // Older messages are history, not news: the log is silent while they go in.
    quietly(function () {
      items.forEach(function (el) {
        if (findMessage(el.dataset.messageId)) return;
        list.insertBefore(el, anchor);
        describeActions(el);
      });
    });
    list.scrollTop += list.scrollHeight - before;  // keep the reader's place
    olderButton.hidden = !hasMore;
    if (hadFocus && olderButton.hidden && list.firstElementChild) {
      // The button went away under the keyboard: the oldest message takes the focus.
      list.firstElementChild.tabIndex = -1;
      list.firstElementChild.focus();
    }
  }

  function quietly(change) {
    logEl.setAttribute("aria-live", "off");
    change();
    setTimeout(function () { logEl.setAttribute("aria-live", "polite"); }, 0);
  }

  function oldestId() {
    var first = list.querySelector(".room-message[data-message-id]:not([data-message-id=''])");
    return first ? parseInt(first.dataset.messageId, 10) : null;
  }

  function loadOlder() {
    if (loadingOlder) return;
    if (stopped) { loadOlderOverHttp(); return; }
    loadingOlder = send({ type: "history", before: oldestId(), limit: 50 });
  }

  // The room closed under the page: no socket, so older messages come from the closed
  // room's own pages (?before=), read here and put in above the others, rather than
  // opening that page: messages that were not sent, and their Copy buttons, stay.
  function loadOlderOverHttp() {
    var oldest = oldestId();
    if (!oldest) return;
    loadingOlder = true;
    window.fetch(window.location.pathname + "?before=" + oldest, {
      credentials: "same-origin", headers: { "Accept": "text/html" },
    }).then(function (response) {
      // A logged-out session is sent to the login page: not the room's page.
      if (!response.ok || response.redirected) throw new Error(response.status);
      return response.text();
    }).then(function (html) {
      var older = new DOMParser().parseFromString(html, "text/html");
      var items = older.querySelectorAll("#room-messages > .room-message[id^='message-']");
      insertOlder(Array.from(items), !!older.getElementById("load-older"));
    }).catch(function () {
      loadingOlder = false;
      showError(gettext("The older messages could not be loaded."));
    });
  }

  function onPresence(online) {
    var ids = new Set(online.map(function (p) { return p.id; }));
    if (typingUserId !== null && !ids.has(typingUserId)) stoppedTyping();
    document.querySelectorAll("#room-members li").forEach(function (li) {
      var on = ids.has(parseInt(li.dataset.userId, 10));
      li.classList.toggle("online", on);
      li.querySelector(".presence-label").textContent = on ? " " + gettext("(online)") : "";
    });
    document.getElementById("room-online").textContent =
      online.length ? online.map(function (p) { return p.name; }).join(gettext(", "))
        : gettext("nobody");
  }

  function onTyping(user) {
    if (user.id === userId) return;
    typingEl.textContent = interpolate(gettext("%(name)s is typing…"), { name: user.name }, true);
    typingUserId = user.id;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(stoppedTyping, 3000);
  }

  // The line goes once its writer's message is shown or the writer leaves, not 3 s later.
  function stoppedTyping() {
    clearTimeout(typingTimer);
    typingEl.textContent = "";
    typingUserId = null;
  }

  function onCorrection(c) {
    if (c.author.id === userId) correctionArrived(c);
    var el = findMessage(c.message_id);
    // A replay can repeat one that a live event (or the message's replay) brought already.
    if (!el || el.querySelector('[data-correction-id="' + c.id + '"]')) return;
    el.querySelector(".message-corrections").appendChild(renderCorrection(c));
  }

  // The state note after a message's time; the stylesheet shows it, the words are the page's.
  // A message that did not go (or may not have) keeps its text, with a button to copy it.
  var STATE_LABELS = { pending: gettext("sending…"), failed: gettext("not sent"),
                       unknown: gettext("may not have been sent") };
  function markState(el, state) {
    el.classList.remove("pending", "failed", "unknown");
    var time = el.querySelector(".message-time");
    var copy = el.querySelector('[data-action="copy"]');
    if (copy && state !== "failed" && state !== "unknown") copy.remove();
    if (!state) { if (time) time.removeAttribute("data-state-label"); return; }
    el.classList.add(state);
    if (time) time.setAttribute("data-state-label", STATE_LABELS[state]);
    if (!copy && state !== "pending") {
      copy = document.createElement("button");
      copy.type = "button";
      copy.className = "link";
      copy.dataset.action = "copy";
      copy.textContent = gettext("Copy the text");
      el.querySelector(".message-actions").append(copy);
    }
  }

  function copyText(item, button) {
    var body = item.querySelector(item.classList.contains("correction") ? ".correction-text"
      : ".message-body");
    function select() {  // no clipboard for the page: the text is selected for the keyboard
      var range = document.createRange();
      range.selectNodeContents(body);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
      showNote(gettext("The text is selected: copy it with Ctrl+C (⌘C on a Mac)."));
    }
    if (!navigator.clipboard || !window.isSecureContext) { select(); return; }
    navigator.clipboard.writeText(body.textContent).then(function () {
      button.textContent = gettext("Copied");
    }, select);
  }

  // The socket ended for good (the room closed, a logout) with messages still
  // "sending…": the room says which of them it saved (rooms/<id>/sent/), shown as sent;
  // the others were not. When it cannot be asked (offline, logged out), they "may not
  // have been sent". Either way their text stays on the page.
  function settlePending() {
    // Corrections cannot be looked up: one never sent was not, one sent may have been.
    pendingCorrections.forEach(function (item) {
      markCorrection(item.el, item.sent ? "unknown" : "failed");
    });
    pendingCorrections.clear();
    var ids = Array.from(pending.keys());
    if (!ids.length) return;
    var query = ids.map(function (id) { return "client_id=" + encodeURIComponent(id); });
    window.fetch(root.dataset.sentUrl + "?" + query.join("&"), {
      credentials: "same-origin", headers: { "Accept": "application/json" },
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      // A logged-out session is sent to the login page: HTML, not an answer.
      if (!response.ok || type.indexOf("application/json") < 0) throw new Error(response.status);
      return response.json();
    }).then(function (answer) {
      answer.messages.forEach(onMessage);
      ids.forEach(function (id) { giveUp(id, "failed"); });
    }, function () {
      ids.forEach(function (id) { giveUp(id, "unknown"); });
    });
  }

  function giveUp(clientId, state) {
    var item = pending.get(clientId);
    if (!item) return;  // saved after all (onMessage took it)
    markState(item.el, state);
    pending.delete(clientId);
  }

  function onError(event) {
    // A report's client_id names its message: reported before, it says so from now on.
    var reported = /^report-(\d+)$/.exec(event.client_id || "");
    if (reported) {
      reporting.delete(parseInt(reported[1], 10));
      if (event.code === "already_reported") markReported(parseInt(reported[1], 10));
      if (event.code !== "room_closed") showError(event.detail);
      return;
    }
    if (event.client_id && pendingCorrections.has(event.client_id)) {
      correctionRefused(event);
      return;
    }
    var waiting = event.client_id ? pending.get(event.client_id) : null;
    // It may answer the request for older messages (rate limited, server busy): the
    // button must ask again, not wait for a page that will never come.
    if (!event.client_id) loadingOlder = false;
    if (waiting && event.code === "rate_limited") {
      showError(PUPIL ? pgettext("to a pupil", "You are sending too fast; retrying in a few seconds.")
        : gettext("You are sending too fast; retrying in a few seconds."));
      setTimeout(function () { resend(event.client_id); }, 3000 + Math.random() * 2000);
      return;
    }
    if (waiting && event.code === "server_busy") {
      // Refused unsaved while the server sheds load: it stays "sending…" and goes again,
      // with the same client_id, a moment later (spread, so the retries do not come back
      // at once).
      setTimeout(function () { resend(event.client_id); }, 1000 + Math.random() * 4000);
      return;
    }
    if (waiting && event.code === "server_error" && (waiting.failures || 0) < 3) {
      // The server failed on it (a database hiccup), unsaved: the same client_id goes
      // again a little later, a few times, before the page gives up on it.
      waiting.failures = (waiting.failures || 0) + 1;
      setTimeout(function () { resend(event.client_id); },
                 1000 * Math.pow(2, waiting.failures) * (0.5 + Math.random()));
      return;
    }
    // A closed room says so in its banner, shown as the socket closes (4410).
    if (waiting) {  // refused for good (a contact detail, too long): keep the text visible
      markState(waiting.el, "failed");
      pending.delete(event.client_id);
      if (event.code !== "room_closed") showRefusal(event.detail, waiting);
      return;
    }
    if (event.code !== "room_closed") showError(event.detail);
  }

  // A teacher muted this member (member.muted, or room.joined's muted_until): the
  // composer is disabled, with the reason and its end, until the mute ends or is lifted.
  // What was typed stays in the box.
  var dated = new Intl.DateTimeFormat(document.documentElement.lang || "en", {
    month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    timeZone: root.dataset.tz || undefined,
  });
  function setMuted(until, why) {
    if (!composer || !mutedEl) return;
    clearTimeout(mutedTimer);
    var end = until ? new Date(until) : null;
    var muted = !!end && end.getTime() > Date.now();
    var wasMuted = composer.classList.contains("muted");
    composer.classList.toggle("muted", muted);
    composer.querySelectorAll("textarea, button").forEach(function (el) { el.disabled = muted; });
    // Nor can a muted member correct others' messages (room.css hides "Correct").
    list.classList.toggle("writer-muted", muted);
    if (muted) {
      var sameDay = new Date().toDateString() === end.toDateString();
      var time = (sameDay ? clock : dated).format(end);
      mutedEl.textContent = interpolate(PUPIL
        ? pgettext("to a pupil", "A teacher muted you until %(time)s: you can read the room but not write in it.")
        : gettext("A teacher muted you until %(time)s: you can read the room but not write in it."),
        { time: time }, true);
      mutedEl.hidden = false;
      mutedTimer = setTimeout(function () { setMuted(null, "ended"); },
                              Math.min(end.getTime() - Date.now() + 500, 2147483647));
    } else if (wasMuted) {
      mutedEl.textContent = why === "ended"
        ? (PUPIL ? pgettext("to a pupil", "Your mute is over: you can write again.")
          : gettext("Your mute is over: you can write again."))
        : (PUPIL ? pgettext("to a pupil", "A teacher lifted your mute: you can write again.")
          : gettext("A teacher lifted your mute: you can write again."));
      mutedEl.hidden = false;
    }
  }

  var handlers = {
    "room.joined": function (e) {
      attempt = 0;
      joined = true;
      pendingCorrections.forEach(function (item) { sendCorrection(item); });
      statusEl.dataset.state = "connected";  // a hook for tests, in any language
      setStatus(gettext("Connected"));
      onPresence(e.online);
      setMuted(e.muted_until || null, "ended");
      (e.hidden_ids || []).forEach(function (id) { onHidden({ id: id }); });
    },
    "message": onMessage,
    "history": onHistory,
    "presence": function (e) { onPresence(e.online); },
    "typing": function (e) { onTyping(e.user); },
    "correction": onCorrection,
    "message.hidden": onHidden,
    "member.muted": function (e) { setMuted(e.until); },
    "member.unmuted": function () { setMuted(null, "lifted"); },
    "message.reported": function (e) {
      markReported(e.message_id);
      if (reporting.delete(e.message_id)) {
        showNote(gettext("Thank you: the message was reported to the moderators."));
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
    showNote(interpolate(gettext("Half time: switch to %(language)s."), { language: name }, true));
  }

  function sendCorrection(item) {
    if (joined && send(item.frame)) item.sent = true;
  }

  function correctionStart(messageEl, id, corrected) {
    var clientId = newClientId();
    var el = renderCorrection({ id: 0, author: me, corrected: corrected });
    el.removeAttribute("data-correction-id");
    messageEl.querySelector(".message-corrections").appendChild(el);
    var item = { frame: { type: "correction.send", message_id: id, corrected: corrected,
                          client_id: clientId }, el: el, sent: false };
    markCorrection(el, "pending");
    pendingCorrections.set(clientId, item);
    sendCorrection(item);
  }

  // A correction's state after its text; "not sent" and "may not have been sent" keep a
  // button that copies it.
  function markCorrection(el, state) {
    el.classList.remove("pending", "failed", "unknown");
    var note = el.querySelector(".correction-state");
    if (!state) { if (note) note.remove(); return; }
    el.classList.add(state);
    if (!note) {
      note = document.createElement("span");
      note.className = "correction-state";
      el.append(" ", note);
    }
    note.textContent = "(" + STATE_LABELS[state] + ")";
    if (state !== "pending" && !el.querySelector('[data-action="copy"]')) {
      var copy = document.createElement("button");
      copy.type = "button";
      copy.className = "link";
      copy.dataset.action = "copy";
      copy.textContent = gettext("Copy the text");
      el.append(" ", copy);
    }
  }

  // The room has one's correction: the copy shown while it was sent goes.
  function correctionArrived(c) {
    pendingCorrections.forEach(function (item, clientId) {
      if (item.frame.message_id === c.message_id &&
          item.frame.corrected.normalize("NFC") === c.corrected) {
        item.el.remove();
        pendingCorrections.delete(clientId);
      }
    });
  }

  function correctionRefused(event) {
    var item = pendingCorrections.get(event.client_id);
    if (["rate_limited", "server_busy", "server_error"].indexOf(event.code) >= 0 &&
        (item.failures || 0) < 3) {
      item.failures = (item.failures || 0) + 1;  // unsaved: it goes again a little later
      setTimeout(function () { sendCorrection(item); }, 3000 + Math.random() * 2000);
      return;
    }
    markCorrection(item.el, "failed");
    pendingCorrections.delete(event.client_id);
    if (event.code !== "room_closed") showError(event.detail);
  }

  function resend(clientId) {
    var item = pending.get(clientId);
    if (item) send({ type: "message.send", body: item.body, client_id: clientId });
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    // Always ?after=, 0 included: a room empty when the page loaded replays from its start.
    var url = scheme + window.location.host + root.dataset.wsPath + "?after=" + lastId +
      "&corrections_after=" + lastCorrectionId;
    setStatus(attempt ? gettext("Reconnecting…") : gettext("Connecting…"), attempt > 0);
    socket = new WebSocket(url);
    socket.addEventListener("open", function () {
      // Retry what was never acknowledged, with the same client_id.
      pending.forEach(function (_item, clientId) { resend(clientId); });
    });
    socket.addEventListener("message", function (frame) {
      var event;
      try { event = JSON.parse(frame.data); } catch (_e) { return; }
      var handler = handlers[event.type];
      if (handler) handler(event);
    });
    socket.addEventListener("close", function (event) {
      var wasJoined = joined;
      statusEl.dataset.state = "disconnected";
      socket = null;
      joined = false;
      loadingOlder = false;
      stoppedTyping();  // offline, the page cannot know who still types
      // 4401 on a joined socket: a logout or a password change somewhere. If it was in
      // another browser this one's session still holds: connect again once, and let
      // the handshake decide (a 4401 before room.joined is final).
      if (event.code === 4401 && wasJoined && !stopped) {
        setTimeout(connect, 0);
        return;
      }
      if (FINAL_CODES[event.code]) {
        stopped = true;
        setStatus(FINAL_CODES[event.code], true);
        if (event.code === 4410) closeRoom();
        settlePending();
        return;
      }
      if (stopped) return;
      // Exponential backoff with full jitter, capped at 30 s.
      var delay = Math.random() * Math.min(30000, 500 * Math.pow(2, attempt));
      attempt += 1;
      setStatus(gettext("Offline, reconnecting…"), true);
      setTimeout(connect, delay);
    });
  }

  function closeRoom() {
    document.getElementById("room-closed-banner").hidden = false;
    if (composer && blank(typed(input.value))) composer.hidden = true;
    else if (composer) {
      // Typed but not sent: the text stays to be read and copied, the banner says why.
      input.readOnly = true;
      input.setAttribute("aria-describedby", "room-closed-banner");
      composer.querySelector("button[type=submit]").disabled = true;
    }
    // A closed room is read-only: nothing to correct; reports go over HTTP from now on.
    list.querySelectorAll('[data-action="correct"]').forEach(function (b) { b.hidden = true; });
    // Nor is there anyone to mute, a room to close, a partnership to end or block from
    // here: those forms go, as the closed room's own page has none.
    document.querySelectorAll(".room-moderate, #match-end, .room-block").forEach(function (form) {
      form.hidden = true;
    });
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; }
    catch (e) { return ""; }
  }

  // A message its reader reported offers no second report (the server refuses it,
  // already_reported): its Report control becomes a short "Reported", as on a reload.
  function markReported(id) {
    var item = list.querySelector('.room-message[data-message-id="' + id + '"]');
    var button = item && item.querySelector('[data-action="report"]');
    if (!button) return;
    var done = document.createElement("span");
    done.className = "message-reported muted";
    done.textContent = pgettext("a message the reader reported", "Reported");
    // Reported from another tab while this one's report form is open: the form goes
    // (its report would be refused). The focus, on the button after the form closed or
    // in the form, is not dropped to the page.
    var form = item.querySelector('form[data-form="report"]');
    var focused = document.activeElement === button
      || (form !== null && form.contains(document.activeElement));
    if (form) form.remove();
    button.replaceWith(done);
    if (focused) {
      done.tabIndex = -1;
      done.focus();
    }
  }

  function reportOverHttp(id, reason) {
    var body = new URLSearchParams({ reason: reason });
    window.fetch(root.dataset.reportUrl.replace(/\/0\/report\/$/, "/" + id + "/report/"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      body: body,
    }).then(function (response) {
      if (response.ok) {
        markReported(id);
        showNote(gettext("Thank you: the message was reported to the moderators."));
        return;
      }
      var fallback = interpolate(gettext("The message could not be reported (%(status)s)."),
                                 { status: response.status }, true);
      return response.json().then(function (answer) {
        if (answer.code === "already_reported") markReported(id);
        showError(answer.detail || fallback);
      },
                                  function () { showError(fallback); });
    }).catch(function () {
      showError(PUPIL ? pgettext("to a pupil", "The message could not be reported: you are offline.")
        : gettext("The message could not be reported: you are offline."));
    });
  }

  // Text that draws nothing (spaces, zero-width and direction characters) is not sent:
  // the server would refuse it as empty (exchanges/pure/text_safety.py).
  var INVISIBLE = /^[\s\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\u061c\u115f\u1160\u3164\uffa0\u2800]*$/;
  function blank(text) { return INVISIBLE.test(text); }
  // A paste can carry a NUL character: it draws nothing and the server refuses a text
  // holding one (the database cannot store it), so the page leaves it out.
  function typed(text) { return text.replace(/\u0000/g, "").trim(); }

  // The server's limit, rendered into the page with its words for a text past it. The
  // server counts characters (code points) after NFC with the direction runs removed
  // (exchanges/pure/text_safety.py): a textarea's maxlength counts UTF-16 units, too
  // many for emoji and too few for a letter NFC splits in two, so the page counts here.
  var MAX_LENGTH = parseInt(root.dataset.maxLength, 10) || 0;
  var TOO_LONG = root.dataset.tooLong || "";
  var DIRECTION_RUNS = /[\u202a-\u202e\u2066-\u2069]/g;
  function measured(text) {
    return Array.from(text.normalize("NFC").replace(DIRECTION_RUNS, "").trim()).length;
  }
  function tooLong(text) { return MAX_LENGTH > 0 && measured(typed(text)) > MAX_LENGTH; }

  // Past the limit, the field says so (and keeps every character); back under it, the
  // warning goes. True when it is past.
  function checkLength(field) {
    var over = tooLong(field.value);
    var flagged = field.getAttribute("aria-invalid") === "true";
    if (over) {
      field.setAttribute("aria-invalid", "true");
      // Read with the field when it takes the focus, not only announced once.
      if (!field.hasAttribute("aria-describedby")) field.setAttribute("aria-describedby", errorEl.id);
      if (!flagged || errorEl.textContent !== TOO_LONG) showError(TOO_LONG);
    } else if (flagged) {
      field.removeAttribute("aria-invalid");
      if (field.getAttribute("aria-describedby") === errorEl.id) field.removeAttribute("aria-describedby");
      if (errorEl.textContent === TOO_LONG) showError("");
    }
    return over;
  }

  if (composer) composer.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = typed(input.value);
    if (blank(body)) return;
    // The server would refuse it: nothing goes, the text stays for the writer to shorten.
    if (checkLength(input)) { input.focus(); return; }
    // The socket ended for good (the status says why): the text stays in the box.
    if (stopped) { showError(statusEl.textContent); return; }
    var clientId = newClientId();
    var el = buildMessage({ author: me, body: body, corrections: [] });
    markState(el, "pending");
    list.appendChild(el);
    list.scrollTop = list.scrollHeight;
    sentCount += 1;
    pending.set(clientId, { body: body, el: el, order: sentCount });
    input.value = "";
    showError("");
    resend(clientId);  // if offline, the next open sends it
    input.focus();  // sent with the button: the keyboard is back in the composer
  });

  // Enter without Shift sends; not the Enter that ends an input method's composition
  // (Japanese kana to kanji): that one only picks the characters.
  function sends(event) {
    return event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229;
  }

  if (input) input.addEventListener("keydown", function (event) {
    if (sends(event)) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });

  if (input) input.addEventListener("input", function () {
    if (refusedOrder) showError("");  // the writer is rephrasing: the refusal was read
    checkLength(input);
    var now = Date.now();
    if (now - lastTypingSent > 2000 && send({ type: "typing" })) lastTypingSent = now;
  });

  list.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) return;
    var item = button.closest(".room-message");
    if (button.dataset.action === "copy") {
      copyText(button.closest(".correction") || item, button);
      return;
    }
    var id = parseInt(item.dataset.messageId, 10);
    if (!id) return;
    if (button.dataset.action === "hide") {
      if (window.confirm(gettext("Hide this message for everyone?"))) hideMessage(id);
    } else if (button.dataset.action === "correct") {
      var current = item.querySelector(".message-body").textContent;
      openMessageForm(item, button, "correction-form-template", current, function (corrected) {
        if (corrected && corrected !== current) {
          correctionStart(item, id, corrected);
        }
      });
    } else if (button.dataset.action === "report") {
      openMessageForm(item, button, "report-form-template", "", function (reason) {
        // The client_id comes back with a refusal: it names the message refused.
        if (send({ type: "message.report", message_id: id, reason: reason,
                   client_id: "report-" + id })) {
          reporting.add(id);
        } else {
          reportOverHttp(id, reason);
        }
      });
    }
  });

  // Correcting and reporting open a small form under the message (a template of the
  // page, in its language): its field takes the focus, Enter sends, Escape or Cancel
  // closes it, and the focus returns to the button that opened it.
  function openMessageForm(item, button, templateId, value, onSend) {
    list.querySelectorAll(".message-form").forEach(function (open) { open.remove(); });
    var form = document.getElementById(templateId).content.firstElementChild.cloneNode(true);
    var field = form.querySelector("input, textarea");
    field.id = templateId.replace("-template", "-") + item.dataset.messageId;
    form.querySelector("label").htmlFor = field.id;
    field.value = value;
    function close() {
      // Its warning (a correction past the limit) goes with it.
      if (field.getAttribute("aria-invalid") === "true" && errorEl.textContent === TOO_LONG) {
        showError("");
      }
      form.remove();
      button.focus();
    }
    if (field.name === "corrected") {
      field.addEventListener("input", function () { checkLength(field); });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      // A correction needs text (its field is required); a report's reason may be left out.
      var text = typed(field.value);
      // A correction past the limit stays open, its text kept, the warning shown.
      if (field.name === "corrected" && checkLength(field)) { field.focus(); return; }
      if (!field.required || !blank(text)) onSend(text);
      close();
    });
    form.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        close();
      } else if (field.tagName === "TEXTAREA" && sends(event)) {
        // Enter sends, as in the composer; Shift+Enter starts a new line.
        event.preventDefault();
        form.requestSubmit();
      }
    });
    form.querySelector("[data-cancel]").addEventListener("click", close);
    item.querySelector(".message-actions").after(form);
    field.focus();
    field.select();
  }

  // Leaving while a message or a correction is still on its way would drop its text
  // without a word: the browser asks first.
  window.addEventListener("beforeunload", function (event) {
    if (!pending.size && !pendingCorrections.size) return;
    event.preventDefault();
    event.returnValue = "";
  });

  olderButton.addEventListener("click", loadOlder);
  list.addEventListener("scroll", function () {
    if (list.scrollTop === 0 && !olderButton.hidden) loadOlder();
  });

  list.querySelectorAll(".room-message").forEach(describeActions);
  list.scrollTop = list.scrollHeight;
  connect();
})();
