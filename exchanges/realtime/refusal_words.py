"""The room socket's own refusals (the process busy, a handler's fault, a frame type past
its rate limit), written in the page's language and, to a pupil, as pupils are spoken to
(context "to a pupil": German "du"), as the chat services' refusals are
(``services.chat_refusals.ChatError.text``)."""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def busy_text(*, language: str, to_pupil: bool) -> str:
    with translation.override(language):
        if to_pupil:
            return pgettext("to a pupil", "The server is busy; try again in a moment.")
        return _("The server is busy; try again in a moment.")


def server_error_text(*, language: str, to_pupil: bool) -> str:
    with translation.override(language):
        if to_pupil:
            return pgettext("to a pupil", "The server could not handle this frame")
        return _("The server could not handle this frame")


def frame_limit_text(what: str, limit, *, language: str, to_pupil: bool) -> str:
    """E.g. "history: at most 10 in 10 seconds"."""
    with translation.override(language):
        if to_pupil:
            text = pgettext("to a pupil", "%(frame)s: at most %(count)d in %(seconds)d seconds")
        else:
            text = _("%(frame)s: at most %(count)d in %(seconds)d seconds")
        return text % {"frame": what, "count": limit.count, "seconds": limit.seconds}
