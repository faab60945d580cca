"""The class sessions' pages: weekly times proposed and confirmed, one session cancelled
or moved, the calendars (one session's .ics, the teachers' and pupils' feeds, named in
their language), and what the page offers a paused or ended exchange."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from exchanges.models import (
    ClassroomExchange,
    ClassSessionProposal,
    Notification,
    Session,
)
from exchanges.services.class_sessions import (
    class_session_confirm,
    class_session_propose,
    teacher_calendar_ensure,
)
from tests.exchanges.class_exchange_fixtures import active_exchange
from tests.exchanges.classroom_fixtures import PUPIL_BACKEND, teacher
from tests.exchanges.views.move_form_markup import move_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def exchange_3_2():
    return active_exchange(3, 2)


def test_teachers_propose_and_confirm_class_sessions_through_the_pages(client, exchange_3_2):
    exchange, _, _ = exchange_3_2
    client.force_login(exchange.classroom_a.teacher)
    page = client.get(reverse("class_sessions", args=[exchange.pk])).content.decode()
    assert "Tuesday 14:00 in Coventry = Tuesday 15:00 in Dresden" in page
    propose = reverse("class_session_propose", args=[exchange.pk])
    response = client.post(propose, {"slot": "1|13:00|45"}, follow=True)
    assert "not inside both schools" in response.content.decode()
    response = client.post(propose, {"slot": "9|99:00|45"}, follow=True)
    assert "Pick one of the times offered" in response.content.decode()
    client.post(propose, {"slot": "1|14:00|45"})
    proposal = ClassSessionProposal.objects.get(exchange=exchange)
    confirm = reverse("class_session_confirm", args=[exchange.pk, proposal.pk])
    response = client.post(confirm, follow=True)
    assert "other class&#x27;s teacher confirms" in response.content.decode()
    client.force_login(exchange.classroom_b.teacher)
    response = client.post(confirm, follow=True)
    assert "class sessions are planned" in response.content.decode()
    assert Session.objects.filter(exchange=exchange).count() >= 10


def test_class_session_ics_and_the_teachers_feed(client, settings, exchange_3_2):
    settings.DEFAULT_FROM_EMAIL = "Jumelage <no-reply@jumelage.example>"
    exchange, pupils_a, _ = exchange_3_2
    a, b = exchange.classroom_a, exchange.classroom_b
    proposal = class_session_propose(exchange=exchange, by=a.teacher, weekday=1,
                                     local_start=dt.time(14, 0), minutes=45)
    sessions = class_session_confirm(proposal=proposal, by=b.teacher)
    client.force_login(b.teacher)
    response = client.get(reverse("class_session_ics", args=[sessions[0].pk]))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert f"UID:{sessions[0].uid}@jumelage" in body
    assert "SUMMARY:Class session: 7B (Coventry) and 7c (Dresden)" in body
    assert "ORGANIZER;CN=Jumelage:mailto:no-reply@jumelage.example" in body
    assert reverse("room_detail", args=[exchange.room.pk]) in body.replace("\r\n ", "")
    client.force_login(teacher())
    assert client.get(reverse("class_session_ics", args=[sessions[0].pk])).status_code == 404
    client.logout()
    for user in (a.teacher, b.teacher):
        token = teacher_calendar_ensure(user=user).token
        feed = client.get(reverse("teacher_calendar_feed", args=[token])).content.decode()
        assert feed.count("BEGIN:VEVENT") == len(sessions)
        # The platform organises the sessions; no teacher's address is published.
        assert feed.count("ORGANIZER;CN=Jumelage:mailto:no-reply@jumelage.example") == len(
            sessions)
        assert user.email not in feed
    assert client.get(reverse("teacher_calendar_feed", args=["nope"])).status_code == 404
    client.force_login(a.teacher)
    page = client.get(reverse("teacher_calendar")).content.decode()
    assert teacher_calendar_ensure(user=a.teacher).token in page
    client.post(reverse("teacher_calendar_rotate"))
    assert client.get(reverse("teacher_calendar_feed", args=[token])).status_code == 200
    old = teacher_calendar_ensure(user=b.teacher).token
    client.force_login(b.teacher)
    client.post(reverse("teacher_calendar_rotate"))
    assert client.get(reverse("teacher_calendar_feed", args=[old])).status_code == 404


def test_the_teachers_calendars_are_named_in_their_language(client, exchange_3_2):
    exchange, _, _ = exchange_3_2
    a, b = exchange.classroom_a, exchange.classroom_b
    proposal = class_session_propose(exchange=exchange, by=a.teacher, weekday=1,
                                     local_start=dt.time(14, 0), minutes=45)
    sessions = class_session_confirm(proposal=proposal, by=b.teacher)
    b.teacher.language = "de"
    b.teacher.save(update_fields=["language"])
    token = teacher_calendar_ensure(user=b.teacher).token
    feed = client.get(reverse("teacher_calendar_feed", args=[token])).content.decode()
    assert "X-WR-CALNAME:Jumelage-Sitzungen" in feed
    client.force_login(b.teacher)
    one = client.get(reverse("class_session_ics", args=[sessions[0].pk])).content.decode()
    assert "X-WR-CALNAME:Jumelage-Sitzungen" in one


def test_a_pupils_calendar_feed_lists_their_class_sessions(client, exchange_3_2):
    exchange, _, pupils_b = exchange_3_2
    a, b = exchange.classroom_a, exchange.classroom_b
    proposal = class_session_propose(exchange=exchange, by=a.teacher, weekday=1,
                                     local_start=dt.time(14, 0), minutes=45)
    sessions = class_session_confirm(proposal=proposal, by=b.teacher)
    member = pupils_b[0]
    client.force_login(member.user, backend=PUPIL_BACKEND)
    feed_url = reverse("calendar_feed", args=[member.calendar_token])
    assert feed_url in client.get(reverse("dashboard")).content.decode()
    client.logout()
    feed = client.get(feed_url).content.decode()
    assert feed.count("BEGIN:VEVENT") == len(sessions)
    assert "SUMMARY:Class session: 7B (Coventry) and 7c (Dresden)" in feed


def _sessions_page_in(client, exchange, status: str) -> str:
    """The exchange's sessions page, as its first teacher reads it in ``status``."""
    ClassroomExchange.objects.filter(pk=exchange.pk).update(status=status)
    client.force_login(exchange.classroom_a.teacher)
    return client.get(reverse("class_sessions", args=[exchange.pk])).content.decode()


@pytest.mark.parametrize("status, words", [
    ("paused", "The exchange is paused while its twinning is suspended"),
    ("ended", "The exchange has ended: no class session can be proposed"),
])
def test_the_sessions_page_of_a_paused_or_ended_exchange_offers_no_time(
    client, exchange_3_2, status, words
):
    exchange, _, _ = exchange_3_2
    page = _sessions_page_in(client, exchange, status)
    assert words in page
    assert reverse("class_session_propose", args=[exchange.pk]) not in page


@pytest.mark.parametrize("status, none", [
    ("active", "None yet."),
    ("paused", "None yet."),
    ("ended", "No sessions are to come: the exchange has ended."),
])
def test_the_sessions_to_come_of_an_ended_exchange_are_none_not_none_yet(
    client, exchange_3_2, status, none
):
    exchange, _, _ = exchange_3_2
    page = _sessions_page_in(client, exchange, status)
    upcoming = page.split('id="upcoming"', 1)[1].split("</section>", 1)[0]
    assert none in upcoming
    assert (status == "ended") == ("None yet." not in upcoming)


def test_an_unknown_session_length_on_the_sessions_page_says_so(client, exchange_3_2):
    exchange = exchange_3_2[0]
    client.force_login(exchange.classroom_a.teacher)
    page = client.get(reverse("class_sessions", args=[exchange.pk]) + "?minutes=9999")
    assert page.status_code == 200
    html = page.content.decode()
    assert "9999 is not one of the available choices" in html
    assert "Times for 45 minutes are shown." in html
    assert "not one of the available" not in client.get(
        reverse("class_sessions", args=[exchange.pk]) + "?minutes=30").content.decode()


def test_a_teacher_cancels_and_moves_one_class_session_from_the_sessions_page(
    client, exchange_3_2
):
    exchange, pupils_a, _ = exchange_3_2
    a, b = exchange.classroom_a, exchange.classroom_b
    proposal = class_session_propose(exchange=exchange, by=a.teacher, weekday=1,
                                     local_start=dt.time(14, 0), minutes=45)
    sessions = class_session_confirm(proposal=proposal, by=b.teacher)
    cancel_url = reverse("class_session_cancel", args=[sessions[0].pk])
    move_url = reverse("class_session_move", args=[sessions[1].pk])
    client.force_login(pupils_a[0].user, backend=PUPIL_BACKEND)
    assert client.post(cancel_url).status_code == 403
    client.force_login(teacher("stranger@school.test"))
    assert client.post(cancel_url).status_code == 404
    client.force_login(b.teacher)
    page = client.get(reverse("class_sessions", args=[exchange.pk])).content.decode()
    assert f'action="{cancel_url}"' in page and f'action="{move_url}"' in page

    response = client.post(cancel_url, {"reason": "Sports day"}, follow=True)
    assert "Class session cancelled" in response.content.decode()
    assert Session.objects.get(pk=sessions[0].pk).status == Session.Status.CANCELLED
    told = Notification.objects.filter(kind="class_session.cancelled").count()
    response = client.post(cancel_url, {"reason": "Sports day"}, follow=True)  # stale page
    assert "no longer scheduled" in response.content.decode()
    assert Notification.objects.filter(kind="class_session.cancelled").count() == told

    # Dresden's teacher types Dresden time: the Thursday after, 15:00 (14:00 in Coventry).
    berlin = ZoneInfo("Europe/Berlin")
    day = sessions[1].starts_at.astimezone(berlin).date() + dt.timedelta(days=2)
    thursday = dt.datetime.combine(day, dt.time(15, 0), tzinfo=berlin)
    response = client.post(move_url, {"new_start": thursday.strftime("%Y-%m-%dT%H:%M")},
                           follow=True)
    assert "Move proposed" in response.content.decode()
    client.force_login(a.teacher)
    page = client.get(reverse("class_sessions", args=[exchange.pk])).content.decode()
    confirm_url = reverse("class_session_move_confirm", args=[sessions[1].pk])
    assert f'action="{confirm_url}"' in page
    moving = Session.objects.get(pk=sessions[1].pk)
    client.post(confirm_url, {"move_to": moving.move_to.isoformat()})
    moved = Session.objects.get(pk=sessions[1].pk)
    assert moved.starts_at == thursday and moved.sequence == 1 and moved.move_to is None


def test_a_cancel_reason_over_the_notice_s_limit_is_refused_not_cut(client, exchange_3_2):
    exchange, _, _ = exchange_3_2
    a, b = exchange.classroom_a, exchange.classroom_b
    proposal = class_session_propose(exchange=exchange, by=a.teacher, weekday=1,
                                     local_start=dt.time(14, 0), minutes=45)
    sessions = class_session_confirm(proposal=proposal, by=b.teacher)
    cancel_url = reverse("class_session_cancel", args=[sessions[0].pk])
    client.force_login(b.teacher)
    page = client.get(reverse("class_sessions", args=[exchange.pk])).content.decode()
    assert 'name="reason" maxlength="200"' in page

    response = client.post(cancel_url, {"reason": "x" * 201}, follow=True)
    assert "at most 200 characters (it has 201)." in response.content.decode()
    assert Session.objects.get(pk=sessions[0].pk).status == Session.Status.SCHEDULED
    assert not Notification.objects.filter(kind="class_session.cancelled").exists()

    response = client.post(cancel_url, {"reason": "y" * 200}, follow=True)
    assert "Class session cancelled" in response.content.decode()
    assert Session.objects.get(pk=sessions[0].pk).status == Session.Status.CANCELLED
    told = Notification.objects.get(user=a.teacher, kind="class_session.cancelled")
    assert "y" * 200 in told.params["reason"]


def test_a_refused_class_move_comes_back_as_typed_with_the_reason_beside_it(
    client, exchange_3_2
):
    exchange, _, _ = exchange_3_2
    a, b = exchange.classroom_a, exchange.classroom_b
    proposal = class_session_propose(exchange=exchange, by=a.teacher, weekday=1,
                                     local_start=dt.time(14, 0), minutes=45)
    sessions = class_session_confirm(proposal=proposal, by=b.teacher)
    client.force_login(b.teacher)
    url = reverse("class_session_move", args=[sessions[1].pk])
    berlin = ZoneInfo("Europe/Berlin")
    night = (sessions[1].starts_at.astimezone(berlin).date() + dt.timedelta(days=1)).strftime(
        "%Y-%m-%dT22:00")  # after both schools' day
    response = client.post(url, {"new_start": night})
    assert response.status_code == 400
    page = response.content.decode()
    shown = move_form(page, url)
    assert shown.value == night and shown.invalid and shown.opened
    assert shown.errors == [
        "That time is not inside both schools' shared school time: pick one the sessions "
        "page lists as shared."
    ]
    other = move_form(page, reverse("class_session_move", args=[sessions[2].pk]))
    assert other.errors == [] and not other.opened
    response = client.post(url, {"new_start": "2027-02-30T10:00"})  # refused by the form
    shown = move_form(response.content.decode(), url)
    assert response.status_code == 400 and shown.value == "2027-02-30T10:00"
    assert shown.errors == ["Give the new date and time, e.g. 2027-03-10 14:00."]
    assert Session.objects.get(pk=sessions[1].pk).move_to is None
    assert not Notification.objects.filter(kind="class_session.move_proposed").exists()


def test_a_move_of_a_class_session_cancelled_meanwhile_is_refused_in_words(
    client, exchange_3_2
):
    exchange, _, _ = exchange_3_2
    a, b = exchange.classroom_a, exchange.classroom_b
    proposal = class_session_propose(exchange=exchange, by=a.teacher, weekday=1,
                                     local_start=dt.time(14, 0), minutes=45)
    sessions = class_session_confirm(proposal=proposal, by=b.teacher)
    client.force_login(a.teacher)
    client.post(reverse("class_session_cancel", args=[sessions[1].pk]))
    client.force_login(b.teacher)
    start = sessions[1].starts_at.astimezone(ZoneInfo("Europe/Berlin"))
    response = client.post(reverse("class_session_move", args=[sessions[1].pk]),
                           {"new_start": start.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 400
    assert "This class session is no longer scheduled." in response.content.decode()
    assert Session.objects.get(pk=sessions[1].pk).move_to is None


def test_a_class_move_sent_with_the_sessions_own_time_asks_nothing(client, exchange_3_2):
    exchange, _, _ = exchange_3_2
    a, b = exchange.classroom_a, exchange.classroom_b
    sessions = class_session_confirm(
        proposal=class_session_propose(exchange=exchange, by=a.teacher, weekday=1,
                                       local_start=dt.time(14, 0), minutes=45),
        by=b.teacher)
    client.force_login(b.teacher)
    url = reverse("class_session_move", args=[sessions[1].pk])
    page = client.get(reverse("class_sessions", args=[exchange.pk])).content.decode()
    response = client.post(url, {"new_start": move_form(page, url).value})
    assert response.status_code == 400
    assert move_form(response.content.decode(), url).errors == [
        "That is the session's time already: pick another time."]
    assert Session.objects.get(pk=sessions[1].pk).move_to is None
    assert not Notification.objects.filter(kind="class_session.move_proposed").exists()


def _slot_radio(page: str, key: str) -> str | None:
    import re

    found = re.search(rf'<input type="radio" name="slot" value="{re.escape(key)}"[^>]*>', page)
    return found.group(0) if found else None


def test_a_refused_weekly_time_comes_back_chosen_with_the_reason_beside_it(
    client, exchange_3_2
):
    """The 30-minute Tuesday 14:00 the teacher picked was taken by Coventry's other
    partner class meanwhile: the page comes back (400) showing 30-minute times, theirs
    still picked, the reason beside it, and nothing proposed."""
    import html
    import re

    from tests.exchanges.classroom_fixtures import classroom, twin_cities

    first, _, _ = exchange_3_2
    coventry = first.classroom_a
    _, dresden, twinning = twin_cities()
    other = classroom(teacher_user=teacher(), city=dresden, speaks="de", learns="en",
                      name="8d", hours=[(1, "15:00", "17:00"), (3, "15:00", "17:00")])
    second = ClassroomExchange.objects.create(
        twinning=twinning, classroom_a=coventry, classroom_b=other,
        status=ClassroomExchange.Status.ACTIVE)
    client.force_login(other.teacher)
    page = client.get(reverse("class_sessions", args=[second.pk]), {"minutes": 30})
    assert _slot_radio(page.content.decode(), "1|14:00|30") is not None  # offered then
    class_session_confirm(  # the first partner class takes Tuesdays at 14:00 meanwhile
        proposal=class_session_propose(exchange=first, by=coventry.teacher, weekday=1,
                                       local_start=dt.time(14, 0), minutes=45),
        by=first.classroom_b.teacher)
    response = client.post(reverse("class_session_propose", args=[second.pk]),
                           {"slot": "1|14:00|30"})
    assert response.status_code == 400
    page = response.content.decode()
    chosen = _slot_radio(page, "1|14:00|30")
    assert chosen is not None and " checked" in chosen and 'aria-invalid="true"' in chosen
    assert _slot_radio(page, "3|14:00|30") is not None  # the 30-minute times are shown
    assert '<option value="30" selected>' in page
    errors = [html.unescape(e) for e in re.findall(
        r'<p class="error" role="alert" id="slot-error">(.*?)</p>', page)]
    assert errors == ["One of the two classes meets another partner class at that time in "
                      "some weeks: pick another time."]
    assert not ClassSessionProposal.objects.filter(exchange=second).exists()


def test_a_weekly_time_outside_the_shared_hours_is_refused_on_the_page(client, exchange_3_2):
    exchange, _, _ = exchange_3_2
    client.force_login(exchange.classroom_a.teacher)
    response = client.post(reverse("class_session_propose", args=[exchange.pk]),
                           {"slot": "1|13:00|45"})
    assert response.status_code == 400
    assert "This time is not inside both schools&#x27; hours." in response.content.decode()
    response = client.post(reverse("class_session_propose", args=[exchange.pk]),
                           {"slot": "9|99:00|45"})
    assert response.status_code == 400
    assert "Pick one of the times offered." in response.content.decode()
    assert not ClassSessionProposal.objects.filter(exchange=exchange).exists()


def test_a_forged_time_between_the_offered_ones_is_refused_on_the_page(client, exchange_3_2):
    exchange, _, _ = exchange_3_2
    client.force_login(exchange.classroom_a.teacher)
    response = client.post(reverse("class_session_propose", args=[exchange.pk]),
                           {"slot": "1|14:07|45"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="1|14:07|45"' not in page  # never offered
    errors = re.findall(r'<p class="error" role="alert" id="slot-error">(.*?)</p>', page)
    assert errors == ["Pick one of the times offered."]
    assert not ClassSessionProposal.objects.filter(exchange=exchange).exists()


def test_the_length_selector_shows_the_length_of_the_times_listed(client, exchange_3_2):
    """With no length asked, 45-minute times are listed, so 45 is the one selected (an
    unselected list shows its first entry, 30, beside 45-minute times)."""
    exchange, _, _ = exchange_3_2
    client.force_login(exchange.classroom_a.teacher)
    page = client.get(reverse("class_sessions", args=[exchange.pk])).content.decode()
    assert '<option value="45" selected>' in page
    assert "(45 min)" in page and "(30 min)" not in page
