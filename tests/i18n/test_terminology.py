"""Each catalogue keeps one word per concept and one typographic convention, so the
next string added the other way fails here (see the glossary in README, "Interface
languages"):

- French prose uses the typographic apostrophe ’ and a no-break space (U+00A0) before
  ; : ! ? » and after «; a teacher is an "enseignant", to pupils too; a status a "statut";
  a matching run a "tour d’appariement";
- French and German say "tu" / "du" to a pupil (context "to a pupil"), never "vous" / "Sie";
- German says "Schülerinnen und Schüler" (dative "Schülerinnen und Schülern") in running
  text, "eine Schülerin oder ein Schüler" for one pupil, and the short "Schüler/-in" only
  in a short label or after a count; compounds (Schülerpaar, Schülerkonto) keep their
  usual form; a teacher is a "Lehrkraft";
- Japanese calls a teacher 先生 (pupils read it too; never 教員), a pupil 児童・生徒, a
  session that will not take place 中止 (キャンセル is only the button that closes a
  form), a one-time password 使い捨てパスワード, a status 状態, a notification お知らせ;
  a twinning is 停止 (suspended), a class exchange 休止 (paused), a room 閉鎖 (closed)
  in words to adults.
"""

import re

import polib
import pytest

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


def test_french_names_a_teacher_enseignant():
    bad = _offences("fr", lambda msgid, ctx, text: re.search(r"(?i)\bprof(?:esseur)?s?\b", text))
    assert not bad, "say 'enseignant':\n" + "\n".join(bad)


def test_french_names_a_status_statut():
    """A twinning's (or a run's, a request's) status is its "statut"; "état du service" is
    the site's health, another thing."""
    def etat(msgid, ctx, text):
        return "status" in msgid.lower() and msgid != "status" and re.search(r"(?i)\bétat\b", text)

    bad = _offences("fr", etat)
    assert not bad, "say 'statut':\n" + "\n".join(bad)


def test_french_names_a_matching_run_tour_d_appariement():
    def execution(msgid, ctx, text):
        return re.search(r"(?i)\bruns?\b", msgid) and re.search(r"(?i)\bexécutions?\b", text)

    bad = _offences("fr", execution)
    assert not bad, "a matching run is a 'tour d’appariement':\n" + "\n".join(bad)


PUPIL_FORMS = re.compile(
    r"Schülerinnen und Schüler[n]?\b"           # running text, plural
    r"|(?:\w+ )?Schülerin (?:oder|und) (?:\w+ )?Schüler\b"  # one pupil, "keine ... und kein ..."
    r"|Schüler/-in\b"                            # short label
)
COUNTED_PUPIL = re.compile(r"%\(\w+\)[sd] Schüler/-in\b")
LEFT_OVER = re.compile(r"\bSchüler(?:in|innen|n)?\b|Schüler\s*[/*:_]\s*-?in|SchülerIn")


def test_german_names_pupils_in_one_inclusive_way():
    bad = _offences("de", lambda msgid, ctx, text: LEFT_OVER.search(PUPIL_FORMS.sub("", text)))
    assert not bad, "say 'Schülerinnen und Schüler' (or 'Schüler/-in' in a label):\n" + (
        "\n".join(bad))


def test_german_short_form_for_a_pupil_is_only_in_labels():
    def long_text(msgid, ctx, text):
        rest = COUNTED_PUPIL.sub("", text)  # "%(n)s Schüler/-in": the singular of a count
        return "Schüler/-in" in rest and (len(rest.split()) > 4 or rest.rstrip().endswith("."))

    bad = _offences("de", long_text)
    assert not bad, "in a sentence, say 'die Schülerin oder der Schüler':\n" + "\n".join(bad)


def test_german_never_calls_a_pupil_a_child():
    """Pupils are up to 17: "Kind" is no word for them."""
    def child(msgid, ctx, text):
        return "pupil" in msgid.lower() and re.search(r"\bKind(?:er|ern|es)?\b", text)

    bad = _offences("de", child)
    assert not bad, "say 'Schülerin oder Schüler':\n" + "\n".join(bad)


# Formal address; a capital "Sie"/"Ihr" opening a sentence may be "they"/"their".
FORMAL = {"fr": re.compile(r"\b(?:vous|votre|vos)\b", re.I),
          "de": re.compile(r"(?<![.:!?]\s)(?<!^)\b(?:Sie|Ihre?[mnrs]?)\b")}


@pytest.mark.parametrize("language", ["fr", "de"])
def test_a_message_to_a_pupil_is_never_formal(language):
    bad = _offences(language, lambda msgid, ctx, text: ctx == "to a pupil"
                    and FORMAL[language].search(text))
    assert not bad, "say 'tu' / 'du' to a pupil:\n" + "\n".join(bad)


def test_german_names_a_teacher_lehrkraft():
    bad = _offences("de", lambda msgid, ctx, text: re.search(r"\bLehrer(?:in|innen|n)?\b", text))
    assert not bad, "say 'Lehrkraft':\n" + "\n".join(bad)


@pytest.mark.parametrize(("banned", "reason"), [
    ("教員", "a teacher is 先生"),
    ("教師", "a teacher is 先生"),
])
def test_japanese_names_a_teacher_sensei(banned, reason):
    bad = _offences("ja", lambda msgid, ctx, text: banned in text)
    assert not bad, reason + ":\n" + "\n".join(bad)


def test_japanese_cancelled_sessions_are_chuushi():
    # "Cancel" alone is the button that leaves a form unchanged, not a session's fate.
    bad = _offences("ja", lambda msgid, ctx, text: "キャンセル" in text and msgid != "Cancel")
    assert not bad, "a session that will not take place is 中止:\n" + "\n".join(bad)


def test_japanese_names_a_pupil_jidou_seito():
    bad = _offences("ja", lambda msgid, ctx, text: re.search(r"(?<!児童・)生徒", text))
    assert not bad, "a pupil is 児童・生徒:\n" + "\n".join(bad)


def test_japanese_one_time_password_is_one_word():
    bad = _offences("ja", lambda msgid, ctx, text: "ワンタイムパスワード" in text)
    assert not bad, "a one-time password is 使い捨てパスワード:\n" + "\n".join(bad)


def test_japanese_suspends_a_twinning_and_pauses_a_class_exchange_in_its_own_words():
    """A twinning is 停止 (suspended), a class exchange 休止 (paused); 一時停止 is a
    participant's own pause of new matches."""
    def mixed(msgid, ctx, text):
        about = msgid.lower()
        return "一時停止" in text and ("twinning" in about or "exchange" in about)

    bad = _offences("ja", mixed)
    assert not bad, "twinning: 停止, class exchange: 休止:\n" + "\n".join(bad)


def test_japanese_names_a_status_joutai():
    bad = _offences("ja", lambda msgid, ctx, text: "ステータス" in text)
    assert not bad, "a status is 状態:\n" + "\n".join(bad)


def test_japanese_names_a_notification_oshirase():
    """The bell's notices are お知らせ, as its page says; 通知 stays a verb ("is told")."""
    def tsuuchi(msgid, ctx, text):
        return "notification" in msgid.lower() and "通知" in text

    bad = _offences("ja", tsuuchi)
    assert not bad, "a notification is お知らせ:\n" + "\n".join(bad)
