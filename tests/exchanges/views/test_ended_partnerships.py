"""After a block or an ended partnership, nothing stays planned between the two: the
pages, the calendars and the session actions all say the partnership has ended."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from exchanges.models import Match, Notification, Session, SlotProposal
from tests.exchanges.scheduling_fixtures import active_match, scheduled_match
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def _flash(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_after_a_block_the_blocked_partner_has_nothing_left_to_change_or_announce(client):
    match, sessions = scheduled_match()
    nora, bruno = match.participant_a, match.participant_b
    client.force_login(bruno.user)
    client.post(reverse("room_block", args=[match.room.pk]))
    client.force_login(nora.user)
    Notification.objects.all().delete()

    dashboard = client.get(reverse("dashboard")).content.decode()
    assert reverse("session_ics", args=[sessions[1].pk]) not in dashboard
    assert "No session planned." in dashboard
    feed = client.get(reverse("calendar_feed", args=[nora.calendar_token])).content.decode()
    assert "STATUS:CONFIRMED" not in feed and feed.count("STATUS:CANCELLED") == len(sessions)
    ics = client.get(reverse("session_ics", args=[sessions[1].pk])).content.decode()
    assert "STATUS:CANCELLED" in ics and "STATUS:CONFIRMED" not in ics
    timer = client.get(reverse("room_timer", args=[match.room.pk])).content.decode()
    assert 'data-phase="none"' in timer

    response = client.post(reverse("session_move", args=[sessions[1].pk]),
                           {"new_start": "2027-03-10T14:00"}, follow=True)
    assert "This partnership has ended" in _flash(response)
    response = client.post(reverse("session_cancel", args=[sessions[1].pk]), follow=True)
    assert "This partnership has ended" in _flash(response)
    assert not Notification.objects.filter(user=bruno.user).exists()
    assert not Session.objects.filter(move_to__isnull=False).exists()


def test_the_schedule_of_an_ended_partnership_says_so_and_offers_no_action(client):
    match, sessions = scheduled_match()
    # Left scheduled, as older code left them on a block: still no action is offered.
    Match.objects.filter(pk=match.pk).update(status=Match.Status.ENDED)
    client.force_login(match.participant_a.user)
    page = client.get(reverse("match_schedule", args=[match.pk])).content.decode()
    assert 'id="partnership-ended"' in page and "has ended" in page
    assert "once you have both accepted" not in page
    assert 'id="slot-options"' not in page
    for name in ("session_cancel", "session_move"):
        assert reverse(name, args=[sessions[1].pk]) not in page
    assert reverse("slot_propose", args=[match.pk]) not in page


def test_the_schedule_of_a_program_that_has_ended_offers_no_pending_slot_to_confirm(client):
    # Confirming would be refused: the program's weeks are over.
    start = timezone.localdate() - dt.timedelta(weeks=10)
    match = active_match(start_date=start, weeks=6)
    proposal = SlotProposal.objects.create(
        match=match, proposed_by=match.participant_b, anchor_tz="Europe/Paris",
        first_start=timezone.now() + dt.timedelta(days=2))
    client.force_login(match.participant_a.user)
    page = client.get(reverse("match_schedule", args=[match.pk])).content.decode()
    assert 'id="program-ended"' in page
    assert 'id="pending-proposal"' not in page
    assert reverse("slot_confirm", args=[proposal.pk]) not in page


def test_either_partner_ends_the_partnership_from_the_room_with_a_confirmation(client):
    match, sessions = scheduled_match()
    nora, bruno = match.participant_a, match.participant_b
    room_url = reverse("room_detail", args=[match.room.pk])
    end_url = reverse("match_end", args=[match.pk])
    client.force_login(nora.user)
    page = client.get(room_url).content.decode()
    form = page.split(f'action="{end_url}"')[1].split("</form>")[0]
    assert "data-confirm=" in form and "End this partnership" in form
    assert client.get(end_url).status_code == 405  # a POST only
    response = client.post(end_url, {"next": room_url}, follow=True)
    assert response.redirect_chain[-1][0] == room_url
    assert "Your partnership with Bruno has ended" in _flash(response)
    html = response.content.decode()
    assert "one of you ended the partnership" in html and 'id="room-composer"' not in html
    assert end_url not in html  # nothing more to end
    match.refresh_from_db()
    assert match.status == Match.Status.ENDED
    assert not Session.objects.filter(match=match, status="scheduled").exists()
    assert Notification.objects.filter(user=bruno.user, kind="match.ended").exists()
    # Ending it again (a stale tab) says so and tells nobody anything.
    response = client.post(end_url, follow=True)
    assert "already ended" in _flash(response)
    assert Notification.objects.filter(kind="match.ended").count() == 1


def test_the_dashboard_offers_to_end_an_active_partnership_and_strangers_cannot(client):
    match, _sessions = scheduled_match()
    end_url = reverse("match_end", args=[match.pk])
    client.force_login(match.participant_b.user)
    html = client.get(reverse("dashboard")).content.decode()
    form = html.split(f'action="{end_url}"')[1].split("</form>")[0]
    assert "data-confirm=" in form and "End this partnership" in form
    client.force_login(ParticipantFactory().user)
    assert client.post(end_url).status_code == 404
    assert Match.objects.get(pk=match.pk).status == Match.Status.ACTIVE


def test_accepting_twice_through_the_page_says_so_and_tells_the_partner_once(client):
    from tests.factories import MatchFactory

    match = MatchFactory()
    client.force_login(match.participant_a.user)
    url = reverse("match_accept", args=[match.pk])
    assert "You accepted the match." in _flash(client.post(url, follow=True))
    # Not a refusal: after a double click the page shows the second answer's words only.
    assert "You accepted the match." in _flash(client.post(url, follow=True))
    assert Notification.objects.filter(user=match.participant_b.user).count() == 1


def test_the_schedule_of_a_program_that_has_ended_says_so_not_to_widen_ones_hours(client):
    # The partnership goes on (its room stays open), but the program's weeks are over.
    start = timezone.localdate() - dt.timedelta(weeks=10)
    match = active_match(start_date=start, weeks=6)
    client.force_login(match.participant_a.user)
    page = client.get(reverse("match_schedule", args=[match.pk])).content.decode()
    last_day = formats.date_format(match.program.last_day, "DATE_FORMAT")
    assert 'id="program-ended"' in page
    assert f"{match.program.name} ended on {last_day}" in page
    assert "Widen your availability" not in page
    assert reverse("slot_propose", args=[match.pk]) not in page


@pytest.mark.parametrize("how", ["block", "end"])
def test_a_partnership_ended_during_a_session_leaves_no_session_under_way_on_the_dashboards(
    client, how
):
    match, sessions = scheduled_match()
    Session.objects.filter(pk=sessions[0].pk).update(
        starts_at=timezone.now() - dt.timedelta(minutes=10))
    nora, bruno = match.participant_a, match.participant_b
    client.force_login(bruno.user)
    if how == "block":
        client.post(reverse("room_block", args=[match.room.pk]))
    else:
        client.post(reverse("match_end", args=[match.pk]))
    for person in (nora, bruno):
        client.force_login(person.user)
        card = re.search(r'id="sessions-card">(.*?)</section>',
                         client.get(reverse("dashboard")).content.decode(), re.S).group(1)
        assert "under way" not in card
        assert "No session planned." in card
        assert reverse("session_ics", args=[sessions[0].pk]) not in card


def test_a_room_closed_during_a_session_shows_no_language_timer(client):
    match, sessions = scheduled_match()
    Session.objects.filter(pk=sessions[0].pk).update(
        starts_at=timezone.now() - dt.timedelta(minutes=10))
    client.force_login(match.participant_b.user)
    timer = client.get(reverse("room_timer", args=[match.room.pk])).content.decode()
    assert 'data-phase="running"' in timer  # the session is on, the room open
    client.post(reverse("room_block", args=[match.room.pk]))
    for person in (match.participant_a, match.participant_b):
        client.force_login(person.user)
        timer = client.get(reverse("room_timer", args=[match.room.pk])).content.decode()
        assert 'data-phase="none"' in timer and "Now:" not in timer
