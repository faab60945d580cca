// Sending messages: the composer, and one's messages on their way (state.pending) until
// the room acknowledges them, sent again with the same client_id, or settled when the
// socket ends for good.
(function (R) {
  "use strict";
  if (!R) return;
  var state = R.state, pending = state.pending, list = R.list, input = R.input;
  var sentCount = 0;  // messages sent from this page: a pending message's order among them

  // The composer's listeners (static/js/room.js adds them).
  R.onComposerSubmit = function (event) {
    event.preventDefault();
    var body = R.typed(input.value);
    if (R.blank(body)) return;
    // The server would refuse it: nothing goes, the text stays for the writer to shorten.
    if (R.checkLength(input)) { input.focus(); return; }
    // The socket ended for good (the status says why): the text stays in the box.
    if (state.stopped) { R.showError(R.statusEl.textContent); return; }
    var clientId = R.newClientId();
    var lang = R.messageLang();  // sent again as it was chosen, whatever the select says later
    var el = R.buildMessage({ author: R.me, body: body, lang: lang, corrections: [] });
    R.markState(el, "pending");
    list.appendChild(el);
    list.scrollTop = list.scrollHeight;
    sentCount += 1;
    pending.set(clientId, { body: body, lang: lang, el: el, order: sentCount });
    input.value = "";
    R.showError("");
    R.resend(clientId);  // if offline, the next open sends it
    input.focus();  // sent with the button: the keyboard is back in the composer
  };

  R.onComposerKeydown = function (event) {
    if (R.sends(event)) {
      event.preventDefault();
      R.composer.requestSubmit();
    }
  };

  R.onComposerInput = function () {
    if (state.refusedOrder) R.showError("");  // the writer is rephrasing: the refusal was read
    R.checkLength(input);
    R.announceTyping();
  };

  R.resend = function (clientId) {
    var item = pending.get(clientId);
    if (!item) return;
    var frame = { type: "message.send", body: item.body, client_id: clientId };
    if (item.lang) frame.lang = item.lang;  // absent, not blank, when the room offers none
    R.send(frame);
  };

  // The socket ended for good (the room closed, a logout) with messages still
  // "sending…": the room says which of them it saved (rooms/<id>/sent/), shown as sent;
  // the others were not. When it cannot be asked (offline, logged out), they "may not
  // have been sent". Either way their text stays on the page.
  R.settlePending = function () {
    // Corrections cannot be looked up: one never sent was not, one sent may have been.
    state.pendingCorrections.forEach(function (item) {
      R.markCorrection(item.el, item.sent ? "unknown" : "failed");
    });
    state.pendingCorrections.clear();
    var ids = Array.from(pending.keys());
    if (!ids.length) return;
    var query = ids.map(function (id) { return "client_id=" + encodeURIComponent(id); });
    window.fetch(R.root.dataset.sentUrl + "?" + query.join("&"), {
      credentials: "same-origin", headers: { "Accept": "application/json" },
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      // A logged-out session is sent to the login page: HTML, not an answer.
      if (!response.ok || type.indexOf("application/json") < 0) throw new Error(response.status);
      return response.json();
    }).then(function (answer) {
      answer.messages.forEach(R.onMessage);
      ids.forEach(function (id) { giveUp(id, "failed"); });
    }, function () {
      ids.forEach(function (id) { giveUp(id, "unknown"); });
    });
  };

  function giveUp(clientId, state) {
    var item = pending.get(clientId);
    if (!item) return;  // saved after all (onMessage took it)
    R.markState(item.el, state);
    pending.delete(clientId);
  }
})(window.JumelageRoom);
