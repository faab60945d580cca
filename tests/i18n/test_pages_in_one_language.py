"""A German and a Japanese browser get whole pages in their language (issue 13: no German
allauth form inside English navigation, no "Alice speaks Englisch natively"): the home
page, the sign-in page (allauth's) and a signed-in participant's dashboard, with the
language names in that language.

A page's text is every text node and every alt/title/placeholder/aria-label/value the
reader meets. Japanese text has no Latin words but the data's (names, cities) and the
brand; German text has no English word an English sentence cannot do without, and no
text the English page shows in the very same words (outside the data).
"""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from exchanges.pure.languages import language_choices
from tests.factories import MatchFactory

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
# Runs of ordinary white space are one space; a no-break space (French puts one before
# ":" and the like) is part of the text, as in the catalogue.
ASCII_SPACES = re.compile(r"[ \t\n\r\f\v]+")


def collapse_spaces(text: str) -> str:
    return ASCII_SPACES.sub(" ", text).strip(" ")


ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description"}
# English words that no German sentence uses (and German words that English lacks).
ENGLISH_ONLY = {
    "the", "and", "you", "your", "with", "of", "to", "is", "are", "for", "this", "that",
    "from", "has", "have", "yet", "speaks", "natively", "learning", "sign", "log", "here",
    "please", "password", "forgot", "remember", "account", "english", "german", "japanese",
}
# Words written the same in English and German (a text made only of them proves nothing);
# German says "Matching" for a matching run, as the catalogue does throughout.
SAME_IN_GERMAN = {"status", "name", "start", "chat", "tandem", "e-mail", "dashboard", "jumelage",
                  "matching"}
# The brand, and the name of the language levels' framework (CEFR) kept as is in Japanese.
BRAND = {"Jumelage", "CEFR"}


class _Text(HTMLParser):
    """The page's text; an element in another language (lang="…", as the switcher names
    each language in itself) is left out: it is meant to be."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.texts: list[str] = []
        self._skip = 0
        self._open: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        other = tag in ("script", "style") or (
            tag != "html" and attributes.get("lang", self.language) != self.language
        )
        if tag not in VOID:
            self._open.append((tag, other))
            self._skip += other
        if other:
            return
        for name, value in attrs:
            button = name == "value" and tag == "input" and attributes.get("type") in (
                "submit", "button")
            if value and (name in ATTRIBUTES or button):
                self.texts.append(value)

    def handle_endtag(self, tag):
        while self._open:
            opened, other = self._open.pop()
            self._skip -= other
            if opened == tag:
                break

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(collapse_spaces(data))


def page_texts(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    parser = _Text(response.headers["Content-Language"])
    parser.feed(response.content.decode())
    return parser.texts


def _without(text: str, data: set[str]) -> str:
    for item in sorted(data, key=len, reverse=True):
        text = text.replace(item, " ")
    return text


def foreign_texts(language: str, texts: list[str], english: list[str], data: set[str]) -> list[str]:
    """The texts of a page in `language` that are (or contain) English."""
    english_texts = set(english)
    found = []
    for text in texts:
        # Addresses are data: links, and paths such as /join/.
        rest = _without(re.sub(r"https?://\S+|/[\w/.-]+/", " ", text), data | BRAND)
        words = re.findall(r"[A-Za-z][A-Za-z'’-]+", rest)
        if language == "ja":
            if words:
                found.append(text)
            continue
        lowered = {w.lower() for w in words}
        english_word = bool(lowered & ENGLISH_ONLY)
        same_as_english = text in english_texts and bool(lowered - SAME_IN_GERMAN)
        if english_word or same_as_english:
            found.append(text)
    return found


@pytest.fixture
def alice():
    """Alice of Coventry (English native, learning German) with Bruno of Dresden proposed."""
    match = MatchFactory(
        twinning__city_a__name="Coventry", twinning__city_b__name="Dresden",
        participant_a__user__display_name="Alice", participant_b__user__display_name="Bruno",
        participant_a__user__email="alice@example.test",
        participant_b__user__email="bruno@example.test",
    )
    a, b = match.participant_a, match.participant_b
    match.explanation = {
        "languages": [
            {"code": "de", "speaker": str(b.pk), "speaker_level": "native", "learner_level": "B1"},
            {"code": "en", "speaker": str(a.pk), "speaker_level": "native", "learner_level": "B2"},
        ],
        "overlap_hours_per_week": 5,
    }
    match.save()
    data = {"Alice", "Bruno", "Coventry", "Dresden", "alice@example.test", match.program.name,
            a.tz, b.tz, "UTC", "A1", "A2", "B1", "B2", "C1", "C2"}
    return a.user, data


PAGES = {
    "home": lambda user: reverse("home"),
    "login": lambda user: reverse("account_login"),
    "signup": lambda user: reverse("account_signup"),
    "password_reset": lambda user: reverse("account_reset_password"),
    "dashboard": lambda user: reverse("dashboard"),
    "profile": lambda user: reverse("profile"),
}
SIGNED_IN = {"dashboard", "profile"}
LANGUAGE_NAMES = {"de": ("Englisch", "Deutsch"), "ja": ("英語", "ドイツ語")}


def _get(language: str, page: str, user) -> list[str]:
    client = Client(headers={"accept-language": language})
    if page in SIGNED_IN:
        client.force_login(user)
        # No language on the account: the browser's Accept-Language decides.
        type(user).objects.filter(pk=user.pk).update(language="")
    response = client.get(PAGES[page](user))
    assert f'<html lang="{language}">' in response.content.decode()
    return page_texts(response)


@pytest.mark.parametrize("language", ["de", "ja"])
@pytest.mark.parametrize("page", PAGES)
def test_a_browser_gets_the_page_entirely_in_its_language(language, page, alice):
    user, data = alice
    english = _get("en", page, user)
    texts = _get(language, page, user)
    # Many languages' names are the same in German as in English (Afrikaans, Hindi).
    names = {name for _code, name in language_choices(language)}
    foreign = foreign_texts(language, texts, english, data | names)
    assert not foreign, f"{page} in {language} still shows English:\n" + "\n".join(foreign)


@pytest.mark.parametrize("language", ["de", "ja"])
def test_language_names_are_in_the_pages_language(language, alice):
    user, _data = alice
    text = " ".join(_get(language, "dashboard", user))
    english_name, german_name = LANGUAGE_NAMES[language]
    assert english_name in text and german_name in text
    assert "English" not in text and "German" not in text


def test_the_checker_catches_english():
    english = ["Dashboard", "Alice speaks English natively.", "Log in"]
    assert foreign_texts("de", ["Übersicht", "Alice speaks Englisch natively.", "Log in"],
                         english, {"Alice"}) == ["Alice speaks Englisch natively.", "Log in"]
    assert foreign_texts("ja", ["ダッシュボード", "Alice は英語を話します", "Log in"], english,
                         {"Alice"}) == ["Log in"]
    assert foreign_texts("de", ["Status", "Alice"], ["Status", "Alice"], {"Alice"}) == []


def test_the_switcher_choice_sticks_across_pages_in_german():
    client = Client(headers={"accept-language": "en"})
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    texts = page_texts(client.get(reverse("account_login")))
    assert "Anmelden" in texts


@pytest.mark.parametrize("language, title", [
    ("de", "Seite nicht gefunden"), ("ja", "ページが見つかりません"), ("en", "Page not found"),
])
def test_error_pages_speak_the_browsers_language(language, title):
    client = Client(headers={"accept-language": language})
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}">' in html and title in html


def test_the_server_error_page_renders_without_a_request_context():
    from django.test import RequestFactory
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override("de"):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Etwas ist schiefgelaufen" in response.content.decode()
