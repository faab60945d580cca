"""Pairing the pupils of an exchange's two classes: the engine proposes, both teachers
may swap pupils between groups, and each confirms; once both have, every pair or trio
gets its room (pupils as members, both teachers as moderators).

The engine (``matching/``) sees plain records built by
``selectors.pupil_pairing.pupil_pairing_instance``; this module turns its pairs back
into groups.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exchanges.models import (
    ClassroomExchange,
    Notification,
    Participant,
    PupilGroup,
    PupilPairing,
)
from exchanges.pure.pupil_pairs import (
    SizeError,
    capacities,
    group_sentence,
    groups_from_pairs,
    shared_interests,
)
from exchanges.selectors.notification_text import Message, join_param
from exchanges.selectors.pupil_pairing import (
    active_exchanges_of_classroom,
    exchange_pupils,
    pairing_live,
    pairing_version,
    pupil_interest_slugs,
    pupil_pairing_instance,
)
from exchanges.services.notifications import notification_build, notification_create
from exchanges.services.pairing_refusals import pairing_refusal
from exchanges.services.rooms import room_open


def _teacher_side(exchange: ClassroomExchange, by) -> str:
    """"a" or "b": which class ``by`` teaches; anyone else is refused."""
    if by is not None and exchange.classroom_a.teacher_id == by.pk:
        return "a"
    if by is not None and exchange.classroom_b.teacher_id == by.pk:
        return "b"
    raise PermissionDenied(_("Only the two teachers of this exchange can pair its pupils."))


def _refuse_unless_active(exchange: ClassroomExchange) -> None:
    """Pairs are proposed and confirmed only while the exchange is active."""
    if exchange.status == ClassroomExchange.Status.ENDED:
        raise ValidationError(_("The exchange has ended: no pairs can be proposed or confirmed."))
    if exchange.status != ClassroomExchange.Status.ACTIVE:
        raise ValidationError(_("Pupils are paired while the exchange is active."))


def exchange_lock(exchange: ClassroomExchange) -> ClassroomExchange:
    return ClassroomExchange.objects.select_for_update(of=("self",)).select_related(
        "classroom_a__teacher", "classroom_b__teacher"
    ).get(pk=exchange.pk)


def _order_for_extra(pupils: list[Participant]) -> list[int]:
    """Who takes a second partner first: pupils with more interests to share."""
    ranked = sorted(pupils, key=lambda p: (-len(pupil_interest_slugs(p)), p.pk))
    return [p.pk for p in ranked]


def _explanation(members: list[Participant], pairs: list[dict], swapped: bool) -> dict:
    interests = {m.pk: pupil_interest_slugs(m) for m in members}
    shared = shared_interests(interests, interests)
    return {
        "sentence": group_sentence(shared, len(members), swapped),
        "shared_interests": shared,
        "pairs": pairs,
        "swapped": swapped,
    }


@transaction.atomic
def pairing_propose(*, exchange: ClassroomExchange, by) -> PupilPairing:
    """The engine's pairing of all pupils of the two classes (a trio where sizes differ;
    nobody left out). A pairing still proposed is replaced; a confirmed one is final."""
    exchange = exchange_lock(exchange)
    _teacher_side(exchange, by)
    _refuse_unless_active(exchange)
    current = pairing_live(exchange=exchange)
    if current is not None and not current.is_proposed:
        raise ValidationError(_("Both teachers confirmed the pairs already: they are final."))
    pupils = exchange_pupils(exchange=exchange)
    a_pupils, b_pupils = pupils[exchange.classroom_a_id], pupils[exchange.classroom_b_id]
    smaller, larger = sorted((a_pupils, b_pupils), key=len)
    try:
        capacity = capacities(_order_for_extra(smaller), len(larger))
    except SizeError as exc:
        raise ValidationError(str(exc)) from None
    today = timezone.localdate()
    instance = pupil_pairing_instance(
        exchange=exchange, pupils=pupils, capacity=capacity, today=today
    )
    # The engine (numpy, scipy, OR-Tools: ~2 s to import) loads when first used, not
    # with every command, web process and worker that imports this module.
    import matching

    try:
        result = matching.solve(matching.instance_from_dict(instance))
    except matching.InstanceError as exc:  # a class's data the engine cannot read
        raise ValidationError(pairing_refusal(exc.kind)) from None
    if result.unmatched:
        raise ValidationError(
            _("The two classes' languages leave pupils without a partner: check that each "
              "class speaks a language the other learns.")
        )
    if current is not None:
        current.status = PupilPairing.Status.REPLACED
        current.save(update_fields=["status"])
    pairing = PupilPairing.objects.create(
        exchange=exchange, created_by=by, total_score=round(result.total_score, 4)
    )
    by_pk = {p.pk: p for ps in pupils.values() for p in ps}
    explained = {}
    for pair in result.pairs:
        a, b = int(pair.a), int(pair.b)
        explained.setdefault(min(a, b), []).append(
            {"a": a, "b": b, "score": pair.score, "engine": pair.explanation}
        )
    edges = [(int(pair.a), int(pair.b)) for pair in result.pairs]
    for member_ids in groups_from_pairs(edges):
        members = [by_pk[pk] for pk in member_ids]
        pairs = [entry for pk in member_ids for entry in explained.get(pk, [])]
        group = PupilGroup.objects.create(
            pairing=pairing,
            score=round(sum(p["score"] for p in pairs) / len(pairs), 4),
            explanation=_explanation(members, pairs, swapped=False),
        )
        group.members.set(members)
    other = exchange.partner_of(
        exchange.classroom_a if _teacher_side(exchange, by) == "a" else exchange.classroom_b
    )
    url = reverse("pupil_pairing", args=[exchange.pk])
    # Proposed again (a double click, newcomers to include) before the other teacher read
    # the first notice: that notice leads to the new pairs too, so it is not repeated.
    if not Notification.objects.filter(user=other.teacher, kind="pairing.proposed", url=url,
                                       read_at__isnull=True).exists():
        notification_create(
            user=other.teacher, kind="pairing.proposed",
            message=gettext_noop(
                "Pupil pairs are proposed for %(exchange)s: check and confirm them."),
            params={"exchange": str(exchange)}, url=url,
        )
    return pairing


def _proposed(pairing: PupilPairing, by) -> tuple[PupilPairing, ClassroomExchange, str]:
    exchange = exchange_lock(pairing.exchange)
    side = _teacher_side(exchange, by)
    _refuse_unless_active(exchange)  # no pair's room on a stopped one
    pairing = PupilPairing.objects.select_for_update().get(pk=pairing.pk)
    if not pairing.is_proposed:
        raise ValidationError(_("These pairs are no longer open to changes."))
    return pairing, exchange, side


@transaction.atomic
def pairing_swap(
    *, pairing: PupilPairing, by, pupil_a: Participant, pupil_b: Participant
) -> PupilPairing:
    """Swap two pupils of the same class between their groups. Both teachers confirm
    again: the pairs they confirmed have changed."""
    pairing, exchange, _side = _proposed(pairing, by)
    if pupil_a.pk == pupil_b.pk:
        raise ValidationError(_("Pick two different pupils."))
    if pupil_a.classroom_id != pupil_b.classroom_id:
        raise ValidationError(_("Swap two pupils of the same class, so that each group "
                                "keeps pupils of both classes."))
    group_of = {}
    for group in pairing.groups.prefetch_related("members"):
        for member in group.members.all():
            group_of[member.pk] = group
    if pupil_a.pk not in group_of or pupil_b.pk not in group_of:
        raise ValidationError(_("Both pupils must be in these pairs."))
    first, second = group_of[pupil_a.pk], group_of[pupil_b.pk]
    if first.pk == second.pk:
        raise ValidationError(_("These two pupils are in the same group already."))
    first.members.remove(pupil_a)
    first.members.add(pupil_b)
    second.members.remove(pupil_b)
    second.members.add(pupil_a)
    for group in (first, second):
        members = list(group.members.prefetch_related("interests"))
        group.explanation = _explanation(members, [], swapped=True)
        group.score = 0
        group.save(update_fields=["explanation", "score"])
    pairing.confirmed_a_at = pairing.confirmed_b_at = None
    pairing.save(update_fields=["confirmed_a_at", "confirmed_b_at"])
    return pairing


@transaction.atomic
def pairing_confirm(*, pairing: PupilPairing, by, seen: str | None = None) -> PupilPairing:
    """One teacher confirms for their class; once both have, the pairs are final and
    each pair or trio gets its room.

    ``seen`` is ``pairing_version`` of the pairs the teacher's page showed: pairs
    proposed again or swapped since are not confirmed unseen. A second confirmation
    (a double click, another tab) changes nothing and tells nobody again.
    """
    pairing, exchange, side = _proposed(pairing, by)
    if seen is not None and seen != pairing_version(pairing):
        raise ValidationError(_("The pairs changed since your page showed them: check them "
                                "again, then confirm."))
    if getattr(pairing, f"confirmed_{side}_at") is not None:
        raise ValidationError(_("You have confirmed these pairs already: the other teacher "
                                "confirms next."))
    now = timezone.now()
    setattr(pairing, f"confirmed_{side}_at", now)
    fields = [f"confirmed_{side}_at"]
    if pairing.confirmed_a_at and pairing.confirmed_b_at:
        pairing.status = PupilPairing.Status.CONFIRMED
        pairing.confirmed_at = now
        fields += ["status", "confirmed_at"]
    pairing.save(update_fields=fields)
    if pairing.status == PupilPairing.Status.CONFIRMED:
        _rooms_open(pairing)
        _latecomers_place(pairing, exchange)
    mine = exchange.classroom_a if side == "a" else exchange.classroom_b
    final = pairing.status == PupilPairing.Status.CONFIRMED
    recipient = exchange.partner_of(mine).teacher
    if final:
        message = gettext_noop("The pupil pairs of %(exchange)s are final: each pair has its room.")
        params = {"exchange": str(exchange)}
    else:
        message = gettext_noop("%(name)s's teacher confirmed the pupil pairs: your turn.")
        params = {"name": mine.name}
    notification_create(user=recipient, kind="pairing.confirmed", message=message,
                        params=params, url=reverse("pupil_pairing", args=[exchange.pk]))
    return pairing


def _latecomers_place(pairing: PupilPairing, exchange: ClassroomExchange) -> None:
    """Pupils who joined after the pairs were proposed (the page lists them) each take
    the smallest group once the pairs are final, as a pupil joining later does: final
    pairs leave nobody without a partner."""
    groups = list(pairing.groups.prefetch_related("members__user"))
    if not groups:
        return
    grouped = {m.pk for g in groups for m in g.members.all()}
    for pupils in exchange_pupils(exchange=exchange).values():
        for pupil in (p for p in pupils if p.pk not in grouped):
            group = min(groups, key=lambda g: (len(g.members.all()), g.pk))
            group_join(group, pupil)
            # Its new size counts when the next pupil picks the smallest group.
            fresh = PupilGroup.objects.prefetch_related("members__user").get(pk=group.pk)
            groups = [fresh if g.pk == fresh.pk else g for g in groups]


def _rooms_open(pairing: PupilPairing) -> None:
    """Each group's room, and a note to each pupil naming their partners (display names
    only: pupils have no profile)."""
    notes = []
    for group in pairing.groups.prefetch_related("members__user"):
        room = room_open(group=group)
        members = list(group.members.all())
        for member in members:
            names = [m.user.display_name for m in members if m.pk != member.pk]
            notes.append(notification_build(
                user=member.user, kind="pairing.room", url=reverse("room_detail", args=[room.pk]),
                # The names are joined by the reader's " and " (gettext_noop keeps it in the
                # catalogue); the count picks the plural and is not in the sentence.
                message=Message.ngettext("Your partner is %(names)s: your room is open.",
                                         "Your partners are %(names)s: your room is open.",
                                         "count"),
                params={"names": join_param(names, gettext_noop(" and ")), "count": len(names)},
            ))
    Notification.objects.bulk_create(notes)


@transaction.atomic
def pupil_admit_to_exchanges(*, pupil: Participant) -> int:
    """A pupil who joins a class with live exchanges enters each class room, and, where
    the pairs are final, the smallest group of it (a pair becomes a trio), so nobody is
    left out. Returns how many exchanges the pupil entered."""
    exchanges = active_exchanges_of_classroom(classroom_id=pupil.classroom_id)
    for exchange in exchanges:
        room_open(exchange=exchange)
        _live_pairing_lock(exchange)
        pairing = pairing_live(exchange=exchange)
        if pairing is None or pairing.is_proposed:
            continue  # the pairing page lists the newcomer until pairs are proposed again
        groups = list(pairing.groups.all())
        if not groups or any(pupil in g.members.all() for g in groups):
            continue
        group = min(groups, key=lambda g: (len(g.members.all()), g.pk))
        group_join(group, pupil)
    return len(exchanges)


@transaction.atomic
def exchange_latecomers_admit(*, exchange: ClassroomExchange) -> None:
    """An exchange that goes on again (its twinning reactivated; the caller holds its
    lock): the pupils added to its classes while it was paused enter its class room, and
    the smallest groups once the pairs are final, as pupil_admit_to_exchanges admits a
    pupil who joins while it is active."""
    room_open(exchange=exchange)
    _live_pairing_lock(exchange)
    pairing = pairing_live(exchange=exchange)
    if pairing is not None and not pairing.is_proposed:
        _latecomers_place(pairing, exchange)


def _live_pairing_lock(exchange: ClassroomExchange) -> None:
    """Wait for a confirmation under way, so a pupil added meanwhile finds the pairs final
    and takes a group. Not the exchange's lock: the caller holds the class's, which
    scheduling takes after the exchange's."""
    list(PupilPairing.objects.select_for_update().filter(exchange=exchange, status__in=[
        PupilPairing.Status.PROPOSED, PupilPairing.Status.CONFIRMED,
    ]).order_by("pk").values_list("pk", flat=True))


def group_join(group: PupilGroup, pupil: Participant, *, paused: bool = False) -> None:
    """Add ``pupil`` to a final group (a pair becomes a trio): the explanation counts them
    among those who joined later, the group's room opens to them, and they are told, as
    the pupils paired at confirmation were, who their partners are. In a paused exchange
    the room stays closed until it resumes (room_open adds members, it reopens nothing),
    and the notice says so."""
    group.members.add(pupil)
    members = list(group.members.select_related("user").prefetch_related("interests"))
    group.explanation = {
        **_explanation(members, group.explanation.get("pairs", []), swapped=False),
        "joined_later": [*group.explanation.get("joined_later", []), pupil.pk],
    }
    group.save(update_fields=["explanation"])
    room = room_open(group=group)
    names = [m.user.display_name for m in members if m.pk != pupil.pk]
    notification_create(
        user=pupil.user, kind="pairing.room", url=reverse("room_detail", args=[room.pk]),
        message=Message.ngettext(
            "Your partner is %(names)s: your room opens when the exchange goes on again.",
            "Your partners are %(names)s: your room opens when the exchange goes on again.",
            "count",
        ) if paused else Message.ngettext("Your partner is %(names)s: your room is open.",
                                          "Your partners are %(names)s: your room is open.",
                                          "count"),
        params={"names": join_param(names, gettext_noop(" and ")), "count": len(names)},
    )
