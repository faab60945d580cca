"""The teachers' pupil-pairs and class-sessions pages through the client: who may see
them (partner teacher yes, another teacher 404, pupils 403), the POSTs, the pupil's
interests page, and the ICS of a class session and the teacher's feed."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exchanges.models import (
    ClassroomExchange,
    ClassSessionProposal,
    Notification,
    PupilPairing,
    Session,
)
from exchanges.services.class_sessions import (
    class_session_confirm,
    class_session_propose,
    teacher_calendar_ensure,
)
from exchanges.services.pupil_pairing import pairing_confirm, pairing_propose
from tests.exchanges.class_exchange_fixtures import active_exchange
from tests.exchanges.classroom_fixtures import PUPIL_BACKEND, pupil, teacher

pytestmark = pytest.mark.django_db


@pytest.fixture
def exchange_3_2():
    return active_exchange(3, 2)


def _pages(exchange):
    return [reverse("pupil_pairing", args=[exchange.pk]),
            reverse("class_sessions", args=[exchange.pk])]


def test_both_teachers_see_the_pages_another_teacher_gets_404_pupils_403(client, exchange_3_2):
    exchange, pupils_a, _ = exchange_3_2
    for user in (exchange.classroom_a.teacher, exchange.classroom_b.teacher):
        client.force_login(user)
        for url in _pages(exchange):
            assert client.get(url).status_code == 200
    client.force_login(teacher())
    for url in _pages(exchange):
        assert client.get(url).status_code == 404
        assert client.post(url + "propose/").status_code == 404
    client.force_login(pupils_a[0].user, backend=PUPIL_BACKEND)
    for url in _pages(exchange):
        assert client.get(url).status_code == 403
        assert client.post(url + "propose/").status_code == 403
    client.logout()
    assert client.get(_pages(exchange)[0]).status_code == 302


def test_teachers_propose_swap_and_confirm_pairs_through_the_pages(client, exchange_3_2):
    exchange, pupils_a, _ = exchange_3_2
    teacher_a, teacher_b = exchange.classroom_a.teacher, exchange.classroom_b.teacher
    url = reverse("pupil_pairing", args=[exchange.pk])
    client.force_login(teacher_a)
    response = client.post(reverse("pairing_propose", args=[exchange.pk]), follow=True)
    assert "Pairs proposed" in response.content.decode()
    pairing = PupilPairing.objects.get(exchange=exchange)
    page = client.get(url).content.decode()
    assert "A group of 3" in page
    for member in pupils_a:
        assert member.user.display_name in page
    swap = reverse("pairing_swap", args=[exchange.pk])
    # Two pupils of class A in different groups (the trio holds two of the three).
    first = pupils_a[0]
    second = next(p for p in pupils_a[1:] if not pairing.groups.filter(
        members=first).filter(members=p).exists())
    response = client.post(swap, {"pupil_a": first.pk, "pupil_b": second.pk}, follow=True)
    assert "swapped" in response.content.decode()
    response = client.post(swap, {"pupil_a": "x", "pupil_b": ""}, follow=True)
    assert response.status_code == 200 and "swapped" not in response.content.decode()
    response = client.post(swap, {"pupil_a": pupils_a[0].pk, "pupil_b": 999999}, follow=True)
    assert "Pick two pupils of these pairs" in response.content.decode()
    client.post(reverse("pairing_confirm", args=[exchange.pk]))
    client.force_login(teacher_b)
    response = client.post(reverse("pairing_confirm", args=[exchange.pk]), follow=True)
    assert "The pairs are final" in response.content.decode()
    pairing.refresh_from_db()
    assert pairing.status == PupilPairing.Status.CONFIRMED
    page = client.get(url).content.decode()
    for group in pairing.groups.all():
        assert reverse("room_detail", args=[group.room_id]) in page


def test_a_pupil_picks_interests_from_the_list(client, exchange_3_2):
    _, pupils_a, _ = exchange_3_2
    member = pupils_a[0]
    client.force_login(member.user, backend=PUPIL_BACKEND)
    url = reverse("pupil_interests")
    assert "Football" in client.get(url).content.decode()
    client.post(url, {"interests": ["football", "space"]})
    assert sorted(member.interests.values_list("slug", flat=True)) == ["football", "space"]
    response = client.post(url, {"interests": ["my-phone-number"]})
    assert response.status_code == 400
    assert sorted(member.interests.values_list("slug", flat=True)) == ["football", "space"]
    client.force_login(teacher())
    assert client.get(url).status_code == 404


def test_a_teacher_picks_a_pupils_interests_for_them(client, exchange_3_2):
    exchange, pupils_a, _ = exchange_3_2
    member = pupils_a[0]
    classroom = exchange.classroom_a
    client.force_login(classroom.teacher)
    url = reverse("pupil_interests_by_teacher", args=[classroom.pk, member.pk])
    response = client.post(url, {"interests": ["space"]}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("classroom_detail", args=[classroom.pk])
    assert f"{member.user.display_name}&#x27;s interests are saved." in response.content.decode()
    assert list(member.interests.values_list("slug", flat=True)) == ["space"]
    response = client.post(url, {"interests": ["my-phone-number"]})
    assert response.status_code == 400
    assert list(member.interests.values_list("slug", flat=True)) == ["space"]
    client.force_login(exchange.classroom_b.teacher)  # not their pupil
    assert client.post(url, {"interests": ["football"]}).status_code == 404


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


def test_class_session_ics_and_the_teachers_feed(client, exchange_3_2):
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
    assert reverse("room_detail", args=[exchange.room.pk]) in body.replace("\r\n ", "")
    client.force_login(teacher())
    assert client.get(reverse("class_session_ics", args=[sessions[0].pk])).status_code == 404
    client.logout()
    for user in (a.teacher, b.teacher):
        token = teacher_calendar_ensure(user=user).token
        feed = client.get(reverse("teacher_calendar_feed", args=[token])).content.decode()
        assert feed.count("BEGIN:VEVENT") == len(sessions)
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


def test_pairing_page_lists_pupils_who_joined_after_the_proposal(client, exchange_3_2):
    exchange, _, _ = exchange_3_2
    pairing_propose(exchange=exchange, by=exchange.classroom_a.teacher)
    pupil(exchange.classroom_b, "Zoe Q.")
    client.force_login(exchange.classroom_b.teacher)
    page = client.get(reverse("pupil_pairing", args=[exchange.pk])).content.decode()
    assert "Joined since these pairs were proposed" in page and "Zoe Q." in page


def test_the_class_room_timer_shows_the_class_sessions_language(client, exchange_3_2):
    exchange, pupils_a, _ = exchange_3_2
    Session.objects.create(
        exchange=exchange, starts_at=timezone.now() - dt.timedelta(minutes=5), minutes=45,
        language_plan=[{"language": "de", "minutes": 22, "for": exchange.classroom_a_id},
                       {"language": "en", "minutes": 23, "for": exchange.classroom_b_id}],
    )
    client.force_login(pupils_a[0].user, backend=PUPIL_BACKEND)
    body = client.get(reverse("room_timer", args=[exchange.room.pk])).content.decode()
    assert "German" in body


def test_the_teachers_home_links_each_exchange_to_its_pairs_and_sessions(client, exchange_3_2):
    exchange, _, _ = exchange_3_2
    client.force_login(exchange.classroom_b.teacher)
    page = client.get(reverse("classes")).content.decode()
    assert reverse("pupil_pairing", args=[exchange.pk]) in page
    assert reverse("class_sessions", args=[exchange.pk]) in page
    assert reverse("teacher_calendar") in page


def test_a_pupils_home_links_to_the_interests_page_and_their_pairs_room(client, exchange_3_2):
    exchange, pupils_a, _ = exchange_3_2
    teacher_a, teacher_b = exchange.classroom_a.teacher, exchange.classroom_b.teacher
    pairing = pairing_propose(exchange=exchange, by=teacher_a)
    for user in (teacher_a, teacher_b):
        pairing_confirm(pairing=pairing, by=user)
    group_room = pairing.groups.get(members=pupils_a[0]).room
    client.force_login(pupils_a[0].user, backend=PUPIL_BACKEND)
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("pupil_interests") in page
    assert reverse("room_detail", args=[group_room.pk]) in page
    assert client.get(reverse("room_detail", args=[group_room.pk])).status_code == 200
    other = pairing.groups.exclude(members=pupils_a[0]).first().room
    assert client.get(reverse("room_detail", args=[other.pk])).status_code == 404


def test_a_teacher_picks_interests_for_their_own_pupils_only(client, exchange_3_2):
    exchange, pupils_a, pupils_b = exchange_3_2
    a = exchange.classroom_a
    url = reverse("pupil_interests_by_teacher", args=[a.pk, pupils_a[0].pk])
    client.force_login(a.teacher)
    assert reverse("pupil_interests_by_teacher", args=[a.pk, pupils_a[0].pk]) in client.get(
        reverse("classroom_detail", args=[a.pk])).content.decode()
    assert "What does Amelia K. like?" in client.get(url).content.decode()
    client.post(url, {"interests": ["music"]})
    assert list(pupils_a[0].interests.values_list("slug", flat=True)) == ["music"]
    other = reverse("pupil_interests_by_teacher", args=[a.pk, pupils_b[0].pk])
    assert client.get(other).status_code == 404
    client.force_login(exchange.classroom_b.teacher)
    assert client.get(url).status_code == 404
    client.force_login(pupils_a[0].user, backend=PUPIL_BACKEND)
    assert client.get(url).status_code == 403


def _page_queries(client, exchange) -> int:
    pairing = pairing_propose(exchange=exchange, by=exchange.classroom_a.teacher)
    pairing_confirm(pairing=pairing, by=exchange.classroom_a.teacher)
    client.force_login(exchange.classroom_a.teacher)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("pupil_pairing", args=[exchange.pk])).status_code == 200
    return len(queries)


def test_the_pairing_page_makes_as_many_queries_for_a_big_class_as_for_a_small_one(client):
    small, _, _ = active_exchange(2, 2)
    big, _, _ = active_exchange(7, 6)
    assert _page_queries(client, big) == _page_queries(client, small)


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


def test_either_teacher_ends_the_exchange_from_the_home_page_after_a_question(
    client, exchange_3_2
):
    exchange, pupils_a, _ = exchange_3_2
    end_url = reverse("class_exchange_end", args=[exchange.pk])
    client.force_login(exchange.classroom_b.teacher)
    home = client.get(reverse("classes")).content.decode()
    form_at = home.index(f'action="{end_url}"')
    assert "data-confirm=\"End this exchange for both classes?" in home[form_at:form_at + 300]
    response = client.post(end_url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("classes")
    assert "The exchange has ended" in response.content.decode()
    exchange.refresh_from_db()
    assert exchange.status == ClassroomExchange.Status.ENDED
    assert Notification.objects.filter(user=exchange.classroom_a.teacher,
                                       kind="classroom.exchange_ended").exists()
    again = client.post(end_url, follow=True).content.decode()
    assert "This exchange has ended already." in again


def test_another_teacher_and_pupils_cannot_end_an_exchange(client, exchange_3_2):
    exchange, pupils_a, _ = exchange_3_2
    end_url = reverse("class_exchange_end", args=[exchange.pk])
    client.force_login(teacher())
    assert client.post(end_url).status_code == 404
    client.force_login(pupils_a[0].user, backend=PUPIL_BACKEND)
    assert client.post(end_url).status_code == 403
    assert client.get(end_url).status_code in (403, 405)
    exchange.refresh_from_db()
    assert exchange.status == ClassroomExchange.Status.ACTIVE


@pytest.mark.parametrize("status, words", [
    ("paused", "The exchange is paused while its twinning is suspended"),
    ("ended", "The exchange has ended: no class session can be proposed"),
])
def test_the_sessions_page_of_a_paused_or_ended_exchange_offers_no_time(
    client, exchange_3_2, status, words
):
    exchange, _, _ = exchange_3_2
    ClassroomExchange.objects.filter(pk=exchange.pk).update(status=status)
    client.force_login(exchange.classroom_a.teacher)
    page = client.get(reverse("class_sessions", args=[exchange.pk])).content.decode()
    assert words in page
    assert reverse("class_session_propose", args=[exchange.pk]) not in page


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


def test_a_pupil_is_told_du_on_the_refusal_page_and_the_home_page(client, exchange_3_2):
    exchange, pupils_a, _ = exchange_3_2
    user = pupils_a[0].user
    user.language = "de"
    user.save(update_fields=["language"])
    client.force_login(user, backend=PUPIL_BACKEND)
    refused = client.get(_pages(exchange)[0], HTTP_ACCEPT_LANGUAGE="de")
    assert refused.status_code == 403
    assert "Mit deinem Konto kannst du diese Seite nicht öffnen." in refused.content.decode()
    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Zu deiner Übersicht" in home and "Ihrer" not in home


def test_a_pupil_sets_their_password_on_their_own_page_not_allauths(client, exchange_3_2):
    _, pupils_a, _ = exchange_3_2
    client.force_login(pupils_a[0].user, backend=PUPIL_BACKEND)
    response = client.get("/accounts/password/change/")
    assert response.status_code == 302 and response["Location"] == reverse("pupil_password")
    client.force_login(teacher())
    assert client.get("/accounts/password/change/").status_code == 200


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
