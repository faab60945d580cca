// Chat room: the page's listeners, then the socket. The client's parts are the files of
// static/js/room/, loaded before this one by templates/exchanges/rooms/detail.html
// (static/js/room/page.js describes them); they share window.JumelageRoom.
(function (R) {
  "use strict";
  if (!R) return;  // no room on the page, or a closed one
  var list = R.list, input = R.input, olderButton = R.olderButton;

  if (R.composer) R.composer.addEventListener("submit", R.onComposerSubmit);
  if (input) input.addEventListener("keydown", R.onComposerKeydown);
  if (input) input.addEventListener("input", R.onComposerInput);
  list.addEventListener("click", R.onListClick);
  if (R.langSelect) {
    R.langSelect.addEventListener("change", R.onLangChange);
    // The timer fragment is fetched by htmx on load and every 30 s.
    document.addEventListener("htmx:afterSwap", R.followSession);
    R.followSession();
  }

  // Leaving while a message or a correction is still on its way would drop its text
  // without a word: the browser asks first.
  window.addEventListener("beforeunload", function (event) {
    if (!R.state.pending.size && !R.state.pendingCorrections.size) return;
    event.preventDefault();
    event.returnValue = "";
  });

  olderButton.addEventListener("click", R.loadOlder);
  list.addEventListener("scroll", function () {
    if (list.scrollTop === 0 && !olderButton.hidden) R.loadOlder();
  });

  list.querySelectorAll(".room-message").forEach(R.describeActions);
  list.scrollTop = list.scrollHeight;
  R.connect();
})(window.JumelageRoom);
