"""Pairing pupils across the two classes: the engine's proposal covers everyone (a trio
where sizes differ), swaps keep groups across classes, both teachers confirm, rooms."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from exchanges.models import ClassroomLanguage, Notification, PupilPairing, RoomMember
from exchanges.selectors.moderation import exchange_rooms
from exchanges.services.pupil_interests import pupil_interests_set
from exchanges.services.pupil_pairing import pairing_confirm, pairing_propose, pairing_swap
from exchanges.services.pupils import pupil_remove, pupils_add
from tests.exchanges.class_exchange_fixtures import active_exchange, confirmed_pairing
from tests.exchanges.classroom_fixtures import teacher

pytestmark = pytest.mark.django_db


def _groups(pairing):
    return [sorted(m.pk for m in g.members.all()) for g in pairing.groups.all()]


def _teachers(exchange):
    return exchange.classroom_a.teacher, exchange.classroom_b.teacher


def test_odd_sizes_make_one_trio_and_leave_nobody_out():
    exchange, pupils_a, pupils_b = active_exchange(5, 4)
    pairing = pairing_propose(exchange=exchange, by=_teachers(exchange)[0])
    groups = _groups(pairing)
    sizes = sorted(len(g) for g in groups)
    assert sizes == [2, 2, 2, 3]
    everyone = sorted(p.pk for p in pupils_a + pupils_b)
    assert sorted(pk for g in groups for pk in g) == everyone
    b_ids = {p.pk for p in pupils_b}
    for group in groups:  # every group mixes the two classes
        assert 0 < len(set(group) & b_ids) < len(group)
    (trio,) = [g for g in pairing.groups.all() if g.members.count() == 3]
    assert trio.explanation["sentence"].startswith("A group of 3")
    assert len(trio.explanation["pairs"]) == 2


def test_equal_sizes_make_pairs_that_follow_shared_interests():
    exchange, (a1, a2), (b1, b2) = active_exchange(2, 2)
    teacher_a, teacher_b = _teachers(exchange)
    pupil_interests_set(pupil=a1, by=a1.user, slugs=["space", "music"])
    pupil_interests_set(pupil=b2, by=teacher_b, slugs=["space", "music"])
    pupil_interests_set(pupil=a2, by=teacher_a, slugs=["football"])
    pupil_interests_set(pupil=b1, by=b1.user, slugs=["football", "films"])
    pairing = pairing_propose(exchange=exchange, by=teacher_b)
    assert sorted(_groups(pairing)) == sorted([sorted([a1.pk, b2.pk]), sorted([a2.pk, b1.pk])])
    group = pairing.groups.get(members=a1)
    assert group.explanation["shared_interests"] == ["music", "space"]
    assert group.explanation["pairs"][0]["engine"]["shared_interests"] == ["music", "space"]
    assert group.score > 0


def test_interests_come_from_the_list_and_only_from_the_pupil_or_their_teacher():
    exchange, (a1,), (b1,) = active_exchange(1, 1)
    with pytest.raises(ValidationError):
        pupil_interests_set(pupil=a1, by=a1.user, slugs=["my-instagram"])
    with pytest.raises(ValidationError):
        pupil_interests_set(pupil=a1, by=a1.user, slugs=["music", "space", "films", "books",
                                                         "dance", "games"])
    with pytest.raises(PermissionDenied):
        pupil_interests_set(pupil=a1, by=_teachers(exchange)[1], slugs=["music"])
    with pytest.raises(PermissionDenied):
        pupil_interests_set(pupil=a1, by=b1.user, slugs=["music"])


def test_only_the_two_teachers_propose():
    exchange, _, _ = active_exchange(2, 2)
    with pytest.raises(PermissionDenied):
        pairing_propose(exchange=exchange, by=teacher())


def test_classes_too_different_in_size_are_refused_with_a_reason():
    exchange, _, _ = active_exchange(1, 4)
    with pytest.raises(ValidationError, match="differ too much"):
        pairing_propose(exchange=exchange, by=_teachers(exchange)[0])


def test_proposing_again_replaces_the_open_proposal():
    exchange, _, _ = active_exchange(3, 3)
    first = pairing_propose(exchange=exchange, by=_teachers(exchange)[0])
    second = pairing_propose(exchange=exchange, by=_teachers(exchange)[1])
    first.refresh_from_db()
    assert first.status == PupilPairing.Status.REPLACED
    assert second.status == PupilPairing.Status.PROPOSED


def test_swap_exchanges_two_pupils_of_one_class_and_clears_confirmations():
    exchange, pupils_a, pupils_b = active_exchange(3, 3)
    teacher_a, teacher_b = _teachers(exchange)
    pairing = pairing_propose(exchange=exchange, by=teacher_a)
    pairing_confirm(pairing=pairing, by=teacher_a)
    x, y = pupils_a[0], pupils_a[1]
    partner_of_x = pairing.groups.get(members=x).members.exclude(pk=x.pk).get()
    pairing_swap(pairing=pairing, by=teacher_b, pupil_a=x, pupil_b=y)
    pairing.refresh_from_db()
    assert pairing.confirmed_a_at is None and pairing.confirmed_b_at is None
    new_group = pairing.groups.get(members=y)
    assert set(new_group.members.values_list("pk", flat=True)) == {y.pk, partner_of_x.pk}
    assert new_group.explanation["swapped"] is True
    with pytest.raises(ValidationError, match="same class"):
        pairing_swap(pairing=pairing, by=teacher_a, pupil_a=x, pupil_b=pupils_b[0])
    with pytest.raises(PermissionDenied):
        pairing_swap(pairing=pairing, by=teacher(), pupil_a=x, pupil_b=y)


def test_both_teachers_confirm_then_each_group_gets_its_room():
    exchange, pupils_a, pupils_b = active_exchange(3, 2)
    teacher_a, teacher_b = _teachers(exchange)
    pairing = pairing_propose(exchange=exchange, by=teacher_a)
    pairing = pairing_confirm(pairing=pairing, by=teacher_a)
    assert pairing.status == PupilPairing.Status.PROPOSED
    assert all(g.room_id is None for g in pairing.groups.all())
    with pytest.raises(PermissionDenied):
        pairing_confirm(pairing=pairing, by=pupils_a[0].user)
    pairing = pairing_confirm(pairing=pairing, by=teacher_b)
    assert pairing.status == PupilPairing.Status.CONFIRMED
    for group in pairing.groups.all():
        roles = dict(group.room.memberships.values_list("user_id", "role"))
        expected = {m.user_id: RoomMember.Role.MEMBER for m in group.members.all()}
        expected[teacher_a.pk] = expected[teacher_b.pk] = RoomMember.Role.MODERATOR
        assert roles == expected
    assert exchange_rooms(exchange=exchange).count() == 1 + pairing.groups.count()
    trio = next(g for g in pairing.groups.all() if g.members.count() == 3)
    centre = next(m for m in trio.members.all() if m.classroom_id == exchange.classroom_b_id)
    note = Notification.objects.get(user=centre.user, kind="pairing.room")
    assert note.text.startswith("Your partners are ") and note.url.endswith(
        f"/rooms/{trio.room_id}/")
    with pytest.raises(ValidationError):
        pairing_swap(pairing=pairing, by=teacher_a, pupil_a=pupils_a[0], pupil_b=pupils_a[1])
    with pytest.raises(ValidationError, match="final"):
        pairing_propose(exchange=exchange, by=teacher_a)


def test_a_pupil_who_joins_later_enters_the_class_room_and_the_smallest_group():
    exchange, pupils_a, pupils_b, pairing = confirmed_pairing(2, 2)
    teacher_a, teacher_b = _teachers(exchange)
    (card,) = pupils_add(classroom=exchange.classroom_b, by=teacher_b, names=["Otto V."])
    newcomer = card.pupil
    assert exchange.room.memberships.filter(user=newcomer.user,
                                            role=RoomMember.Role.MEMBER).exists()
    group = pairing.groups.get(members=newcomer)
    assert group.members.count() == 3
    assert group.room.memberships.filter(user=newcomer.user).exists()
    assert group.explanation["joined_later"] == [newcomer.pk]
    # Told who the partners are, with the room's link, as the others were.
    note = Notification.objects.get(user=newcomer.user, kind="pairing.room")
    first, second = (m.user.display_name for m in group.members.all() if m.pk != newcomer.pk)
    assert note.text in (f"Your partners are {first} and {second}: your room is open.",
                         f"Your partners are {second} and {first}: your room is open.")
    assert note.url == reverse("room_detail", args=[group.room_id])


def test_a_pupil_who_joins_a_group_later_is_named_in_its_rooms_title():
    exchange, pupils_a, pupils_b, pairing = confirmed_pairing(2, 2)
    teacher_a, teacher_b = _teachers(exchange)

    (card,) = pupils_add(classroom=exchange.classroom_b, by=teacher_b, names=["Otto V."])

    group = pairing.groups.get(members=card.pupil)
    names = [m.user.display_name for m in group.members.order_by("pk")]
    assert len(names) == 3 and group.room.title == " · ".join(names)


def test_a_pupil_whose_partner_is_removed_joins_another_group_and_is_told():
    exchange, pupils_a, pupils_b, pairing = confirmed_pairing(2, 2)
    teacher_a, _ = _teachers(exchange)
    leaving = pupils_a[0]
    old = pairing.groups.get(members=leaving)
    (partner,) = [m for m in old.members.all() if m.pk != leaving.pk]
    old_room = old.room

    pupil_remove(pupil=leaving, by=teacher_a)

    group = pairing.groups.get(members=partner)
    assert group.members.count() == 3  # with the other pair: someone of each class
    assert {m.classroom_id for m in group.members.all()} == set(exchange.classroom_ids)
    assert group.room.memberships.filter(user=partner.user, role=RoomMember.Role.MEMBER).exists()
    assert pairing.groups.count() == 1
    old_room.refresh_from_db()
    assert old_room.status == old_room.Status.CLOSED  # its history stays readable
    told = Notification.objects.filter(user=partner.user, kind="pairing.room").latest("pk")
    assert told.url.endswith(f"/rooms/{group.room.pk}/") and told.params["count"] == 2


def test_a_removed_pupils_name_leaves_the_titles_of_their_pair_and_trio_rooms():
    exchange, pupils_a, pupils_b, pairing = confirmed_pairing(3, 2)
    teacher_a, _ = _teachers(exchange)
    trio = next(g for g in pairing.groups.all() if g.members.count() == 3)
    pair = next(g for g in pairing.groups.all() if g.members.count() == 2)
    in_trio = next(m for m in trio.members.all() if m.classroom_id == exchange.classroom_a_id)
    in_pair = next(m for m in pair.members.all() if m.classroom_id == exchange.classroom_a_id)
    trio_room, pair_room = trio.room, pair.room
    staying = [m for m in trio.members.all() if m.pk != in_trio.pk]
    assert in_trio.user.display_name in trio_room.title

    pupil_remove(pupil=in_trio, by=teacher_a)  # the trio keeps a pair: its room stays open
    pupil_remove(pupil=in_pair, by=teacher_a)  # the pair's room closes, its history kept

    trio_room.refresh_from_db()
    pair_room.refresh_from_db()
    assert trio_room.is_open
    # The pair's partner left alone joined the group: named with the two who stayed.
    members = list(trio.members.order_by("pk"))
    assert set(staying) < set(members)
    assert trio_room.title == " · ".join(m.user.display_name for m in members)
    assert not pair_room.is_open
    for room in (trio_room, pair_room):
        assert in_trio.user.display_name not in room.title
        assert in_pair.user.display_name not in room.title


def test_a_room_whose_pupils_have_all_been_removed_is_named_after_the_exchange():
    exchange, pupils_a, pupils_b, pairing = confirmed_pairing(2, 2)
    teacher_a, teacher_b = _teachers(exchange)
    pair = pairing.groups.get(members=pupils_a[0])
    partner = next(m for m in pair.members.all() if m.pk != pupils_a[0].pk)
    room = pair.room
    pupil_remove(pupil=pupils_a[0], by=teacher_a)  # the partner joins the other pair
    room.refresh_from_db()
    assert room.title == partner.user.display_name  # still in it, reading its history
    pupil_remove(pupil=partner, by=teacher_b)
    room.refresh_from_db()
    assert room.title == str(exchange)


def test_a_trio_that_keeps_a_pupil_of_each_class_stays_as_it_is():
    exchange, pupils_a, pupils_b, pairing = confirmed_pairing(3, 2)
    teacher_a, _ = _teachers(exchange)
    trio = next(g for g in pairing.groups.all() if g.members.count() == 3)
    leaving = next(m for m in trio.members.all() if m.classroom_id == exchange.classroom_a_id)
    before = _groups(pairing)
    pupil_remove(pupil=leaving, by=teacher_a)
    assert _groups(pairing) == [[pk for pk in g if pk != leaving.pk] for g in before]


def test_a_pupil_who_joins_before_the_pairs_are_final_only_enters_the_class_room():
    exchange, _, _ = active_exchange(2, 2)
    pairing = pairing_propose(exchange=exchange, by=_teachers(exchange)[0])
    (card,) = pupils_add(classroom=exchange.classroom_a, by=_teachers(exchange)[0],
                         names=["Otto V."])
    assert exchange.room.memberships.filter(user=card.pupil.user).exists()
    assert not pairing.groups.filter(members=card.pupil).exists()


def test_class_data_the_engine_refuses_is_a_clear_error_not_a_crash():
    exchange, _, _ = active_exchange(2, 2)
    ClassroomLanguage.objects.filter(classroom=exchange.classroom_b, learning=True).update(
        code="zz")
    with pytest.raises(ValidationError) as refused:
        pairing_propose(exchange=exchange, by=_teachers(exchange)[0])
    assert not PupilPairing.objects.filter(exchange=exchange).exists()
    # The teacher reads the platform's words (translated), not the engine's English.
    (said,) = refused.value.messages
    assert said == ("These classes cannot be paired yet: one of them lists a language the "
                    "platform does not know. Check the classes' languages (Edit the class).")
    assert "ISO 639-1" not in said and "'zz'" not in said


def test_pairs_proposed_again_before_the_other_teacher_read_the_notice_tell_them_once():
    exchange, _, _ = active_exchange(2, 2)
    teacher_a, teacher_b = _teachers(exchange)
    pairing_propose(exchange=exchange, by=teacher_a)
    pairing_propose(exchange=exchange, by=teacher_a)  # a double click
    notices = Notification.objects.filter(user=teacher_b, kind="pairing.proposed")
    assert notices.count() == 1
    notices.update(read_at=timezone.now())
    pairing_propose(exchange=exchange, by=teacher_a)  # read since: a new notice
    assert notices.count() == 2


def test_removing_a_pupil_from_proposed_pairs_withdraws_a_proposal_left_with_a_lone_pupil():
    """Proposed pairs are not final: a pupil's partner removed before both teachers
    confirm would leave a group of one class that could still be confirmed (a room
    with nobody of the other class). The proposal goes; the teachers propose again."""
    exchange, pupils_a, pupils_b = active_exchange(2, 2)
    teacher_a, teacher_b = _teachers(exchange)
    pairing = pairing_propose(exchange=exchange, by=teacher_a)
    pairing_confirm(pairing=pairing, by=teacher_b)

    pupil_remove(pupil=pupils_a[0], by=teacher_a)

    pairing.refresh_from_db()
    assert pairing.status == PupilPairing.Status.REPLACED
    with pytest.raises(ValidationError):
        pairing_confirm(pairing=pairing, by=teacher_a)
    again = pairing_propose(exchange=exchange, by=teacher_a)
    assert sorted(len(g) for g in _groups(again)) == [3]


def test_removing_a_pupil_from_a_proposed_trio_keeps_a_proposal_that_still_mixes_the_classes():
    exchange, pupils_a, pupils_b = active_exchange(3, 2)
    teacher_a, _ = _teachers(exchange)
    pairing = pairing_propose(exchange=exchange, by=teacher_a)
    trio = next(g for g in pairing.groups.all() if g.members.count() == 3)
    leaving = next(m for m in trio.members.all() if m.classroom_id == exchange.classroom_a_id)

    pupil_remove(pupil=leaving, by=teacher_a)

    pairing.refresh_from_db()
    assert pairing.status == PupilPairing.Status.PROPOSED
    assert sorted(len(g) for g in _groups(pairing)) == [2, 2]


def test_a_pupil_who_joined_after_the_proposal_takes_a_group_when_the_pairs_become_final():
    """The page lists a pupil who joined after the pairs were proposed; confirmed as they
    are, the pairs are final and nothing would ever give that pupil a partner. At the
    final confirmation they take the smallest group, as a pupil who joins later does."""
    exchange, pupils_a, pupils_b = active_exchange(2, 2)
    teacher_a, teacher_b = _teachers(exchange)
    pairing = pairing_propose(exchange=exchange, by=teacher_a)
    (card,) = pupils_add(classroom=exchange.classroom_a, by=teacher_a, names=["Zoe L."])
    newcomer = card.pupil
    pairing_confirm(pairing=pairing, by=teacher_a)
    pairing_confirm(pairing=pairing, by=teacher_b)

    group = pairing.groups.get(members=newcomer)
    assert group.members.count() == 3
    assert group.room.memberships.filter(user=newcomer.user, role=RoomMember.Role.MEMBER).exists()
    told = Notification.objects.filter(user=newcomer.user, kind="pairing.room").latest("pk")
    assert told.url == reverse("room_detail", args=[group.room_id])
    everyone = {p.pk for p in pupils_a + pupils_b} | {newcomer.pk}
    assert {pk for g in _groups(pairing) for pk in g} == everyone


@pytest.mark.parametrize("status, said", [
    ("ended", "The exchange has ended: no pairs can be proposed or confirmed."),
    ("paused", "Pupils are paired while the exchange is active."),
])
def test_a_stopped_exchange_refuses_pairing_with_its_own_reason(status, said):
    exchange, _, _ = active_exchange(2, 2)
    a_teacher, b_teacher = _teachers(exchange)
    pairing = pairing_propose(exchange=exchange, by=a_teacher)
    exchange.status = status
    exchange.save(update_fields=["status"])
    for attempt in (lambda: pairing_propose(exchange=exchange, by=a_teacher),
                    lambda: pairing_confirm(pairing=pairing, by=b_teacher)):
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.messages == [said]
