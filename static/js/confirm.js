// A form marked data-confirm asks its question before it sends: the buttons that end or
// replace something for someone else (a match declined, a session cancelled, a password
// or a calendar link replaced). A button marked data-confirm asks its own question, for
// a form whose other button needs none (Decline beside Accept, sharing the reply).
// Listening on the document covers forms added later too.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = (button && button.dataset && button.dataset.confirm) ||
      (event.target.dataset && event.target.dataset.confirm);
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
