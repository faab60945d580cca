// A message flashed before a redirect ("Saved.", "Your request was sent.") must be heard,
// not only seen. A live region holding it from page load is not reliable: most screen
// readers announce only changes to a region, and are busy reading the new page then.
// Moving the focus to the message is (the GOV.UK notification banner does the same, a
// role=alert named by its title and focused on load):
// every screen reader reads what takes focus, and the next Tab goes on into the page.
// When the page has put the focus elsewhere on purpose (a form's error summary, an
// autofocus field), that focus is kept and the message is copied, a moment after load,
// into an empty live region present from the start, which announces it politely.
(function () {
  "use strict";
  var LIVE_REGION_DELAY_MS = 500;

  function focusSetByThePage() {
    if (document.activeElement && document.activeElement !== document.body) return true;
    var wanted = document.querySelector("[autofocus]");
    return wanted !== null && wanted.getClientRects().length > 0;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var region = document.getElementById("messages");
    if (!region) return;
    if (!focusSetByThePage()) {
      region.focus();
      return;
    }
    var said = document.getElementById("messages-said");
    var text = region.querySelector(".messages").textContent.replace(/\s+/g, " ").trim();
    if (!said || !text) return;
    window.setTimeout(function () {
      said.textContent = text;
    }, LIVE_REGION_DELAY_MS);
  });
})();
