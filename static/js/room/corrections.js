// The chat room's corrections: shown under their message as the room sends them, and one's
// own in flight (state.pendingCorrections) from the moment they are sent until the room
// has them, sent again after a reconnect, or marked when refused or unanswered.
(function (R) {
  "use strict";
  if (!R) return;
  var gettext = R.gettext;
  var state = R.state, pendingCorrections = state.pendingCorrections;

  R.onCorrection = function (c) {
    if (c.author.id === R.userId) correctionArrived(c);
    var el = R.findMessage(c.message_id);
    // A replay can repeat one that a live event (or the message's replay) brought already.
    if (!el || el.querySelector('[data-correction-id="' + c.id + '"]')) return;
    el.querySelector(".message-corrections").appendChild(R.renderCorrection(c, R.bodyLang(el)));
  };

  // The language a message on the page is marked in ("" when unknown): that of its
  // corrections when their events say none.
  R.bodyLang = function (messageEl) {
    var body = messageEl.querySelector(".message-body");
    return body ? body.lang : "";
  };

  R.sendCorrection = function (item) {
    if (state.joined && R.send(item.frame)) item.sent = true;
  };

  R.correctionStart = function (messageEl, id, corrected) {
    var clientId = R.newClientId();
    var el = R.renderCorrection({ id: 0, author: R.me, corrected: corrected },
                                R.bodyLang(messageEl));
    el.removeAttribute("data-correction-id");
    messageEl.querySelector(".message-corrections").appendChild(el);
    var item = { frame: { type: "correction.send", message_id: id, corrected: corrected,
                          client_id: clientId }, el: el, sent: false };
    R.markCorrection(el, "pending");
    pendingCorrections.set(clientId, item);
    R.sendCorrection(item);
  };

  // A correction's state after its text; "not sent" and "may not have been sent" keep a
  // button that copies it.
  R.markCorrection = function (el, state) {
    el.classList.remove("pending", "failed", "unknown");
    var note = el.querySelector(".correction-state");
    if (!state) { if (note) note.remove(); return; }
    el.classList.add(state);
    if (!note) {
      note = document.createElement("span");
      note.className = "correction-state";
      el.append(" ", note);
    }
    note.textContent = "(" + R.STATE_LABELS[state] + ")";
    if (state !== "pending" && !el.querySelector('[data-action="copy"]')) {
      var copy = document.createElement("button");
      copy.type = "button";
      copy.className = "link";
      copy.dataset.action = "copy";
      copy.textContent = gettext("Copy the text");
      el.append(" ", copy);
    }
  };

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

  R.correctionRefused = function (event) {
    var item = pendingCorrections.get(event.client_id);
    if (["rate_limited", "server_busy", "server_error"].indexOf(event.code) >= 0 &&
        (item.failures || 0) < 3) {
      item.failures = (item.failures || 0) + 1;  // unsaved: it goes again a little later
      setTimeout(function () { R.sendCorrection(item); }, 3000 + Math.random() * 2000);
      return;
    }
    R.markCorrection(item.el, "failed");
    pendingCorrections.delete(event.client_id);
    if (event.code !== "room_closed") R.showError(event.detail);
  };
})(window.JumelageRoom);
