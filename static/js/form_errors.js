// After a form comes back with errors, move focus to the first one so keyboard and
// screen-reader users land on what needs fixing, not at the top of the page: the first
// field marked aria-invalid, or a form-wide error message that comes before it.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var candidates = document.querySelectorAll(
      "main form [aria-invalid=true], main form .error"
    );
    for (var i = 0; i < candidates.length; i++) {
      var target = candidates[i];
      if (!target.textContent.trim() && !target.matches("[aria-invalid=true]")) continue;
      if (target.getClientRects().length === 0) continue; // hidden
      if (!target.matches("[aria-invalid=true]")) target.setAttribute("tabindex", "-1");
      target.focus();
      return;
    }
  });
})();
