"""Synthetic but plausible participants across the twinned cities, for demos and load.

Deterministic for a seed: the same seed always produces the same people, though never the
same calendar feed tokens, which are secrets. Rows go in with bulk inserts so that
100 000 participants take well under two minutes.
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from exchanges.models import (
    AvailabilityWindow,
    City,
    Interest,
    Participant,
    ParticipantLanguage,
    Program,
    Role,
    Twinning,
    User,
)
from exchanges.models.people import new_calendar_token
from exchanges.pure.interest_list import OFFERED

# The demo picks among the interests the profile page offers.
INTERESTS = list(OFFERED)
FIRST_NAMES = {
    "en": ["Alex", "Sam", "Jordan", "Emma", "Oliver", "Mia", "Noah", "Grace", "Liam", "Ruby"],
    "de": ["Lukas", "Anna", "Jonas", "Lea", "Felix", "Marie", "Paul", "Lena", "Finn", "Clara"],
    "fr": ["Louis", "Chloé", "Hugo", "Léa", "Jules", "Camille", "Arthur", "Inès", "Nina", "Théo"],
    "es": ["Lucía", "Mateo", "Sofía", "Diego", "Valeria", "Pablo", "Carmen", "Javier"],
    "it": ["Giulia", "Marco", "Chiara", "Luca", "Sara", "Matteo", "Elena", "Davide"],
    "ja": ["Haruto", "Yui", "Sota", "Aoi", "Ren", "Hina", "Yuto", "Mei"],
    "ru": ["Ivan", "Olga", "Dmitri", "Anya", "Sergei", "Katya"],
    "zh": ["Wei", "Li Na", "Hao", "Xiu", "Jun", "Mei Ling"],
}
COMMON_SECOND = ["en", "en", "en", "fr", "de", "es"]
LEARNER_LEVELS = ["A1", "A2", "A2", "B1", "B1", "B1", "B2", "B2", "C1"]
SPEAKER_LEVELS = ["B2", "C1", "C1", "C2"]
UNUSABLE_PASSWORD = "!demo-participant-cannot-log-in"  # noqa: S105 - marks no password


@dataclass(frozen=True)
class _CityInfo:
    city: City
    twins: tuple[City, ...]


def _city_infos() -> list[_CityInfo]:
    twins: dict[int, list[City]] = defaultdict(list)
    cities = {}
    for twinning in Twinning.objects.filter(status=Twinning.Status.ACTIVE).select_related(
        "city_a", "city_b"
    ):
        cities[twinning.city_a_id] = twinning.city_a
        cities[twinning.city_b_id] = twinning.city_b
        twins[twinning.city_a_id].append(twinning.city_b)
        twins[twinning.city_b_id].append(twinning.city_a)
    return [
        _CityInfo(city=cities[pk], twins=tuple(sorted(twins[pk], key=lambda c: c.pk)))
        for pk in sorted(cities)
    ]


def _languages(rng: random.Random, info: _CityInfo) -> list[tuple[str, str, bool]]:
    """(code, level, learning): the city's language natively, a twin's one to learn."""
    native = info.city.languages[0] if info.city.languages else "en"
    spoken = {native: "native"}
    for extra in info.city.languages[1:]:
        spoken[extra] = rng.choice(SPEAKER_LEVELS)
    if rng.random() < 0.45:
        second = rng.choice(COMMON_SECOND)
        spoken.setdefault(second, rng.choice(SPEAKER_LEVELS))
    twin = rng.choice(info.twins)
    wanted = [code for code in twin.languages if code not in spoken]
    learns = {}
    if wanted:
        learns[wanted[0]] = rng.choice(LEARNER_LEVELS)
    if rng.random() < 0.3 or not learns:
        other = rng.choice([c for c in ["en", "fr", "de", "es", "it", "ja"] if c not in spoken])
        learns.setdefault(other, rng.choice(LEARNER_LEVELS))
    return [(c, lvl, False) for c, lvl in spoken.items()] + [
        (c, lvl, True) for c, lvl in learns.items()
    ]


def _windows(rng: random.Random) -> list[tuple[int, datetime.time, datetime.time]]:
    windows = []
    for weekday in sorted(rng.sample(range(5), rng.randint(1, 4))):
        start = rng.choice([17, 18, 18, 19, 19, 20])
        start_min = rng.choice([0, 0, 30])
        length = rng.choice([90, 120, 150, 180])
        end_minutes = min(start * 60 + start_min + length, 23 * 60 + 30)
        windows.append(
            (weekday, datetime.time(start, start_min), datetime.time(*divmod(end_minutes, 60)))
        )
    for weekday in (5, 6):
        if rng.random() < 0.5:
            start = rng.choice([9, 10, 11, 14, 15])
            end = datetime.time(start + rng.choice([2, 3, 4]))
            windows.append((weekday, datetime.time(start), end))
    return windows


def demo_interests_ensure() -> list[Interest]:
    """The demo interest tags, created once; in the order of INTERESTS."""
    existing = {i.slug: i for i in Interest.objects.all()}
    missing = [Interest(slug=slugify(n), name=n) for n in INTERESTS if slugify(n) not in existing]
    Interest.objects.bulk_create(missing, ignore_conflicts=True)
    by_slug = {i.slug: i for i in Interest.objects.filter(slug__in=[slugify(n) for n in INTERESTS])}
    return [by_slug[slugify(n)] for n in INTERESTS]


def demo_program_ensure() -> Program:
    """The demo tandem program over every active twinning, starting next Monday."""
    today = timezone.now().date()
    start = today + datetime.timedelta(days=7 - today.weekday())
    program, _ = Program.objects.get_or_create(
        slug="twin-cities-tandem",
        defaults={
            "name": "Twin Cities Tandem",
            "kind": Program.Kind.TANDEM,
            "description": "Weekly language tandems between residents of twinned cities.",
            "start_date": start,
            "weeks": 12,
        },
    )
    program.twinnings.add(*Twinning.objects.filter(status=Twinning.Status.ACTIVE))
    return program


def demo_classroom_program_ensure(twinning: Twinning) -> Program:
    """The demo classroom program over Coventry–Dresden: the demo classes' exchange starts
    inside it, so the officer's figures show a classroom program too."""
    program, _ = Program.objects.get_or_create(
        slug="twin-cities-classrooms",
        defaults={
            "name": "Twin Cities Classrooms",
            "kind": Program.Kind.CLASSROOM,
            "description": "Class-to-class exchanges between schools of twinned cities.",
            "start_date": timezone.now().date(),
            "weeks": 16,
        },
    )
    program.twinnings.add(twinning)
    return program


def seed_email(seed: int, index: int) -> str:
    return f"p{seed}-{index}@seed.jumelage.test"


@transaction.atomic
def _feed_token(rng: random.Random) -> str:
    """A calendar feed address is a secret, so it never comes from the seed; the seeded
    draw stays so that a seed keeps the people (and the README's figures) it always had."""
    rng.getrandbits(64)
    return new_calendar_token()


def demo_participants_seed(*, count: int, seed: int, batch_size: int = 5000) -> int:
    """Create ``count`` participants; refuses a seed whose people already exist."""
    if count < 0:
        raise ValueError("count must be zero or more")
    infos = _city_infos()
    if not infos:
        raise ValueError("no active twinnings: load the twinnings first")
    if count and User.objects.filter(email=seed_email(seed, 0)).exists():
        raise ValueError(f"participants of seed {seed} already exist; choose another seed")
    rng = random.Random(seed)
    interests = demo_interests_ensure()
    program = demo_program_ensure()
    group, _ = Group.objects.get_or_create(name=Role.PARTICIPANT)
    now = timezone.now()
    created = 0
    for offset in range(0, count, batch_size):
        size = min(batch_size, count - offset)
        plans = []
        for index in range(offset, offset + size):
            info = rng.choice(infos)
            native = info.city.languages[0] if info.city.languages else "en"
            name = rng.choice(FIRST_NAMES.get(native, FIRST_NAMES["en"]))
            plans.append((index, info, name, _languages(rng, info), _windows(rng),
                          rng.sample(interests, rng.randint(2, 5)),
                          rng.randint(1950, now.year - 18),
                          rng.choices([1, 2, 3], weights=[80, 15, 5])[0],
                          rng.randint(0, 60)))
        users = User.objects.bulk_create(
            [User(email=seed_email(seed, index), display_name=name, password=UNUSABLE_PASSWORD)
             for index, _, name, *_ in plans],
            batch_size=batch_size,
        )
        participants = Participant.objects.bulk_create(
            [
                Participant(
                    user=user, city=info.city, tz=info.city.tz, birth_year=birth_year,
                    capacity=capacity, onboarded_at=now,
                    waiting_since=now - datetime.timedelta(days=waited),
                    calendar_token=_feed_token(rng),
                    bio=f"{name} from {info.city.name}.",
                )
                for user, (index, info, name, _l, _w, _i, birth_year, capacity, waited)
                in zip(users, plans, strict=True)
            ],
            batch_size=batch_size,
        )
        languages, windows, interest_links, program_links, group_links = [], [], [], [], []
        for participant, (_, _, _, langs, wins, chosen, *_rest) in zip(
            participants, plans, strict=True
        ):
            languages += [
                ParticipantLanguage(participant=participant, code=c, level=lvl, learning=learn)
                for c, lvl, learn in langs
            ]
            windows += [
                AvailabilityWindow(participant=participant, weekday=d, start=s, end=e)
                for d, s, e in wins
            ]
            interest_links += [
                Participant.interests.through(participant=participant, interest=i) for i in chosen
            ]
            program_links.append(
                Participant.programs.through(participant=participant, program=program)
            )
            group_links.append(User.groups.through(user_id=participant.user_id, group=group))
        ParticipantLanguage.objects.bulk_create(languages, batch_size=batch_size)
        AvailabilityWindow.objects.bulk_create(windows, batch_size=batch_size)
        Participant.interests.through.objects.bulk_create(interest_links, batch_size=batch_size)
        Participant.programs.through.objects.bulk_create(program_links, batch_size=batch_size)
        User.groups.through.objects.bulk_create(group_links, batch_size=batch_size)
        created += size
    return created
