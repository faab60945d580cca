// The chat room's older messages: asked of the socket (history frames), or of the closed
// room's own pages once the socket has ended, and put in above the oldest shown.
(function (R) {
  "use strict";
  if (!R) return;
  var gettext = R.gettext;
  var state = R.state, list = R.list, olderButton = R.olderButton;

  R.onHistory = function (event) {
    var fresh = event.messages.filter(function (m) { return !R.findMessage(m.id); });
    insertOlder(fresh.map(R.buildMessage), event.has_more);
    // The ones this reader reported say so, as the page render does.
    fresh.forEach(function (m) { if (m.reported) R.markReported(m.id); });
  };

  // Older messages (built from the socket's history, or a closed room's page) go in
  // above the oldest shown; what the page holds below stays as it is.
  function insertOlder(items, hasMore) {
    state.loadingOlder = false;
    var before = list.scrollHeight;
    var anchor = list.firstElementChild;
    var hadFocus = document.activeElement === olderButton;
    // Older messages are history, not news: the log is silent while they go in.
    quietly(function () {
      items.forEach(function (el) {
        if (R.findMessage(el.dataset.messageId)) return;
        list.insertBefore(el, anchor);
        R.describeActions(el);
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
    R.logEl.setAttribute("aria-live", "off");
    change();
    setTimeout(function () { R.logEl.setAttribute("aria-live", "polite"); }, 0);
  }

  function oldestId() {
    var first = list.querySelector(".room-message[data-message-id]:not([data-message-id=''])");
    return first ? parseInt(first.dataset.messageId, 10) : null;
  }

  R.loadOlder = function () {
    if (state.loadingOlder) return;
    if (state.stopped) { loadOlderOverHttp(); return; }
    state.loadingOlder = R.send({ type: "history", before: oldestId(), limit: 50 });
  };

  // The room closed under the page: no socket, so older messages come from the closed
  // room's own pages (?before=), read here and put in above the others, rather than
  // opening that page: messages that were not sent, and their Copy buttons, stay.
  function loadOlderOverHttp() {
    var oldest = oldestId();
    if (!oldest) return;
    state.loadingOlder = true;
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
      state.loadingOlder = false;
      R.showError(gettext("The older messages could not be loaded."));
    });
  }
})(window.JumelageRoom);
