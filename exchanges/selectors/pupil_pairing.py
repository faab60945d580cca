"""Reads for pairing pupils across the two classes of an exchange: the exchange a teacher
may act on, its live pairing with groups and members, and the engine's instance."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Prefetch, Q
from django.db.models.functions import Lower

from exchanges.models import (
    ClassroomExchange,
    ClassroomLanguage,
    Participant,
    PupilGroup,
    PupilPairing,
)
from exchanges.pure.adult_age import ADULT_AGE
from exchanges.pure.pupil_pairs import INTEREST_NAMES, PUPIL_INTERESTS, group_sentence
from exchanges.selectors.classrooms import class_day

# Pupils meet in class sessions, not in their own free time: one always-open week for
# everyone (to the midnight closing each day), so time never keeps two pupils apart.
ALWAYS = {"tz": "UTC", "weekly": [
    {"day": day, "start": "00:00", "end": "24:00"}
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
]}
SIDES = ("a", "b")
# An exchange that goes on: active, or paused while its twinning is suspended.
GOING = (ClassroomExchange.Status.ACTIVE, ClassroomExchange.Status.PAUSED)


def exchange_for_teacher(*, exchange_id: int, user) -> ClassroomExchange | None:
    """The exchange if ``user`` teaches one of its two classes, else None (404)."""
    if user is None or not user.is_authenticated or user.is_pupil:
        return None
    return (
        ClassroomExchange.objects.select_related(
            "classroom_a__city", "classroom_a__teacher", "classroom_b__city",
            "classroom_b__teacher", "twinning",
        )
        .filter(Q(classroom_a__teacher=user) | Q(classroom_b__teacher=user), pk=exchange_id)
        .first()
    )


def active_exchanges_of_classroom(*, classroom_id: int) -> list[ClassroomExchange]:
    return _exchanges_of_classroom(classroom_id, (ClassroomExchange.Status.ACTIVE,))


def going_exchanges_of_classroom(*, classroom_id: int) -> list[ClassroomExchange]:
    """Its exchanges that go on: active, or paused while their twinning is suspended
    (they resume with it)."""
    return _exchanges_of_classroom(classroom_id, GOING)


def _exchanges_of_classroom(classroom_id: int, statuses) -> list[ClassroomExchange]:
    return list(
        ClassroomExchange.objects.filter(
            Q(classroom_a_id=classroom_id) | Q(classroom_b_id=classroom_id),
            status__in=statuses,
        ).select_related("classroom_a", "classroom_b")
    )


def exchange_pupils(*, exchange: ClassroomExchange) -> dict[int, list[Participant]]:
    """Classroom id → its pupils (with user and interests), by name."""
    pupils = (
        Participant.objects.filter(classroom_id__in=exchange.classroom_ids, user__is_pupil=True)
        .select_related("user")
        .prefetch_related("interests")
        .order_by(Lower("user__display_name"), "pk")
    )
    result: dict[int, list[Participant]] = {pk: [] for pk in exchange.classroom_ids}
    for pupil in pupils:
        result[pupil.classroom_id].append(pupil)
    return result


def pupil_interest_slugs(pupil: Participant) -> list[str]:
    """The listed interests the pupil picked (prefetched ``interests``)."""
    return sorted(i.slug for i in pupil.interests.all() if i.slug in INTEREST_NAMES)


def _languages(exchange: ClassroomExchange) -> dict[int, list[dict]]:
    result = defaultdict(list)
    for classroom_id, code, level, learning in ClassroomLanguage.objects.filter(
        classroom_id__in=exchange.classroom_ids
    ).values_list("classroom_id", "code", "level", "learning"):
        entry = {"code": code, "level": level}
        if learning:
            entry["learning"] = True
        result[classroom_id].append(entry)
    return result


def reciprocal(languages_a: list[dict], languages_b: list[dict]) -> bool:
    """Each class speaks (natively or at C1+) a language the other learns."""
    def teaches(speaker, learner):
        learns = {lang["code"] for lang in learner if lang.get("learning")}
        return any(
            lang["code"] in learns and lang["level"] in ("C1", "C2", "native")
            for lang in speaker if not lang.get("learning")
        )
    return teaches(languages_a, languages_b) and teaches(languages_b, languages_a)


def pupil_pairing_instance(
    *, exchange: ClassroomExchange, pupils: dict[int, list[Participant]],
    capacity: dict[int, int], today: dt.date,
) -> dict:
    """The engine's JSON instance (matching/README) for the pupils of the two classes.

    Languages come from each class; every pupil is a minor of the same age (the classes
    were matched within two years already) taking part through the class.
    """
    languages = _languages(exchange)
    a, b = exchange.classroom_a, exchange.classroom_b
    age = min(a.age_min, b.age_min, ADULT_AGE - 1)
    people = []
    for side, classroom in zip(SIDES, (a, b), strict=True):
        for pupil in pupils[classroom.pk]:
            people.append({
                "id": str(pupil.pk), "city": side, "birth_year": today.year - age,
                "capacity": capacity.get(pupil.pk, 1), "via_class": True,
                "languages": languages[classroom.pk],
                "interests": pupil_interest_slugs(pupil), "waiting_days": 0,
                "availability": ALWAYS,
            })
    kind = "classroom" if reciprocal(languages[a.pk], languages[b.pk]) else "citizen"
    return {
        "kind": kind, "session_minutes": 30,
        "period": {"start": today.isoformat(), "weeks": 1},
        "twinnings": [list(SIDES)], "participants": people, "exclusions": [],
    }


def pairing_live(*, exchange: ClassroomExchange) -> PupilPairing | None:
    """The proposed or confirmed pairing, its groups and their members loaded."""
    members = Participant.objects.select_related("user", "classroom").prefetch_related(
        "interests"
    ).order_by("classroom_id", Lower("user__display_name"))
    return (
        PupilPairing.objects.filter(
            exchange=exchange,
            status__in=[PupilPairing.Status.PROPOSED, PupilPairing.Status.CONFIRMED],
        )
        .prefetch_related(
            Prefetch(
                "groups",
                queryset=PupilGroup.objects.select_related("room").prefetch_related(
                    Prefetch("members", queryset=members)
                ),
            )
        )
        .first()
    )


def pairing_version(pairing: PupilPairing) -> str:
    """Which pairs a page showed: the pairing and who is in each group. A confirmation
    posted from an older page (pairs proposed again or swapped since) is refused."""
    groups = sorted(
        tuple(sorted(m.pk for m in group.members.all())) for group in pairing.groups.all()
    )
    return f"{pairing.pk}:" + ";".join(",".join(map(str, g)) for g in groups)


def pairing_page(*, exchange: ClassroomExchange, user) -> dict:
    """What the pairing page shows to one of the two teachers."""
    pairing = pairing_live(exchange=exchange)
    pupils = exchange_pupils(exchange=exchange)
    mine_is_a = exchange.classroom_a.teacher_id == user.pk
    confirmed_by_me = confirmed_by_partner = False
    unpaired: list[Participant] = []
    if pairing is not None:
        mine, theirs = ("confirmed_a_at", "confirmed_b_at") if mine_is_a else (
            "confirmed_b_at", "confirmed_a_at"
        )
        confirmed_by_me = getattr(pairing, mine) is not None
        confirmed_by_partner = getattr(pairing, theirs) is not None
        grouped = {m.pk for g in pairing.groups.all() for m in g.members.all()}
        unpaired = [p for ps in pupils.values() for p in ps if p.pk not in grouped]
    groups = list(pairing.groups.all()) if pairing else []
    for group in groups:
        # Said again in the reader's language from what the explanation records.
        explained = group.explanation or {}
        group.sentence = group_sentence(explained.get("shared_interests", []),
                                        len(group.members.all()), explained.get("swapped", False))
    return {
        "exchange": exchange,
        "pairing": pairing,
        # On the teacher's class's calendar: the viewer's zone may be unknown (UTC).
        "confirmed_day": class_day(pairing.confirmed_at, exchange, user.pk) if pairing else None,
        "groups": groups,
        "pupil_counts": [len(pupils[pk]) for pk in exchange.classroom_ids],
        "confirmed_by_me": confirmed_by_me,
        "confirmed_by_partner": confirmed_by_partner,
        "unpaired": unpaired,
        "my_classroom": exchange.classroom_a if mine_is_a else exchange.classroom_b,
        "version": pairing_version(pairing) if pairing else "",
    }


def pupil_for_interests(*, user) -> Participant | None:
    """The pupil's own participant row (pupils only)."""
    if user is None or not user.is_authenticated or not user.is_pupil:
        return None
    return (
        Participant.objects.select_related("user", "classroom").prefetch_related("interests")
        .filter(user=user).first()
    )


def interest_choices() -> tuple[tuple[str, str], ...]:
    return PUPIL_INTERESTS
