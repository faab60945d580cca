"""What the i18n page tests share: a message as the catalogue translates it, a page that
says it in that language (and not in English), and a client signed in in a language."""

import re

from django.test import Client
from django.utils import translation
from django.utils.html import escape


def translated(language: str, msgid: str, context: str | None = None) -> str:
    with translation.override(language):
        if context:
            return translation.pgettext(context, msgid)
        return translation.gettext(msgid)


def assert_speaks(page: str, language: str, msgids) -> None:
    """Each msgid (or (context, msgid)) is on the page in ``language`` and its English
    source is not, as written or HTML-escaped; a string the catalogue leaves untranslated
    fails, so an incomplete catalogue does too."""
    for item in msgids:
        context, msgid = item if isinstance(item, tuple) else (None, item)
        text = translated(language, msgid, context)
        assert text != msgid, f"{msgid!r} has no {language} translation"
        assert text in page or escape(text) in page, f"{text!r} ({msgid!r}) not on the page"
        for english in {msgid, escape(msgid)}:
            pattern = re.compile(rf"(?<!\w){re.escape(english)}(?!\w)")
            assert not pattern.search(page), \
                f"the English {msgid!r} is still on the {language} page"


def signed_in(user, language: str, **login) -> Client:
    # Signed-in pages follow the account's language (set before the login, which
    # otherwise records the page's language for an account without one).
    user.language = language
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user, **login)
    return client
