// After a form comes back with errors, move focus to what needs fixing so keyboard and
// screen-reader users land there, not at the top of the page: the form's error summary
// (templates/includes/error_summary.html), which counts the errors and links to each
// field; on a form without one (a one-field form in a row of a list, whose summary would
// sit far from the row), the first field marked aria-invalid, or a form-wide error
// message that comes before it.
(function () {
  "use strict";

  function visible(element) {
    return element.getClientRects().length > 0;
  }

  function focusFirstError() {
    var summary = document.querySelector("main form .error-summary");
    if (summary && visible(summary)) {
      summary.focus();
      return;
    }
    var candidates = document.querySelectorAll(
      "main form [aria-invalid=true], main form .error"
    );
    for (var i = 0; i < candidates.length; i++) {
      var target = candidates[i];
      if (!target.textContent.trim() && !target.matches("[aria-invalid=true]")) continue;
      if (!visible(target)) continue;
      if (!target.matches("[aria-invalid=true]")) target.setAttribute("tabindex", "-1");
      target.focus();
      return;
    }
  }

  // A summary's link focuses its field (a fragment alone only scrolls to it in some
  // browsers) and scrolls its label or legend into view with it, not the bare control.
  function followSummaryLink(event) {
    var link = event.target.closest(".error-summary a[href^='#']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    var group = field.closest("fieldset, .field");
    var caption = group && group.querySelector("legend, label");
    (caption || field).scrollIntoView();
    field.focus({ preventScroll: true });
  }

  document.addEventListener("DOMContentLoaded", focusFirstError);
  document.addEventListener("click", followSummaryLink);
})();
