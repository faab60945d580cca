// The language a message is written in: the composer's "Written in" select (when the room
// has languages). It follows the running session (the timer fragment's data-language,
// refreshed by htmx): at the start of each half it switches to that half's language, and a
// choice made during a half stands until the next. With no session on, it is the writer's
// last choice in this room, kept in this browser (before any, the page's language if offered).
(function (R) {
  "use strict";
  if (!R) return;
  var select = R.langSelect = document.getElementById("room-lang");
  var key = "jumelage.room-lang." + R.root.dataset.roomId;
  var sessionLang = "";  // the half whose language the select last switched to

  function offered(code) {
    return !!code && Array.prototype.some.call(select.options, function (o) {
      return o.value === code;
    });
  }

  function remembered() {
    try { return window.localStorage.getItem(key) || ""; } catch (e) { return ""; }
  }

  // The language to send with a message ("" when the room offers none).
  R.messageLang = function () {
    return select ? select.value : "";
  };

  // The session timer came (or came again): a new half switches the select to its language.
  R.followSession = function () {
    if (!select) return;
    var timer = document.querySelector("#session-timer [data-timer]");
    var running = timer && timer.dataset.phase === "running" ? timer.dataset.language : "";
    if (!offered(running)) {
      // The session ended: back to the writer's own last choice.
      if (sessionLang && offered(remembered())) select.value = remembered();
      sessionLang = "";
      return;
    }
    if (running !== sessionLang) select.value = running;
    sessionLang = running;
  };

  R.onLangChange = function () {
    try { window.localStorage.setItem(key, select.value); } catch (e) { /* private mode */ }
  };

  // Before any choice: the page's language when the room offers it, else the first.
  var page = (document.documentElement.lang || "").split("-")[0];
  if (select && offered(remembered())) select.value = remembered();
  else if (select && offered(page)) select.value = page;
})(window.JumelageRoom);
