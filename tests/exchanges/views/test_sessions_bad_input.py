"""Scheduling POSTs with input no page offers get a clear error, never a 500 (issue 11):
a slot is flashed; a refused move comes back in its row as typed, the reason beside it."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from exchanges.models import Notification, Session, SlotProposal
from exchanges.services import sessions as session_services
from tests.exchanges.scheduling_fixtures import active_match, scheduled_match
from tests.exchanges.views.move_form_markup import move_form

pytestmark = pytest.mark.django_db


def _flashed(response) -> list[str]:
    return [message.message for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(
    "slot",
    [
        "1|19:00|Europe",  # a directory of the zone database: zoneinfo raised OSError
        "1|19:00|" + "Europe/" * 60,  # a name too long for the file system: OSError
        "1|19:00|../../../etc/passwd",
        "1|19:00|Mars/Olympus_Mons",
        "7|19:00|Europe/London",
        "0|24:00|Europe/London",
        "0|19:00",
        "",
        "ⅷ" * 40,
    ],
)
def test_a_slot_no_page_offers_is_refused_with_a_message(client, slot):
    match = active_match()
    client.force_login(match.participant_b.user)
    response = client.post(reverse("slot_propose", args=[match.pk]), {"slot": slot})
    assert response.status_code == 302
    assert _flashed(response) == ["Pick one of the slots listed."]
    assert not SlotProposal.objects.exists()


def test_a_slot_with_a_nul_character_is_refused_with_a_message(client):
    match = active_match()
    client.force_login(match.participant_b.user)
    response = client.post(
        reverse("slot_propose", args=[match.pk]), {"slot": "0|18:00|Europe/London\x00"}
    )
    assert _flashed(response) == ["Null characters are not allowed."]
    assert not SlotProposal.objects.exists()


def test_a_missing_slot_is_refused_with_a_message(client):
    match = active_match()
    client.force_login(match.participant_b.user)
    response = client.post(reverse("slot_propose", args=[match.pk]), {})
    assert _flashed(response) == ["Pick one of the slots listed."]


def test_a_listed_slot_still_proposes(client):
    match = active_match()
    client.force_login(match.participant_b.user)
    response = client.post(
        reverse("slot_propose", args=[match.pk]), {"slot": "0|18:00|Europe/London"}
    )
    assert response.status_code == 302
    assert SlotProposal.objects.filter(match=match, anchor_tz="Europe/London").count() == 1


@pytest.mark.parametrize(
    ("new_start", "said"),
    [
        # New York is behind UTC: the instant falls in year 10000 (OverflowError).
        ("9999-12-31T23:30", "A session can move at most two years ahead."),
        ("2999-01-01T10:00", "A session can move at most two years ahead."),
        ("0001-01-01T00:00", "A session can only move to the future."),
        ("2020-01-01T10:00", "A session can only move to the future."),
        ("next tuesday", "Give the new date and time, e.g. 2027-03-10 14:00."),
        ("2027-02-30T10:00", "Give the new date and time, e.g. 2027-03-10 14:00."),
        ("2027-03-10T14:00\x00", "Give the new date and time, e.g. 2027-03-10 14:00."),
        ("", "Give the new date and time, e.g. 2027-03-10 14:00."),
    ],
)
def test_a_new_start_out_of_range_or_unreadable_is_refused_with_a_message(
    client, new_start, said
):
    match, sessions = scheduled_match()
    client.force_login(match.participant_a.user)  # Nora, New York
    before = Session.objects.get(pk=sessions[1].pk).starts_at
    url = reverse("session_move", args=[sessions[1].pk])
    response = client.post(url, {"new_start": new_start})
    assert response.status_code == 400
    shown = move_form(response.content.decode(), url)
    assert shown.errors == [said] and shown.invalid
    assert shown.value == new_start.replace("\x00", "\ufffd")
    assert Session.objects.get(pk=sessions[1].pk).starts_at == before


@pytest.mark.parametrize("new_start", ["0001-01-01T00:30", "0001-01-01T00:30+09:00"])
def test_a_start_in_year_one_east_of_utc_is_in_the_past_not_too_far_ahead(client, new_start):
    # Berlin is ahead of UTC: the instant falls in year 0 (OverflowError), the far past.
    match, sessions = scheduled_match(a_zone="Europe/Berlin", a_windows=((0, "19:00", "21:00"),))
    client.force_login(match.participant_a.user)
    url = reverse("session_move", args=[sessions[1].pk])
    response = client.post(url, {"new_start": new_start})
    assert response.status_code == 400
    assert move_form(response.content.decode(), url).errors == [
        "A session can only move to the future."]


def test_a_time_the_clocks_skip_is_refused_with_a_message(client):
    match, sessions = scheduled_match()
    client.force_login(match.participant_a.user)  # New York springs forward 14 March 2027
    url = reverse("session_move", args=[sessions[1].pk])
    response = client.post(url, {"new_start": "2027-03-14T02:30"})
    assert response.status_code == 400
    shown = move_form(response.content.decode(), url)
    assert shown.value == "2027-03-14T02:30"
    assert shown.errors == [
        "That time does not exist on Sun 14 Mar 2027 in New York: the clocks go forward. "
        "Choose another time."
    ]
    assert Session.objects.get(pk=sessions[1].pk).move_to is None


def test_a_time_the_clocks_repeat_is_proposed_with_a_note(client, monkeypatch):
    # The service refuses the small hours (when clocks change) for other reasons: a
    # stand-in records what the view hands it.
    match, sessions = scheduled_match()
    proposed = []
    monkeypatch.setattr(
        session_services, "session_move_propose",
        lambda *, session, by, new_start: proposed.append(new_start),
    )
    client.force_login(match.participant_a.user)  # New York falls back 7 November 2027
    response = client.post(
        reverse("session_move", args=[sessions[1].pk]), {"new_start": "2027-11-07T01:30"}
    )
    assert proposed == [dt.datetime(2027, 11, 7, 5, 30, tzinfo=dt.UTC)]  # 01:30 EDT
    assert _flashed(response) == [
        "Move proposed: your partner is asked to confirm it.",
        "01:30 happens twice on Sun 7 Nov 2027 in New York (the clocks go back): the first "
        "01:30, before the change, is proposed.",
    ]


def test_a_new_start_with_its_own_offset_is_that_instant(client):
    match, sessions = scheduled_match()
    client.force_login(match.participant_a.user)
    client.post(
        reverse("session_move", args=[sessions[1].pk]), {"new_start": "2027-03-10T14:00+01:00"}
    )
    moved = Session.objects.get(pk=sessions[1].pk)
    assert moved.move_to == dt.datetime(2027, 3, 10, 13, tzinfo=dt.UTC)


def test_a_move_into_the_proposers_own_night_says_for_you_not_their_name(client):
    match, sessions = scheduled_match()
    client.force_login(match.participant_b.user)  # Bruno, London; Nora is in New York
    url = reverse("session_move", args=[sessions[1].pk])
    response = client.post(url, {"new_start": "2027-03-10T23:30"})  # 18:30 in New York
    assert response.status_code == 400
    assert move_form(response.content.decode(), url).errors == [
        "That is Wednesday 23:30–00:30 for you (Europe/London): a session starts and ends "
        "between 07:00 and 23:00 for both of you."
    ]


def test_a_move_that_starts_in_waking_hours_but_ends_after_them_names_its_end(client):
    match, sessions = scheduled_match()
    client.force_login(match.participant_b.user)  # Bruno, London; Nora is in New York
    url = reverse("session_move", args=[sessions[1].pk])
    response = client.post(url, {"new_start": "2027-03-10T22:30"})  # ends 23:30 in London
    assert response.status_code == 400
    # "22:30 ... pick a time between 07:00 and 23:00" would contradict itself.
    assert move_form(response.content.decode(), url).errors == [
        "That is Wednesday 22:30–23:30 for you (Europe/London): a session starts and ends "
        "between 07:00 and 23:00 for both of you."
    ]


def test_a_move_the_service_refuses_comes_back_as_typed_with_the_reason_beside_it(client):
    match, sessions = scheduled_match()
    client.force_login(match.participant_b.user)  # Bruno, London; Nora is in New York
    url = reverse("session_move", args=[sessions[1].pk])
    response = client.post(url, {"new_start": "2027-03-10T09:00"})  # 04:00 in New York
    assert response.status_code == 400
    page = response.content.decode()
    shown = move_form(page, url)
    assert shown.value == "2027-03-10T09:00" and shown.invalid
    assert shown.errors == [
        "That is Wednesday 04:00–05:00 for Nora (America/New_York): a session starts and "
        "ends between 07:00 and 23:00 for both of you."
    ]
    # The other rows keep their own times, and nothing is flashed twice above.
    other = move_form(page, reverse("session_move", args=[sessions[2].pk]))
    assert other.errors == [] and not other.invalid
    assert other.value == sessions[2].starts_at.strftime("%Y-%m-%dT%H:%M")  # London, GMT
    assert _flashed(response) == []
    assert Session.objects.get(pk=sessions[1].pk).move_to is None
    assert not Notification.objects.filter(kind="session.move_proposed").exists()


def test_a_move_of_a_session_cancelled_meanwhile_is_refused_in_words(client):
    match, sessions = scheduled_match()
    session_services.session_cancel(session=sessions[1], by=match.participant_a)
    client.force_login(match.participant_b.user)
    response = client.post(reverse("session_move", args=[sessions[1].pk]),
                           {"new_start": "2027-03-10T18:00"})
    assert response.status_code == 400
    assert _flashed(response) == ["This session is no longer scheduled."]
    assert "This session is no longer scheduled." in response.content.decode()
    assert Session.objects.get(pk=sessions[1].pk).move_to is None


def test_a_move_sent_with_the_sessions_own_time_asks_the_partner_nothing(client):
    match, sessions = scheduled_match()
    client.force_login(match.participant_b.user)  # Bruno, London
    url = reverse("session_move", args=[sessions[1].pk])
    page = client.get(reverse("match_schedule", args=[match.pk])).content.decode()
    prefilled = move_form(page, url).value
    assert prefilled == "2027-03-08T18:00"
    response = client.post(url, {"new_start": prefilled})
    assert response.status_code == 400
    shown = move_form(response.content.decode(), url)
    assert shown.errors == ["That is the session's time already: pick another time."]
    assert Session.objects.get(pk=sessions[1].pk).move_to is None
    assert not Notification.objects.filter(kind="session.move_proposed").exists()


def test_seconds_typed_in_a_new_start_are_dropped(client):
    match, sessions = scheduled_match()
    client.force_login(match.participant_a.user)  # Nora, New York
    client.post(reverse("session_move", args=[sessions[1].pk]),
                {"new_start": "2027-03-10T14:00:59.999"})
    assert Session.objects.get(pk=sessions[1].pk).move_to == dt.datetime(
        2027, 3, 10, 19, tzinfo=dt.UTC)
    # The session's own minute, with seconds, is still its own time.
    response = client.post(reverse("session_move", args=[sessions[2].pk]),
                           {"new_start": "2027-03-15T14:00:30"})
    assert response.status_code == 400
    assert Session.objects.get(pk=sessions[2].pk).move_to is None
