import datetime as dt
import re

import pytest
from django.urls import reverse
from icalendar import Calendar

from exchanges.services.sessions import session_cancel
from tests.exchanges.scheduling_fixtures import NOW, scheduled_match
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def _events(content: bytes):
    cal = Calendar.from_ical(content)
    return cal, [c for c in cal.walk("VEVENT")]


def test_feed_parses_back_to_the_sessions_instants(client):
    match, sessions = scheduled_match()
    session_cancel(session=sessions[2], by=match.participant_b, now=NOW)
    response = client.get(reverse("calendar_feed", args=[match.participant_a.calendar_token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal, events = _events(response.content)
    assert str(cal["VERSION"]) == "2.0" and "Jumelage" in str(cal["PRODID"])
    assert str(cal["METHOD"]) == "PUBLISH"
    by_uid = {str(e["UID"]): e for e in events}
    assert len(by_uid) == 6
    for s in sessions:
        event = by_uid[f"{s.uid}@jumelage"]
        assert event.decoded("DTSTART") == s.starts_at
        assert (event.decoded("DTEND") - event.decoded("DTSTART")).total_seconds() == 3600
        assert "DTSTAMP" in event
    cancelled = by_uid[f"{sessions[2].uid}@jumelage"]
    assert str(cancelled["STATUS"]) == "CANCELLED" and int(cancelled["SEQUENCE"]) == 1
    first = by_uid[f"{sessions[0].uid}@jumelage"]
    assert str(first["STATUS"]) == "CONFIRMED" and int(first["SEQUENCE"]) == 0
    assert "Bruno" in str(first["SUMMARY"])
    description = str(first["DESCRIPTION"])
    assert "30 min in German, then 30 min in English" in description
    assert f"/rooms/{match.room.pk}/" in description
    # UTC instants on the wire (Z), as calendar apps expect.
    assert b"DTSTART:20270301T180000Z" in response.content


def test_unknown_or_rotated_token_is_404(client):
    match, _ = scheduled_match()
    nora = match.participant_a
    old = nora.calendar_token
    assert client.get(reverse("calendar_feed", args=["nope"])).status_code == 404
    client.force_login(nora.user)
    client.post(reverse("calendar_token_rotate"))
    nora.refresh_from_db()
    assert nora.calendar_token != old
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("calendar_feed", args=[nora.calendar_token])).status_code == 200


def test_single_session_download_is_for_members(client):
    match, sessions = scheduled_match()
    client.force_login(match.participant_b.user)
    response = client.get(reverse("session_ics", args=[sessions[0].pk]))
    assert "attachment" in response["Content-Disposition"]
    _, events = _events(response.content)
    assert [e.decoded("DTSTART") for e in events] == [sessions[0].starts_at]
    client.force_login(ParticipantFactory().user)
    assert client.get(reverse("session_ics", args=[sessions[0].pk])).status_code == 404


def test_a_new_link_made_on_the_profile_stays_there_and_says_so(client):
    match, _ = scheduled_match()
    nora = match.participant_a
    client.force_login(nora.user)
    profile = client.get(reverse("profile")).content.decode()
    assert f'<input type="hidden" name="next" value="{reverse("profile")}">' in profile
    response = client.post(
        reverse("calendar_token_rotate"), {"next": reverse("profile")}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("profile")
    page = response.content.decode()
    assert "New link made: the old one no longer works." in page
    nora.refresh_from_db()
    assert reverse("calendar_feed", args=[nora.calendar_token]) in page


def test_the_calendars_name_is_written_in_the_owners_words(client):
    # Calendar apps title the subscription with X-WR-CALNAME: it was English in every
    # language while the events beside it were translated.
    match, sessions = scheduled_match()
    for participant in (match.participant_a, match.participant_b):
        participant.user.language = "fr"
        participant.user.save(update_fields=["language"])
    feed = client.get(reverse("calendar_feed", args=[match.participant_a.calendar_token]))
    assert str(Calendar.from_ical(feed.content)["X-WR-CALNAME"]) == "Séances Jumelage"
    client.force_login(match.participant_b.user)
    one = client.get(reverse("session_ics", args=[sessions[0].pk]))
    assert str(Calendar.from_ical(one.content)["X-WR-CALNAME"]) == "Séances Jumelage"


def test_a_new_link_made_on_the_dashboard_stays_there_and_says_so(client):
    # The dashboard's form carried no ``next``: the person was taken to the profile page.
    match, _ = scheduled_match()
    nora = match.participant_a
    client.force_login(nora.user)
    dashboard = client.get(reverse("dashboard")).content.decode()
    rotate = re.search(
        rf'<form[^>]*action="{reverse("calendar_token_rotate")}".*?</form>', dashboard, re.S
    ).group(0)
    assert f'<input type="hidden" name="next" value="{reverse("dashboard")}">' in rotate
    response = client.post(
        reverse("calendar_token_rotate"), {"next": reverse("dashboard")}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    page = response.content.decode()
    assert "New link made: the old one no longer works." in page
    nora.refresh_from_db()
    assert reverse("calendar_feed", args=[nora.calendar_token]) in page


def test_dtstamp_is_when_the_feed_was_written_and_last_modified_when_the_session_changed(
    client,
):
    # With METHOD in the calendar, RFC 5545 (3.8.7.2) makes DTSTAMP the instant the
    # calendar object was created; the session's own last change is LAST-MODIFIED.
    from django.utils import timezone

    from exchanges.models import Session

    match, sessions = scheduled_match()
    Session.objects.filter(pk=sessions[0].pk).update(
        updated_at=timezone.now() - dt.timedelta(days=3))
    before = timezone.now().replace(microsecond=0)
    response = client.get(reverse("calendar_feed", args=[match.participant_a.calendar_token]))
    _, events = _events(response.content)
    changed = Session.objects.get(pk=sessions[0].pk).updated_at
    event = next(e for e in events if str(e["UID"]) == f"{sessions[0].uid}@jumelage")
    assert event.decoded("LAST-MODIFIED") == changed.replace(microsecond=0)
    assert all(e.decoded("DTSTAMP") >= before for e in events)


def test_the_feed_is_rfc_5545_text_crlf_folded_at_75_octets_and_escaped(client):
    # A name with the characters TEXT escapes and a long Japanese tail (3 octets each):
    # every line ends in CRLF, none passes 75 octets, no fold splits a character, and
    # the name reads back as written.
    match, _ = scheduled_match()
    bruno = match.participant_b.user
    bruno.display_name = "Zoë, Jo; a\\b " + "長い名前" * 12
    bruno.save(update_fields=["display_name"])
    content = client.get(
        reverse("calendar_feed", args=[match.participant_a.calendar_token])).content
    assert content.endswith(b"\r\n") and b"\n" not in content.replace(b"\r\n", b"")
    lines = content.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # a fold splitting a character would not decode on its own
    assert b"SUMMARY:Jumelage session with Zo\xc3\xab\\, Jo\\; a\\\\b " in content
    _, events = _events(content)
    assert {str(e["SUMMARY"]) for e in events} == {
        f"Jumelage session with {bruno.display_name}"}
    assert all("\n" in str(e["DESCRIPTION"]) for e in events)  # "\n" escaped, read back


@pytest.mark.parametrize("sender, cn, mailto", [
    ("Jumelage <no-reply@jumelage.example>", "Jumelage", "mailto:no-reply@jumelage.example"),
    ("sessions@jumelage.example", "Jumelage", "mailto:sessions@jumelage.example"),
])
def test_each_event_is_organised_by_the_platform_never_a_person(client, settings, sender, cn,
                                                                 mailto):
    settings.DEFAULT_FROM_EMAIL = sender
    match, sessions = scheduled_match()
    for url in (reverse("calendar_feed", args=[match.participant_a.calendar_token]),):
        _, events = _events(client.get(url).content)
        assert events
        for event in events:
            assert str(event["ORGANIZER"]) == mailto
            assert event["ORGANIZER"].params["CN"] == cn
    client.force_login(match.participant_b.user)
    _, [event] = _events(client.get(reverse("session_ics", args=[sessions[0].pk])).content)
    assert str(event["ORGANIZER"]) == mailto
    for person in (match.participant_a, match.participant_b):
        assert person.user.email not in str(event["ORGANIZER"])
