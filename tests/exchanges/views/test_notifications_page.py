"""The notifications page writes every notice in the reader's current language."""

from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape

from exchanges.models import Notification
from exchanges.services.notifications import notification_create
from exchanges.services.sessions import session_cancel
from exchanges.services.slots import slot_confirm, slot_options, slot_propose
from tests.exchanges.scheduling_fixtures import NOW, active_match

pytestmark = pytest.mark.django_db

CONFIRMED = ("%(name)s confirmed your slot: %(count)d session is planned.",
             "%(name)s confirmed your slot: %(count)d sessions are planned.")
CANCELLED = "%(name)s cancelled your session on %(when)s."


def _written_while_reading_german():
    """Nora reads German while Bruno confirms her slot (a plural) and cancels a session
    (a date and time in New York)."""
    match = active_match()
    nora, bruno = match.participant_a, match.participant_b
    nora.user.language = "de"
    nora.user.save(update_fields=["language"])
    option = slot_options(match=match, now=NOW)[0]
    proposal = slot_propose(match=match, by=nora, option=option, now=NOW)
    sessions = slot_confirm(proposal=proposal, by=bruno, now=NOW)
    session_cancel(session=sessions[0], by=bruno, now=NOW)
    return nora, sessions


def _expected(language: str, sessions) -> list[str]:
    with translation.override(language):
        when = date_format(sessions[0].starts_at.astimezone(ZoneInfo("America/New_York")),
                           "SHORT_DATETIME_FORMAT")
        return [
            translation.ngettext(*CONFIRMED, len(sessions)) % {
                "name": "Bruno", "count": len(sessions)},
            translation.gettext(CANCELLED) % {"name": "Bruno", "when": when},
        ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_notices_written_in_german_read_in_the_language_switched_to(client, language):
    nora, sessions = _written_while_reading_german()
    german = _expected("de", sessions)
    stored = set(Notification.objects.filter(user=nora.user).values_list("text", flat=True))
    assert set(german) <= stored  # written in German for e-mails and older readers
    nora.user.language = language
    nora.user.save(update_fields=["language"])
    client.force_login(nora.user)
    page = client.get(reverse("notifications")).content.decode()
    for sentence in _expected(language, sessions):
        assert escape(sentence) in page
    for sentence in german:
        assert escape(sentence) not in page


def test_a_notice_from_before_msgids_shows_as_it_was_stored(client):
    nora, _sessions = _written_while_reading_german()
    Notification.objects.create(user=nora.user, kind="match.declined",
                                text="Ihr Vorschlag wurde abgelehnt (alte Nachricht).")
    nora.user.language = "fr"
    nora.user.save(update_fields=["language"])
    client.force_login(nora.user)
    page = client.get(reverse("notifications")).content.decode()
    assert "Ihr Vorschlag wurde abgelehnt (alte Nachricht)." in page


def test_the_page_queries_stay_few_however_many_notices(client, django_assert_max_num_queries):
    nora, _sessions = _written_while_reading_german()
    for i in range(40):
        notification_create(user=nora.user, kind="test", url="/x/",
                            message="%(name)s accepted your match. Accept too to open your room.",
                            params={"name": f"P{i}"})
    client.force_login(nora.user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications"))
    assert response.status_code == 200
    assert response.content.decode().count("<li") >= 42
