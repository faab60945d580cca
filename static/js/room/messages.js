// The chat room's messages on the page: built from the template, filled with textContent,
// put in order, and marked (sending, not sent, hidden, reported). Older pages of history
// are static/js/room/history.js's.
(function (R) {
  "use strict";
  if (!R) return;
  var gettext = R.gettext, pgettext = R.pgettext;
  var state = R.state, list = R.list;

  // A correction is written in the language of the message it corrects: the event's
  // ``lang`` (blank when unknown), else ``lang``, the message's on the page (one's own
  // correction while it is sent, an event from an older server). Marked on the text, not on
  // the sentence around it, which is the page's.
  R.renderCorrection = function (c, lang) {
    var li = document.createElement("li");
    li.className = "correction";
    li.dataset.correctionId = c.id;
    state.lastCorrectionId = Math.max(state.lastCorrectionId, c.id);
    var who = document.createElement("span");
    who.className = "correction-author";
    who.textContent = c.author.name;
    var text = document.createElement("span");
    text.className = "correction-text";
    text.textContent = c.corrected;
    text.dir = "auto";  // its own direction, as the history's <bdi> has
    var written = typeof c.lang === "string" ? c.lang : lang;
    if (written) text.lang = written;
    // The sentence's order is the language's: the two names go where it puts them.
    var parts = gettext("%(author)s suggests: %(text)s").split(/(%\((?:author|text)\)s)/);
    parts.forEach(function (part) {
      if (part === "%(author)s") li.append(who);
      else if (part === "%(text)s") li.append(text);
      else if (part) li.append(part);
    });
    return li;
  };

  R.buildMessage = function (m) {
    var el = R.template.content.firstElementChild.cloneNode(true);
    fillMessage(el, m);
    return el;
  };

  function fillMessage(el, m) {
    var mine = m.author.id === R.userId;
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
      time.textContent = R.clock.format(date);
    }
    var body = el.querySelector(".message-body");
    body.textContent = m.body;
    // Screen readers read it in the language it is written in, not the page's.
    if (m.lang) body.lang = m.lang;
    else body.removeAttribute("lang");
    var corrections = el.querySelector(".message-corrections");
    corrections.replaceChildren();
    (m.corrections || []).forEach(function (c) {
      corrections.appendChild(R.renderCorrection(c, m.lang));
    });
    if (m.hidden) markHidden(el, HIDDEN_TEXT);
    R.describeActions(el);
  }

  // "Correct", "Report" and "Hide" are read with the message they act on.
  R.describeActions = function (el) {
    if (!el.dataset.messageId) return;
    var body = el.querySelector(".message-body");
    body.id = "message-body-" + el.dataset.messageId;
    el.querySelectorAll(".message-actions button").forEach(function (button) {
      button.setAttribute("aria-describedby", body.id);
    });
  };

  // A teacher hid the message: its text goes, a placeholder keeps its place.
  var HIDDEN_TEXT = gettext("This message was hidden by a teacher.");
  function markHidden(el, placeholder) {
    el.classList.add("hidden-message");
    var body = el.querySelector(".message-body");
    // The server's placeholder is English, one frame for every reader: the page's own text.
    body.textContent = HIDDEN_TEXT || placeholder;
    body.removeAttribute("lang");  // the placeholder is in the page's language
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

  R.onHidden = function (event) {
    var el = R.findMessage(event.id);
    if (el) markHidden(el, event.placeholder);
  };

  R.findMessage = function (id) {
    return list.querySelector('[data-message-id="' + id + '"]');
  };

  function nearBottom() {
    return list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  }

  R.onMessage = function (m) {
    var stick = nearBottom();
    var pending = state.pending;
    var waiting = m.author.id === R.userId ? pending.get(m.client_id) : null;
    if (R.findMessage(m.id)) {
      // Seen already (a replay overlapping a live broadcast): drop the pending copy.
      if (waiting) { waiting.el.remove(); pending.delete(m.client_id); }
      if (m.reported) R.markReported(m.id);
      return;
    }
    var el;
    if (waiting) {  // our own message acknowledged: it is stored
      // A refusal of a message sent before it is old news: the line goes.
      if (state.refusedOrder && waiting.order > state.refusedOrder) R.showError("");
      el = waiting.el;
      R.markState(el, null);
      fillMessage(el, m);
      pending.delete(m.client_id);
      el.remove();
    } else {
      el = R.buildMessage(m);
    }
    insertInOrder(el, m.id);
    // A replay (?after=) says whether this reader reported it (from another tab, say).
    if (m.reported) R.markReported(m.id);
    if (m.author.id === state.typingUserId) R.stoppedTyping();
    state.lastId = Math.max(state.lastId, m.id);
    if (stick || waiting) list.scrollTop = list.scrollHeight;
  };

  function insertInOrder(el, id) {
    // Messages are ordered by id; pending ones (no id yet) stay at the bottom.
    var children = list.children;
    for (var i = children.length - 1; i >= 0; i--) {
      var other = parseInt(children[i].dataset.messageId, 10);
      if (other && other < id) { children[i].after(el); return; }
    }
    list.prepend(el);  // older than everything shown
  }

  // The state note after a message's time; the stylesheet shows it, the words are the page's.
  // A message that did not go (or may not have) keeps its text, with a button to copy it.
  var STATE_LABELS = R.STATE_LABELS = {
    pending: gettext("sending…"), failed: gettext("not sent"),
    unknown: gettext("may not have been sent") };
  R.markState = function (el, state) {
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
  };

  // A message its reader reported offers no second report (the server refuses it,
  // already_reported): its Report control becomes a short "Reported", as on a reload.
  R.markReported = function (id) {
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
  };
})(window.JumelageRoom);
