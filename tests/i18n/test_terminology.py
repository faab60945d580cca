"""Each catalogue keeps one word per concept and one typographic convention, so the
next string added the other way fails here (see the glossary in README, "Interface
languages"):

- French prose uses the typographic apostrophe ’ and a no-break space (U+00A0) before
  ; : ! ? » and after «.
"""

import re

import polib

from tests.i18n.extract_common import ROOT

DOMAINS = ("django", "djangojs")


def _translations(language: str):
    """(msgid, msgctxt, msgstr) for every translated form of every live entry."""
    for domain in DOMAINS:
        path = ROOT / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
        for entry in polib.pofile(str(path), wrapwidth=0):
            if entry.obsolete:
                continue
            forms = [entry.msgstr, *entry.msgstr_plural.values()]
            for text in forms:
                if text:
                    yield entry.msgid, entry.msgctxt or "", text


# Not prose: placeholders, HTML tags and entities, code, URLs and date formats' letters.
NOT_PROSE = re.compile(
    r"<code>.*?</code>|<[^>]*>|&\w+;|%\(\w+\)[sd]|%[sd]|\{\w*\}|\b\w+://\S+"
)


def _prose(text: str) -> str:
    return NOT_PROSE.sub("\x00", text)


def _offences(language: str, test) -> list[str]:
    return [f"{msgid[:60]!r} -> {text!r}" for msgid, context, text in _translations(language)
            if test(msgid, context, text)]


def test_french_prose_uses_the_typographic_apostrophe():
    bad = _offences("fr", lambda msgid, ctx, text: "'" in _prose(text))
    assert not bad, "use ’ in French prose:\n" + "\n".join(bad)


# A ; : ! ? » that ends a clause (followed by a space or the end) and any « take a
# no-break space (U+00A0) on their inner side: never a plain space, a narrow one or none.
FRENCH_SPACING = re.compile(
    r"(?:(?<!\u00a0)[;:!?»](?=\s|$))|(?:«(?!\u00a0))"
)


def test_french_high_punctuation_and_guillemets_take_a_no_break_space():
    bad = _offences("fr", lambda msgid, ctx, text: FRENCH_SPACING.search(_prose(text)))
    assert not bad, "put U+00A0 before ; : ! ? » and after « :\n" + "\n".join(bad)
