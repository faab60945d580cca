import datetime as dt
import re
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import Session, SlotProposal
from tests.exchanges.scheduling_fixtures import active_match, scheduled_match
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_schedule_page_lists_slots_in_both_local_times(client):
    match = active_match()
    client.force_login(match.participant_b.user)  # Bruno in London
    response = client.get(reverse("match_schedule", args=[match.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mondays 18:00</strong> your time · Mondays 13:00 for Nora" in html
    assert "moves to 14:00 for Nora for 2 weeks in March" in html
    client.force_login(match.participant_a.user)  # Nora reads her own move as hers
    html = client.get(reverse("match_schedule", args=[match.pk])).content.decode()
    assert "moves to 14:00 for you for 2 weeks in March" in html
    assert "for Nora for" not in html


def test_schedule_page_is_for_the_two_partners_only(client):
    match = active_match()
    client.force_login(ParticipantFactory().user)
    assert client.get(reverse("match_schedule", args=[match.pk])).status_code == 404


def test_propose_then_partner_confirms_through_the_pages(client):
    match = active_match()
    client.force_login(match.participant_b.user)
    url = reverse("slot_propose", args=[match.pk])
    assert client.post(url, {"slot": "0|18:00|Europe/London"}).status_code == 302
    proposal = SlotProposal.objects.get(match=match, status="proposed")
    page = client.get(reverse("match_schedule", args=[match.pk])).content.decode()
    assert "Waiting for Nora to confirm" in page
    client.force_login(match.participant_a.user)
    page = client.get(reverse("match_schedule", args=[match.pk])).content.decode()
    assert "Confirm this slot" in page and "13:00" in page
    client.post(reverse("slot_confirm", args=[proposal.pk]))
    sessions = Session.objects.filter(match=match)
    assert sessions.count() == 6  # program weeks still ahead of today
    page = client.get(reverse("match_schedule", args=[match.pk])).content.decode()
    assert "Mon 1 Mar, 13:00" in page  # Nora's own time, New York


def test_bad_slot_shows_an_error_and_creates_nothing(client):
    match = active_match()
    client.force_login(match.participant_b.user)
    response = client.post(
        reverse("slot_propose", args=[match.pk]), {"slot": "0|19:00|Europe/London"}
    )
    # The page again (400), the reason above the slots listed as they are now.
    assert response.status_code == 400
    refused = re.search(r'id="slot-refused">(.*?)</div>', response.content.decode(), re.S)
    assert "not both free" in refused.group(1)
    assert not SlotProposal.objects.exists()


def test_cancel_and_move_from_the_page(client):
    match, sessions = scheduled_match()
    first_start = sessions[1].starts_at
    client.force_login(match.participant_a.user)  # Nora, New York
    client.post(reverse("session_cancel", args=[sessions[0].pk]))
    client.post(reverse("session_move", args=[sessions[1].pk]), {"new_start": "2027-03-10T14:00"})
    first, second = Session.objects.filter(pk__in=[sessions[0].pk, sessions[1].pk]).order_by("pk")
    assert first.status == "cancelled"
    # A move is a proposal: the session stays until the partner confirms.
    assert second.starts_at == first_start
    assert second.move_to == dt.datetime(2027, 3, 10, 19, tzinfo=dt.UTC)  # 14:00 EST
    page = client.get(reverse("match_schedule", args=[match.pk])).content.decode()
    assert "waiting for Bruno to confirm" in page
    # The proposer cannot confirm their own proposal.
    client.post(reverse("session_move_confirm", args=[second.pk]))
    assert Session.objects.get(pk=second.pk).starts_at == first_start
    client.force_login(match.participant_b.user)  # Bruno, London
    page = client.get(reverse("match_schedule", args=[match.pk])).content.decode()
    assert "Nora proposes to move it to Wed 10 Mar, 19:00" in page
    client.post(reverse("session_move_confirm", args=[second.pk]))
    second.refresh_from_db()
    assert second.starts_at == dt.datetime(2027, 3, 10, 19, tzinfo=dt.UTC)
    assert second.move_to is None


def test_a_move_into_the_partners_night_or_past_the_program_is_refused(client):
    match, sessions = scheduled_match()
    client.force_login(match.participant_b.user)  # Bruno, London; Nora is in New York
    response = client.post(reverse("session_move", args=[sessions[1].pk]),
                           {"new_start": "2027-03-10T09:00"}, follow=True)  # 04:00 in New York
    assert "That is Wednesday 04:00–05:00 for Nora (America/New_York)" in response.content.decode()
    response = client.post(reverse("session_move", args=[sessions[1].pk]),
                           {"new_start": "2028-01-10T18:00"}, follow=True)
    assert "last day is Sun 11 Apr 2027: pick that day or earlier." in response.content.decode()
    assert not Session.objects.filter(move_to__isnull=False).exists()


def test_the_partner_can_decline_a_move(client):
    match, sessions = scheduled_match()
    start = sessions[1].starts_at
    client.force_login(match.participant_a.user)
    client.post(reverse("session_move", args=[sessions[1].pk]), {"new_start": "2027-03-10T14:00"})
    client.force_login(match.participant_b.user)
    client.post(reverse("session_move_decline", args=[sessions[1].pk]))
    session = Session.objects.get(pk=sessions[1].pk)
    assert session.starts_at == start and session.move_to is None


def test_room_timer_shows_current_language_and_seconds_from_the_server(client):
    match, sessions = scheduled_match()
    session = sessions[0]
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(minutes=10)
    )
    client.force_login(match.participant_a.user)
    response = client.get(reverse("room_timer", args=[match.room.pk]))
    html = response.content.decode()
    assert "Now: German" in html and "until English" in html
    left = int(html.split('data-seconds-left="')[1].split('"')[0])
    assert 19 * 60 - 5 <= left <= 20 * 60
    assert "js/timer.js" in html
    client.force_login(ParticipantFactory().user)
    assert client.get(reverse("room_timer", args=[match.room.pk])).status_code == 404


def test_room_timer_without_a_running_session(client):
    match = active_match()
    client.force_login(match.participant_a.user)
    html = client.get(reverse("room_timer", args=[match.room.pk])).content.decode()
    assert 'data-phase="none"' in html


def test_room_timer_says_when_the_next_session_is_in_words(client):
    match, sessions = scheduled_match()
    Session.objects.filter(match=match).exclude(pk=sessions[0].pk).delete()
    Session.objects.filter(pk=sessions[0].pk).update(
        starts_at=timezone.now() + dt.timedelta(days=4, minutes=20)
    )
    client.force_login(match.participant_a.user)
    html = client.get(reverse("room_timer", args=[match.room.pk])).content.decode()
    assert 'data-phase="before"' in html
    countdown = html.split("data-countdown data-relative>")[1].split("</span>")[0]
    assert countdown.startswith("in 4\xa0days") and ":" not in countdown


def test_email_reminder_toggle_returns_the_fragment(client):
    participant = ParticipantFactory()
    client.force_login(participant.user)
    page = client.get(reverse("profile")).content.decode()
    assert 'name="enabled" value="0"' in page  # the button asks for "off"
    response = client.post(reverse("reminders_email_toggle"), {"enabled": "0"},
                           HTTP_HX_REQUEST="true")
    assert "<strong>off</strong>" in response.content.decode()
    assert 'name="enabled" value="1"' in response.content.decode()
    participant.refresh_from_db()
    assert participant.email_reminders is False
    client.post(reverse("reminders_email_toggle"), {"enabled": "1"})
    participant.refresh_from_db()
    assert participant.email_reminders is True


def test_turning_reminders_off_twice_leaves_them_off(client):
    # A double click, or the button of a tab left open since: the second "Turn off" was
    # a flip and turned the e-mails back on.
    participant = ParticipantFactory()
    client.force_login(participant.user)
    for _ in range(2):
        client.post(reverse("reminders_email_toggle"), {"enabled": "0"})
    participant.refresh_from_db()
    assert participant.email_reminders is False
    response = client.post(reverse("reminders_email_toggle"), {"next": "/dashboard/"},
                           follow=True)
    participant.refresh_from_db()
    assert participant.email_reminders is False  # nothing asked, nothing changed
    assert "Choose whether to turn reminder e-mails on or off." in response.content.decode()


@pytest.mark.parametrize("sent", [{"enabled": "yes"}, {"enabled": "2"}, {}])
def test_a_toggle_asking_neither_on_nor_off_says_so_in_the_fragment(client, sent):
    # A stale or hand-made request: the fragment came back as it was, and nothing said
    # why the click did nothing. htmx swaps only a 2xx answer, so the refusal is a 200.
    participant = ParticipantFactory()
    client.force_login(participant.user)
    response = client.post(reverse("reminders_email_toggle"), sent, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    state = html.split('id="reminders-email-state">')[1]  # what htmx swaps in
    assert 'role="alert">Choose whether to turn reminder e-mails on or off.</span>' in state
    assert "<strong>on</strong>" in state and 'name="enabled" value="0"' in state
    participant.refresh_from_db()
    assert participant.email_reminders is True
    # The next (valid) answer carries no stale refusal.
    html = client.post(reverse("reminders_email_toggle"), {"enabled": "0"},
                       HTTP_HX_REQUEST="true").content.decode()
    assert "Choose whether" not in html and "<strong>off</strong>" in html


def test_dashboard_shows_next_sessions_in_local_time(client, django_assert_max_num_queries):
    from exchanges.selectors.sessions import sessions_for_dashboard

    match, _ = scheduled_match()
    # Two: the sessions under way, then those ahead.
    with django_assert_max_num_queries(2):
        rows = sessions_for_dashboard(participant=match.participant_b, limit=5)
        labels = [(s.local_start.strftime("%H:%M"), s.partner.user.public_name) for s in rows]
    assert labels[0] == ("18:00", "Nora") and len(rows) == 5
    client.force_login(match.participant_b.user)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Mon 1 Mar, 18:00" in html
    assert reverse("calendar_feed", args=[match.participant_b.calendar_token]) in html


def test_a_session_under_way_stays_on_the_dashboard_with_its_room_until_it_ends(client):
    from exchanges.selectors.sessions import sessions_for_dashboard

    match, sessions = scheduled_match()
    first = sessions[0]  # Monday 1 March 2027, 18:00 UTC, an hour
    bruno = match.participant_b
    during = first.starts_at + dt.timedelta(minutes=20)
    rows = sessions_for_dashboard(participant=bruno, limit=2, now=during)
    assert [s.pk for s in rows] == [first.pk, sessions[1].pk, sessions[2].pk]
    assert [s.under_way for s in rows] == [True, False, False]
    assert rows[0].room_id == match.room.pk
    after = first.starts_at + dt.timedelta(minutes=60)
    assert [s.pk for s in sessions_for_dashboard(participant=bruno, limit=2, now=after)] == [
        sessions[1].pk, sessions[2].pk]
    with mock.patch("exchanges.selectors.sessions.timezone.now", return_value=during):
        client.force_login(bruno.user)
        card = re.search(r'id="sessions-card">(.*?)</section>',
                         client.get(reverse("dashboard")).content.decode(), re.S).group(1)
    assert "under way" in card
    assert reverse("room_detail", args=[match.room.pk]) in card


def test_a_suspended_twinning_says_why_and_offers_no_slot_to_propose_or_confirm(client):
    match = active_match()
    pending = SlotProposal.objects.create(
        match=match, proposed_by=match.participant_a, anchor_tz="America/New_York",
        first_start=timezone.now() + dt.timedelta(days=30),
    )
    match.twinning.status = "suspended"
    match.twinning.status_changed = timezone.localdate()
    match.twinning.save(update_fields=["status", "status_changed"])
    client.force_login(match.participant_b.user)
    html = client.get(reverse("match_schedule", args=[match.pk])).content.decode()
    assert 'id="twinning-suspended"' in html
    assert f"The twinning {match.twinning} is suspended since" in html
    assert reverse("slot_propose", args=[match.pk]) not in html
    assert reverse("slot_confirm", args=[pending.pk]) not in html
    assert "Mondays 18:00" not in html


def test_moving_the_series_does_not_offer_the_slot_it_is_on(client):
    match = active_match(a_windows=((0, "13:00", "16:00"),), b_windows=((0, "18:00", "21:00"),))
    client.force_login(match.participant_b.user)
    offered = {row.key for row in
               client.get(reverse("match_schedule", args=[match.pk])).context["option_rows"]}
    assert "0|18:00|Europe/London" in offered
    client.post(reverse("slot_propose", args=[match.pk]), {"slot": "0|18:00|Europe/London"})
    proposal = SlotProposal.objects.get(match=match, status="proposed")
    client.force_login(match.participant_a.user)
    client.post(reverse("slot_confirm", args=[proposal.pk]))
    assert Session.objects.filter(match=match).exists()
    client.force_login(match.participant_b.user)
    page = client.get(reverse("match_schedule", args=[match.pk]))
    offered_now = {row.key for row in page.context["option_rows"]}
    assert "0|18:00|Europe/London" not in offered_now
    assert offered_now, "the other slots are still offered"


def test_the_schedule_lists_the_steadiest_slots_first_and_all_on_request(client, monkeypatch):
    from exchanges.views import sessions as views

    match = active_match(a_windows=((0, "13:00", "16:00"),), b_windows=((0, "18:00", "21:00"),))
    client.force_login(match.participant_b.user)
    url = reverse("match_schedule", args=[match.pk])
    total = client.get(url).context["options_total"]
    assert total >= 2
    monkeypatch.setattr(views, "OPTIONS_SHOWN", 1)
    page = client.get(url)
    assert len(page.context["option_rows"]) == 1
    assert f"(1 of {total})" in page.content.decode()
    assert "?options=all#slot-options" in page.content.decode()
    everything = client.get(url + "?options=all")
    assert len(everything.context["option_rows"]) == total


def _shown_move_to(page: str, action: str) -> str:
    form = page[page.index(f'action="{action}"'):]
    return re.search(r'name="move_to" value="([^"]*)"', form[:form.index("</form>")]).group(1)


def test_a_stale_page_confirms_no_other_move_than_the_one_it_showed(client):
    match, sessions = scheduled_match()
    start = sessions[1].starts_at
    client.force_login(match.participant_a.user)  # Nora, New York
    move = reverse("session_move", args=[sessions[1].pk])
    client.post(move, {"new_start": "2027-03-10T14:00"})
    client.force_login(match.participant_b.user)  # Bruno opens his schedule…
    confirm = reverse("session_move_confirm", args=[sessions[1].pk])
    shown = _shown_move_to(
        client.get(reverse("match_schedule", args=[match.pk])).content.decode(), confirm)
    client.force_login(match.participant_a.user)  # …while Nora changes her mind
    client.post(move, {"new_start": "2027-03-11T15:00"})
    client.force_login(match.participant_b.user)
    response = client.post(confirm, {"move_to": shown}, follow=True)
    assert "The proposed time has changed since you opened the page" in response.content.decode()
    session = Session.objects.get(pk=sessions[1].pk)
    assert session.starts_at == start
    assert session.move_to == dt.datetime(2027, 3, 11, 20, tzinfo=dt.UTC)  # still asked
    decline = reverse("session_move_decline", args=[sessions[1].pk])
    client.post(decline, {"move_to": shown})
    assert Session.objects.get(pk=sessions[1].pk).move_to is not None
    # The page as it is now confirms what it shows.
    shown = _shown_move_to(response.content.decode(), confirm)
    client.post(confirm, {"move_to": shown})
    assert Session.objects.get(pk=sessions[1].pk).starts_at == dt.datetime(
        2027, 3, 11, 20, tzinfo=dt.UTC)


def test_a_session_under_way_is_listed_without_the_changes_it_would_refuse(client):
    match, sessions = scheduled_match()
    Session.objects.filter(pk=sessions[0].pk).update(
        starts_at=timezone.now() - dt.timedelta(minutes=10))
    client.force_login(match.participant_a.user)
    page = client.get(reverse("match_schedule", args=[match.pk])).content.decode()
    row = re.search(rf'<li id="session-{sessions[0].pk}">(.*?)</li>', page, re.S).group(1)
    assert "This session has already started." in row and "<form" not in row
    later = re.search(rf'<li id="session-{sessions[1].pk}">(.*?)</li>', page, re.S).group(1)
    for action in ("session_cancel", "session_move"):
        assert f'action="{reverse(action, args=[sessions[1].pk])}"' in later


def test_a_long_session_stays_listed_until_it_ends_and_an_ended_one_leaves(client):
    # Programs run sessions of up to four hours: one begun over two hours ago is still on
    # (the dashboard says "under way"); one that has ended is no longer upcoming.
    match, sessions = scheduled_match()
    Session.objects.filter(pk=sessions[0].pk).update(
        minutes=180, starts_at=timezone.now() - dt.timedelta(minutes=150))
    Session.objects.filter(pk=sessions[1].pk).update(
        minutes=60, starts_at=timezone.now() - dt.timedelta(minutes=90))
    client.force_login(match.participant_a.user)
    page = client.get(reverse("match_schedule", args=[match.pk])).content.decode()
    row = re.search(rf'<li id="session-{sessions[0].pk}">(.*?)</li>', page, re.S).group(1)
    assert "This session has already started." in row
    assert f'<li id="session-{sessions[1].pk}">' not in page


def _pending_card(page: str) -> str:
    return re.search(r'id="pending-proposal">(.*?)</section>', page, re.S).group(1)


def test_a_pending_slot_tells_the_confirmer_the_weeks_it_moves_in_their_zone(client):
    # Bruno anchors Mondays 18:00 in London; New York changes clocks two weeks before
    # London, so for Nora the session is at 14:00 in two March weeks. The card she
    # confirms from said only "13:00".
    match = active_match()
    client.force_login(match.participant_b.user)
    client.post(reverse("slot_propose", args=[match.pk]), {"slot": "0|18:00|Europe/London"})
    client.force_login(match.participant_a.user)
    card = _pending_card(client.get(reverse("match_schedule", args=[match.pk])).content.decode())
    assert "<strong>13:00</strong> your time" in card
    # Her own move, told to her: "for you", not her own name.
    assert "moves to 14:00 for you for 2 weeks in March" in card
    assert "for Nora" not in card


def test_a_pending_slot_whose_first_week_passed_shows_the_next_week_to_come(client):
    # Proposed a while ago and not yet confirmed: confirming plans the weeks still ahead,
    # and the card said "weekly from" a date already past.
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    now = timezone.now()
    today = now.astimezone(london).date()
    last_monday = today - dt.timedelta(days=today.weekday() + 7)
    match = active_match(start_date=last_monday - dt.timedelta(weeks=1), weeks=8)
    first = dt.datetime.combine(last_monday, dt.time(18), tzinfo=london)
    SlotProposal.objects.create(match=match, proposed_by=match.participant_a,
                                anchor_tz="Europe/London", first_start=first)
    coming = next(day for day in (last_monday + dt.timedelta(weeks=w) for w in range(1, 4))
                  if dt.datetime.combine(day, dt.time(18), tzinfo=london) > now)
    client.force_login(match.participant_b.user)  # Bruno, London
    card = _pending_card(client.get(reverse("match_schedule", args=[match.pk])).content.decode())
    assert f"Weekly from Monday {coming.day} {coming:%B} at <strong>18:00</strong>" in card


def test_a_move_before_the_program_starts_is_refused_at_the_field(client):
    match, sessions = scheduled_match()  # the program starts on Monday 1 March 2027
    client.force_login(match.participant_b.user)  # Bruno, London
    response = client.post(reverse("session_move", args=[sessions[1].pk]),
                           {"new_start": "2027-02-24T18:00"}, follow=True)
    assert "The program starts on Mon 1 Mar 2027: pick that day or later." in (
        response.content.decode())
    assert not Session.objects.filter(move_to__isnull=False).exists()
