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


def test_only_the_notices_shown_are_marked_read_and_older_ones_are_a_page_away(client):
    match = active_match()
    user = match.participant_a.user
    for k in range(60):
        notification_create(user=user, kind="test", message="Notice %(k)d", params={"k": k})
    client.force_login(user)
    first = client.get(reverse("notifications")).content.decode()
    assert "Notice 59" in first and "Notice 10 <" in first and "Notice 9 <" not in first
    # The ten older notices were not on the page: they stay unread, one click away.
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    assert sorted(unread.values_list("params__k", flat=True)) == list(range(10))
    assert "?page=2" in first
    second = client.get(reverse("notifications"), {"page": 2}).content.decode()
    assert "Notice 9 <" in second and "Notice 0 <" in second and "Notice 59" not in second
    assert not unread.exists()


def test_a_page_number_out_of_range_shows_the_last_page(client):
    match = active_match()
    user = match.participant_a.user
    notification_create(user=user, kind="test", message="Notice %(k)d", params={"k": 1})
    client.force_login(user)
    for number in ("7", "x", "-1"):
        response = client.get(reverse("notifications"), {"page": number})
        assert response.status_code == 200
        assert "Notice 1 <" in response.content.decode()


def test_an_unread_notice_says_so_in_words_not_only_in_bold(client):
    match = active_match()
    user = match.participant_a.user
    notification_create(user=user, kind="test", message="Notice %(k)d", params={"k": 1})
    client.force_login(user)
    first = client.get(reverse("notifications")).content.decode()
    assert '<span class="visually-hidden">New: </span>Notice 1' in first
    # Shown once, it is read: the next visit does not call it new.
    again = client.get(reverse("notifications")).content.decode()
    assert "Notice 1" in again and "New: " not in again
