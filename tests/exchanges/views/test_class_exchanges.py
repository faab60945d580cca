"""The teachers' pupil-pairs pages through the client: who may see them and the class
sessions' page (partner teacher yes, another teacher 404, pupils 403), the POSTs, the
pupils' interests pages, ending an exchange, and what a pupil is told (the class
sessions' own pages: test_class_session_pages.py)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exchanges.models import (
    ClassroomExchange,
    Notification,
    Participant,
    PupilPairing,
    Session,
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


def _shown(client, url) -> str:
    """The version of the pairs the teacher's page shows (its confirm form's field)."""
    page = client.get(url).content.decode()
    return page.split('name="version" value="')[1].split('"')[0]


def test_a_confirmation_from_a_page_showing_older_pairs_is_refused_and_a_second_changes_nothing(
    client, exchange_3_2
):
    exchange, pupils_a, _ = exchange_3_2
    teacher_a, teacher_b = exchange.classroom_a.teacher, exchange.classroom_b.teacher
    url = reverse("pupil_pairing", args=[exchange.pk])
    confirm = reverse("pairing_confirm", args=[exchange.pk])
    pairing_propose(exchange=exchange, by=teacher_b)
    client.force_login(teacher_a)
    stale = _shown(client, url)
    pairing_propose(exchange=exchange, by=teacher_b)  # proposed again meanwhile
    response = client.post(confirm, {"version": stale}, follow=True)
    assert "The pairs changed since your page showed them" in response.content.decode()
    live = PupilPairing.objects.get(status=PupilPairing.Status.PROPOSED)
    assert live.confirmed_a_at is None
    assert client.post(confirm, follow=True).status_code == 200  # no version: refused too
    live.refresh_from_db()
    assert live.confirmed_a_at is None

    current = _shown(client, url)
    client.post(confirm, {"version": current})
    response = client.post(confirm, {"version": current}, follow=True)  # a double click
    assert "You have confirmed these pairs already" in response.content.decode()
    assert Notification.objects.filter(user=teacher_b, kind="pairing.confirmed").count() == 1
    live.refresh_from_db()
    assert live.confirmed_a_at is not None and live.status == PupilPairing.Status.PROPOSED


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
    client.post(reverse("pairing_confirm", args=[exchange.pk]), {"version": _shown(client, url)})
    client.force_login(teacher_b)
    response = client.post(reverse("pairing_confirm", args=[exchange.pk]),
                           {"version": _shown(client, url)}, follow=True)
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


def test_either_teacher_ends_the_exchange_from_the_home_page_after_a_question(
    client, exchange_3_2
):
    exchange, pupils_a, _ = exchange_3_2
    end_url = reverse("class_exchange_end", args=[exchange.pk])
    client.force_login(exchange.classroom_b.teacher)
    home = client.get(reverse("classes")).content.decode()
    form_at = home.index(f'action="{end_url}"')
    question = home[form_at:form_at + 500]
    assert "data-confirm=\"End this exchange for both classes?" in question
    # The pupils are told too, and the question and the answer say so.
    assert "the other teacher and the pupils of both classes are told" in question
    response = client.post(end_url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("classes")
    assert ("The exchange has ended: its rooms are closed, and the other teacher and the "
            "pupils of both classes are told.") in response.content.decode()
    exchange.refresh_from_db()
    assert exchange.status == ClassroomExchange.Status.ENDED
    told = Notification.objects.filter(kind="classroom.exchange_ended")
    assert set(told.values_list("user_id", flat=True)) == {
        exchange.classroom_a.teacher.pk, *(p.user_id for p in Participant.objects.filter(
            classroom_id__in=exchange.classroom_ids))}
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


@pytest.mark.parametrize("status", ["ended", "paused"])
def test_pairs_proposed_before_the_exchange_stopped_are_neither_offered_nor_confirmed(
    client, exchange_3_2, status
):
    """Pairs still proposed when the exchange ended (or paused): the page offers no swap,
    confirm or new proposal and says why; a confirmation or swap sent from an older page
    is refused in words, and no pair's room opens on a stopped exchange."""
    from exchanges.models import ClassroomExchange, Room

    exchange, pupils_a, _ = exchange_3_2
    teacher_a, teacher_b = exchange.classroom_a.teacher, exchange.classroom_b.teacher
    pairing = pairing_propose(exchange=exchange, by=teacher_a)
    pairing_confirm(pairing=pairing, by=teacher_a)
    ClassroomExchange.objects.filter(pk=exchange.pk).update(status=status)
    client.force_login(teacher_b)
    page = client.get(reverse("pupil_pairing", args=[exchange.pk])).content.decode()
    for name in ("pairing_confirm", "pairing_swap", "pairing_propose"):
        assert f'action="{reverse(name, args=[exchange.pk])}"' not in page, name
    # An ended exchange is not active again: its page says that it ended.
    said = ("The exchange has ended: no pairs can be proposed or confirmed." if status == "ended"
            else "Pupils are paired while the exchange is active.")
    assert said in page
    response = client.post(reverse("pairing_confirm", args=[exchange.pk]), follow=True)
    assert said in response.content.decode()
    assert (status == "ended") == (
        "Pupils are paired while the exchange is active." not in response.content.decode())
    members = [m.pk for g in pairing.groups.all() for m in g.members.all()
               if m.classroom_id == exchange.classroom_a_id][:2]
    response = client.post(reverse("pairing_swap", args=[exchange.pk]),
                           {"pupil_a": members[0], "pupil_b": members[1]}, follow=True)
    assert said in response.content.decode()
    pairing.refresh_from_db()
    assert pairing.status == PupilPairing.Status.PROPOSED and pairing.confirmed_b_at is None
    assert not Room.objects.filter(pupil_group__pairing=pairing).exists()


def test_pairs_withdrawn_by_a_pupils_removal_are_refused_in_words_from_an_older_page(
    client, exchange_3_2
):
    """The other teacher's page still shows the pairs that a pupil's removal withdrew: a
    confirmation or swap sent from it says so on the pairs page, not a bare 404."""
    exchange, pupils_a, _ = exchange_3_2
    teacher_a, teacher_b = exchange.classroom_a.teacher, exchange.classroom_b.teacher
    pairing = pairing_propose(exchange=exchange, by=teacher_a)
    url = reverse("pupil_pairing", args=[exchange.pk])
    client.force_login(teacher_b)
    stale = _shown(client, url)
    pair = next(g for g in pairing.groups.all() if g.members.count() == 2)
    leaving = next(m for m in pair.members.all() if m.classroom_id == exchange.classroom_a_id)
    client.force_login(teacher_a)
    client.post(reverse("pupil_remove", args=[exchange.classroom_a_id, leaving.pk]))
    assert not PupilPairing.objects.filter(status=PupilPairing.Status.PROPOSED).exists()
    client.force_login(teacher_b)
    for name, data in (("pairing_confirm", {"version": stale}),
                       ("pairing_swap", {"pupil_a": pupils_a[1].pk, "pupil_b": pupils_a[2].pk})):
        response = client.post(reverse(name, args=[exchange.pk]), data)
        assert response.status_code == 302 and response["Location"] == url, name
        page = client.get(url).content.decode()
        assert "These pairs were withdrawn" in page, name


def test_classes_too_few_to_pair_are_refused_in_the_teachers_language(client, monkeypatch):
    """The size refusal goes through gettext, as the rest of the page does (a
    marker stands in for a catalogue here)."""
    from django.utils import translation

    exchange, _pupils_a, _pupils_b = active_exchange(2, 0)
    client.force_login(exchange.classroom_a.teacher)
    monkeypatch.setattr(translation._trans, "gettext", lambda message: f"⟦{message}⟧")
    response = client.post(reverse("pairing_propose", args=[exchange.pk]), follow=True)
    assert "⟦Both classes need pupils before they can be paired.⟧" in response.content.decode()
    assert not PupilPairing.objects.filter(exchange=exchange).exists()
