"""A participant's pages (dashboard, profile, room, schedule) in French, German and Japanese
say what the catalogue says, with no English left of their own text; the proposed-match
e-mail reaches a Japanese reader in Japanese; the JavaScript catalogue serves the room's
and the timer's strings.

What a page must say is read from the catalogue, not guessed: every message of the
participants' templates and code that the English page shows as a whole text (or
attribute) must appear translated on the page in the other language, and not in English.
"""

import json
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from exchanges.models import MatchRun
from exchanges.services import chat
from exchanges.services.matching import match_proposed_emails_send
from tests.exchanges.scheduling_fixtures import scheduled_match
from tests.factories import MatchFactory
from tests.i18n.test_pages_in_one_language import foreign_texts, page_texts

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.LOCALE_PATHS[0])
# The participants' area: the sources whose messages these pages show.
SOURCES = (
    "templates/exchanges/dashboard.html", "templates/exchanges/dashboard/",
    "templates/exchanges/profile.html", "templates/exchanges/notifications.html",
    "templates/exchanges/rooms/", "templates/exchanges/sessions/",
    "exchanges/forms/profile.py", "exchanges/pure/", "exchanges/selectors/participants.py",
)
# The room's scripts: static/js/room.js and the files of static/js/room/.
JS_SOURCES = ("static/js/room", "static/js/timer.js")


def _catalogue(language: str, domain: str = "django", sources=SOURCES) -> dict[str, str]:
    """msgid -> msgstr for the plain messages (no placeholder, no context) of ``sources``."""
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / f"{domain}.po"))
    return {
        entry.msgid: entry.msgstr
        for entry in po
        if not entry.msgid_plural and not entry.msgctxt and "%" not in entry.msgid
        and any(path.startswith(sources) for path, _line in entry.occurrences)
    }


def _texts(client: Client, url: str) -> list[str]:
    response = client.get(url)
    # Select options are data here (cities, the language list, model choices).
    response.content = re.sub(rb"<select.*?</select>", b"", response.content, flags=re.S)
    return page_texts(response)


def _client(user, language: str) -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


@pytest.fixture
def nora():
    """Nora (New York) and Bruno (London): an active match with a room, a confirmed
    weekly slot, a message from Bruno that Nora corrected, and the engine's reasons."""
    match, _sessions = scheduled_match()
    a, b = match.participant_a, match.participant_b
    for person in (a, b):  # the browser's Accept-Language decides
        type(person.user).objects.filter(pk=person.user.pk).update(language="")
    match.explanation = {
        "languages": [
            {"code": "de", "speaker": str(b.pk), "speaker_level": "native", "learner_level": "B1"},
            {"code": "en", "speaker": str(a.pk), "speaker_level": "native", "learner_level": "B2"},
        ],
        "shared_interests": ["hiking", "jazz"],
        "overlap_hours_per_week": 5,
    }
    match.save(update_fields=["explanation"])
    room = match.room
    message, _created = chat.message_send(room=room, author=b.user, body="Guten Tag!",
                                          client_id="m1")
    chat.correction_send(room=room, author=a.user, message_id=message.pk,
                         corrected="Guten Tag, Nora!")
    data = {
        "Nora", "Bruno", a.city.name, b.city.name, match.program.name, a.zone, b.zone,
        str(room), "Guten Tag!", "Guten Tag, Nora!", "hiking", "jazz", "UTC", ".ics",
        "A1", "A2", "B1", "B2", "C1", "C2", "CEFR", a.user.email, b.user.email,
    }
    urls = {
        "dashboard": reverse("dashboard"),
        "profile": reverse("profile"),
        "room": reverse("room_detail", args=[room.pk]),
        "schedule": reverse("match_schedule", args=[match.pk]),
    }
    return a.user, urls, data


@pytest.mark.parametrize("language", ["fr", "de", "ja"])
@pytest.mark.parametrize("page", ["dashboard", "profile", "room", "schedule"])
def test_a_participants_page_says_what_the_catalogue_says(page, language, nora):
    user, urls, data = nora
    english = _texts(_client(user, "en"), urls[page])
    texts = _texts(_client(user, language), urls[page])
    catalogue = _catalogue(language)
    shown = [msgid for msgid in catalogue if msgid in english]
    assert len(shown) >= 4, f"too few of the area's messages on the {page} page: {shown}"
    for msgid in shown:
        assert catalogue[msgid] in texts, f"{msgid!r} is not {catalogue[msgid]!r} in {language}"
        if catalogue[msgid] != msgid:
            assert msgid not in texts, f"{msgid!r} left in English on the {page} page"
    # No English sentence of any source: French shares words with English, so only
    # English-only words count there; German and Japanese are checked as the pages are.
    foreign = foreign_texts(language, texts, [] if language == "fr" else english, data)
    assert not foreign, f"{page} in {language} still shows English:\n" + "\n".join(foreign)


def test_the_english_page_stays_english_without_accept_language(nora):
    """The test client sends no Accept-Language: English, the default, as the other
    tests of the area expect."""
    user, urls, _data = nora
    client = Client()
    client.force_login(user)
    html = client.get(urls["dashboard"]).content.decode()
    assert '<html lang="en">' in html and "Next sessions" in html


def test_the_match_explanation_follows_the_page_language(nora):
    user, urls, _data = nora
    html = _client(user, "ja").get(urls["dashboard"]).content.decode()
    ja = polib.pofile(str(LOCALE / "ja" / "LC_MESSAGES" / "django.po"))
    template = ja.find("You both enjoy %(interests)s.").msgstr
    assert template % {"interests": "ハイキング、ジャズ"} in html  # offered: translated
    assert "ドイツ語" in html and "German" not in html


def test_the_proposed_match_email_is_in_the_recipients_language(mailoutbox):
    match = MatchFactory(
        twinning__city_a__name="Coventry", twinning__city_b__name="Dresden",
        participant_a__user__display_name="Alice", participant_b__user__display_name="Bruno",
    )
    match.run = MatchRun.objects.create(program=match.program)
    match.save(update_fields=["run"])
    alice, bruno = match.participant_a.user, match.participant_b.user
    alice.language, bruno.language = "ja", ""
    alice.save(update_fields=["language"])
    bruno.save(update_fields=["language"])

    assert match_proposed_emails_send(run_id=match.run.pk) == 2
    by_recipient = {mail.to[0]: mail for mail in mailoutbox}
    ja = polib.pofile(str(LOCALE / "ja" / "LC_MESSAGES" / "django.po"))
    values = {"name": "Bruno", "city": "Dresden", "program": match.program.name}
    subject = ja.find("A partner for you in %(city)s: %(name)s").msgstr % values
    to_alice = by_recipient[alice.email]
    assert to_alice.subject == subject
    assert "パートナー候補" in to_alice.body and "dashboard" not in to_alice.body.split("http")[0]
    # Bruno chose no language: English, the site's default, whatever Alice reads.
    assert by_recipient[bruno.email].subject == "A partner for you in Coventry: Alice"


@pytest.mark.parametrize("language", ["fr", "de", "ja"])
def test_the_javascript_catalogue_serves_the_rooms_and_timers_strings(client, language):
    response = client.get(reverse("javascript_catalog"), headers={"accept-language": language})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    catalogue = _catalogue(language, "djangojs", JS_SOURCES)
    assert "Load older messages" not in catalogue  # server-rendered, not the script's
    for msgid in ("Connecting…", "This message was hidden by a teacher.", "nobody"):
        assert msgid in catalogue
    for msgid, msgstr in catalogue.items():
        assert json.dumps(msgstr) in body, f"{msgid!r} is not served in {language}"
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "djangojs.po"))
    plural = po.find("in %(count)s minute")
    assert all(json.dumps(form) in body for form in plural.msgstr_plural.values())


def _msgstr(language: str, msgid: str, context: str | None = None) -> str:
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    return po.find(msgid, msgctxt=context).msgstr if context else po.find(msgid).msgstr


def _set_language(user, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


def test_a_cancelled_session_is_told_in_the_partners_language(mailoutbox):
    """Nora cancels from an English page; Bruno reads German: notice and e-mail are German,
    the date in German's own format and Bruno's zone."""
    from zoneinfo import ZoneInfo

    from django.utils import formats, translation

    from exchanges.models import Notification
    from exchanges.services.sessions import session_cancel, session_change_email_send
    from tests.exchanges.scheduling_fixtures import NOW

    match, sessions = scheduled_match()
    bruno = match.participant_b
    _set_language(bruno.user, "de")
    with translation.override("en"):
        session_cancel(session=sessions[2], by=match.participant_a, now=NOW)
        session_change_email_send(session_id=sessions[2].pk, recipient_id=bruno.pk,
                                  change="cancelled")
    local = sessions[2].starts_at.astimezone(ZoneInfo(bruno.zone))
    with translation.override("de"):
        when = formats.date_format(local, "SHORT_DATETIME_FORMAT")
        day = formats.date_format(local, "MONTH_DAY_FORMAT")
    note = Notification.objects.get(user=bruno.user, kind="session.cancelled")
    assert note.text == _msgstr("de", "%(name)s cancelled your session on %(when)s.") % {
        "name": "Nora", "when": when}
    [mail] = mailoutbox
    assert mail.subject == _msgstr("de", "Session on %(day)s cancelled") % {"day": day}
    assert _msgstr("de", "Your calendar feed updates itself.") in mail.body
    assert "Your" not in mail.body


def test_accepting_a_match_tells_the_partner_in_their_language():
    from exchanges.models import Notification
    from exchanges.services.matches import match_accept

    match = MatchFactory(participant_a__user__display_name="Alice")
    _set_language(match.participant_b.user, "ja")
    match_accept(match=match, by=match.participant_a)
    note = Notification.objects.get(user=match.participant_b.user)
    expected = _msgstr("ja", "%(name)s accepted your match. Accept too to open your room.")
    assert note.text == expected % {"name": "Alice"}


def test_the_calendar_feed_is_written_in_its_owners_language(client):
    """A calendar app sends no session and maybe no Accept-Language: the owner's language."""
    from icalendar import Calendar

    match, _sessions = scheduled_match()
    owner = match.participant_a
    _set_language(owner.user, "fr")
    response = client.get(reverse("calendar_feed", args=[owner.calendar_token]),
                          headers={"accept-language": "ja"})
    first = next(iter(Calendar.from_ical(response.content).walk("VEVENT")))
    assert str(first["SUMMARY"]) == _msgstr("fr", "Jumelage session with %(name)s") % {
        "name": "Bruno"}
    plan = _msgstr("fr", "%(minutes)s min in %(language)s") % {"minutes": 30,
                                                               "language": "allemand"}
    assert plan in str(first["DESCRIPTION"])


@pytest.mark.parametrize("language", ["fr", "de", "ja"])
def test_the_profiles_refusals_are_in_the_pages_language(language):
    """A form error (the form's own) and a service's refusal (the profile service's) come
    back in the language of the page that posted them."""
    from django.utils import translation

    from tests.exchanges.views.test_accounts import onboarding_data
    from tests.factories import TwinningFactory, UserFactory

    user = UserFactory(language="")
    twinning = TwinningFactory()
    client = _client(user, language)
    data = onboarding_data(twinning.city_a, interests="chess, " + "ⅷ" * 40)
    data.update({"win-0-start": "20:00", "win-0-end": "19:00"})
    response = client.post(reverse("onboarding"), data)
    assert response.status_code == 400
    html = response.content.decode()
    window = _msgstr(language, "The window must end after it starts (same day).")
    assert window in html and "The window must end" not in html
    with translation.override(language):
        too_long = translation.gettext(
            "“%(interest)s” is too long: an interest has at most %(count)d characters, "
            "written out.")
    assert too_long.split("%(count)d")[-1].strip() in html and "too long" not in html
