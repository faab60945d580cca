// The chat room's text checks: what counts as nothing typed, the server's length limit as
// the server measures it, and which Enter sends (static/js/room/page.js describes the files).
(function (R) {
  "use strict";
  if (!R) return;

  // Text that draws nothing (spaces, zero-width and direction characters) is not sent:
  // the server would refuse it as empty (exchanges/pure/text_safety.py).
  var INVISIBLE = /^[\s\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\u061c\u115f\u1160\u3164\uffa0\u2800]*$/;
  R.blank = function (text) { return INVISIBLE.test(text); };
  // A paste can carry a NUL character: it draws nothing and the server refuses a text
  // holding one (the database cannot store it), so the page leaves it out.
  R.typed = function (text) { return text.replace(/\u0000/g, "").trim(); };

  // The server's limit, rendered into the page with its words for a text past it. The
  // server counts characters (code points) after NFC with the direction runs removed
  // (exchanges/pure/text_safety.py): a textarea's maxlength counts UTF-16 units, too
  // many for emoji and too few for a letter NFC splits in two, so the page counts here.
  var MAX_LENGTH = parseInt(R.root.dataset.maxLength, 10) || 0;
  var TOO_LONG = R.TOO_LONG = R.root.dataset.tooLong || "";
  var DIRECTION_RUNS = /[\u202a-\u202e\u2066-\u2069]/g;
  function measured(text) {
    return Array.from(text.normalize("NFC").replace(DIRECTION_RUNS, "").trim()).length;
  }
  function tooLong(text) { return MAX_LENGTH > 0 && measured(R.typed(text)) > MAX_LENGTH; }

  // Past the limit, the field says so (and keeps every character); back under it, the
  // warning goes. True when it is past.
  R.checkLength = function (field) {
    var errorEl = R.errorEl;
    var over = tooLong(field.value);
    var flagged = field.getAttribute("aria-invalid") === "true";
    if (over) {
      field.setAttribute("aria-invalid", "true");
      // Read with the field when it takes the focus, not only announced once.
      if (!field.hasAttribute("aria-describedby")) field.setAttribute("aria-describedby", errorEl.id);
      if (!flagged || errorEl.textContent !== TOO_LONG) R.showError(TOO_LONG);
    } else if (flagged) {
      field.removeAttribute("aria-invalid");
      if (field.getAttribute("aria-describedby") === errorEl.id) field.removeAttribute("aria-describedby");
      if (errorEl.textContent === TOO_LONG) R.showError("");
    }
    return over;
  };

  // Enter without Shift sends; not the Enter that ends an input method's composition
  // (Japanese kana to kanji): that one only picks the characters.
  R.sends = function (event) {
    return event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229;
  };
})(window.JumelageRoom);
