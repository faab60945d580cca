// What a message's buttons do: Correct and Report open a small form under it, Hide asks
// and hides it for everyone, Copy copies (or selects) a text that was not sent; reports
// go over the socket, or over HTTP when there is none.
(function (R) {
  "use strict";
  if (!R) return;
  var gettext = R.gettext, pgettext = R.pgettext, interpolate = R.interpolate;
  var root = R.root, list = R.list;

  function hideMessage(id) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    var url = root.dataset.hideUrl.replace(/\/0\/hide\/$/, "/" + id + "/hide/");
    window.fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", "Accept": "application/json" },
    }).then(function (response) {
      if (!response.ok) {
        R.showError(interpolate(gettext("The message could not be hidden (%(status)s)."),
                                { status: response.status }, true));
      }
    }).catch(function () { R.showError(gettext("The message could not be hidden: you are offline.")); });
  }

  function copyText(item, button) {
    var body = item.querySelector(item.classList.contains("correction") ? ".correction-text"
      : ".message-body");
    function select() {  // no clipboard for the page: the text is selected for the keyboard
      var range = document.createRange();
      range.selectNodeContents(body);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
      R.showNote(gettext("The text is selected: copy it with Ctrl+C (⌘C on a Mac)."));
    }
    if (!navigator.clipboard || !window.isSecureContext) { select(); return; }
    navigator.clipboard.writeText(body.textContent).then(function () {
      button.textContent = gettext("Copied");
    }, select);
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; }
    catch (e) { return ""; }
  }

  function reportOverHttp(id, reason) {
    var body = new URLSearchParams({ reason: reason });
    window.fetch(root.dataset.reportUrl.replace(/\/0\/report\/$/, "/" + id + "/report/"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      body: body,
    }).then(function (response) {
      if (response.ok) {
        R.markReported(id);
        R.showNote(R.REPORTED);
        return;
      }
      var fallback = interpolate(gettext("The message could not be reported (%(status)s)."),
                                 { status: response.status }, true);
      return response.json().then(function (answer) {
        if (answer.code === "already_reported") R.markReported(id);
        R.showError(answer.detail || fallback);
      },
                                  function () { R.showError(fallback); });
    }).catch(function () {
      R.showError(R.PUPIL ? pgettext("to a pupil", "The message could not be reported: you are offline.")
        : gettext("The message could not be reported: you are offline."));
    });
  }

  // The messages list's click listener (static/js/room.js adds it): one for every button.
  R.onListClick = function (event) {
    var button = event.target.closest("button[data-action]");
    if (!button) return;
    var item = button.closest(".room-message");
    if (button.dataset.action === "copy") {
      copyText(button.closest(".correction") || item, button);
      return;
    }
    var id = parseInt(item.dataset.messageId, 10);
    if (!id) return;
    if (button.dataset.action === "hide") {
      if (window.confirm(gettext("Hide this message for everyone?"))) hideMessage(id);
    } else if (button.dataset.action === "correct") {
      var current = item.querySelector(".message-body").textContent;
      openMessageForm(item, button, "correction-form-template", current, function (corrected) {
        if (corrected && corrected !== current) {
          R.correctionStart(item, id, corrected);
        }
      });
    } else if (button.dataset.action === "report") {
      openMessageForm(item, button, "report-form-template", "", function (reason) {
        // The client_id comes back with a refusal: it names the message refused.
        if (R.send({ type: "message.report", message_id: id, reason: reason,
                     client_id: "report-" + id })) {
          R.state.reporting.add(id);
        } else {
          reportOverHttp(id, reason);
        }
      });
    }
  };

  // Correcting and reporting open a small form under the message (a template of the
  // page, in its language): its field takes the focus, Enter sends, Escape or Cancel
  // closes it, and the focus returns to the button that opened it.
  function openMessageForm(item, button, templateId, value, onSend) {
    list.querySelectorAll(".message-form").forEach(function (open) { open.remove(); });
    var form = document.getElementById(templateId).content.firstElementChild.cloneNode(true);
    var field = form.querySelector("input, textarea");
    field.id = templateId.replace("-template", "-") + item.dataset.messageId;
    form.querySelector("label").htmlFor = field.id;
    field.value = value;
    function close() {
      // Its warning (a correction past the limit) goes with it.
      if (field.getAttribute("aria-invalid") === "true" && R.errorEl.textContent === R.TOO_LONG) {
        R.showError("");
      }
      form.remove();
      button.focus();
    }
    if (field.name === "corrected") {
      // The message's own text, edited: in its language (spelling, screen readers).
      if (R.bodyLang(item)) field.lang = R.bodyLang(item);
      field.addEventListener("input", function () { R.checkLength(field); });
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      // A correction needs text (its field is required); a report's reason may be left out.
      var text = R.typed(field.value);
      // A correction past the limit stays open, its text kept, the warning shown.
      if (field.name === "corrected" && R.checkLength(field)) { field.focus(); return; }
      if (!field.required || !R.blank(text)) onSend(text);
      close();
    });
    form.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        close();
      } else if (field.tagName === "TEXTAREA" && R.sends(event)) {
        // Enter sends, as in the composer; Shift+Enter starts a new line.
        event.preventDefault();
        form.requestSubmit();
      }
    });
    form.querySelector("[data-cancel]").addEventListener("click", close);
    item.querySelector(".message-actions").after(form);
    field.focus();
    field.select();
  }
})(window.JumelageRoom);
