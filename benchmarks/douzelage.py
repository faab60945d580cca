"""An adversarial instance for the exact solver: a Douzelage-like clique of 27 twinned
towns (every town twinned with every other), everyone reciprocal, capacities 1-3.

    python -m benchmarks.matching --population douzelage --participants 20000 --json

Why it is hard: the city graph is a complete graph on 27 towns, so the candidate graph is
full of odd cycles. Everybody speaks English at B2 besides their own language, and a
person's one free hour is a 60-minute window at one UTC slot (the towns' zones keep the
same offsets to each other all year: the EU changes its clocks at one UTC instant), so the
people of one slot form a complete multipartite group across the towns. A group whose
capacities add up to an odd number is fractionally perfect but not integrally: the min-cost
flow leaves an odd closed circuit of half-edges there. 15 % of people give a second slot,
which ties the groups into one giant component, so such a circuit sends the whole giant
component to the LP path.
"""

from __future__ import annotations

import random

# (town, country, zone, language): the 27 towns, one per EU member state.
TOWNS = (
    ("altea", "ES", "Europe/Madrid", "es"),
    ("bad-koetzting", "DE", "Europe/Berlin", "de"),
    ("bellagio", "IT", "Europe/Rome", "it"),
    ("bundoran", "IE", "Europe/Dublin", "en"),
    ("chojnice", "PL", "Europe/Warsaw", "pl"),
    ("granville", "FR", "Europe/Paris", "fr"),
    ("holstebro", "DK", "Europe/Copenhagen", "da"),
    ("houffalize", "BE", "Europe/Brussels", "fr"),
    ("judenburg", "AT", "Europe/Vienna", "de"),
    ("koszeg", "HU", "Europe/Budapest", "hu"),
    ("marsaskala", "MT", "Europe/Malta", "mt"),
    ("meerssen", "NL", "Europe/Amsterdam", "nl"),
    ("niederanven", "LU", "Europe/Luxembourg", "lb"),
    ("oxelosund", "SE", "Europe/Stockholm", "sv"),
    ("preveza", "GR", "Europe/Athens", "el"),
    ("rokiskis", "LT", "Europe/Vilnius", "lt"),
    ("sesimbra", "PT", "Europe/Lisbon", "pt"),
    ("sherborne", "GB", "Europe/London", "en"),
    ("sigulda", "LV", "Europe/Riga", "lv"),
    ("siret", "RO", "Europe/Bucharest", "ro"),
    ("skofja-loka", "SI", "Europe/Ljubljana", "sl"),
    ("susice", "CZ", "Europe/Prague", "cs"),
    ("tryavna", "BG", "Europe/Sofia", "bg"),
    ("turi", "EE", "Europe/Tallinn", "et"),
    ("zvolen", "SK", "Europe/Bratislava", "sk"),
    ("karkkila", "FI", "Europe/Helsinki", "fi"),
    ("agros", "CY", "Asia/Nicosia", "el"),
)
# Hours ahead of UTC in winter (the same differences in summer).
OFFSET = {"Europe/Lisbon": 0, "Europe/London": 0, "Europe/Dublin": 0, "Europe/Athens": 2,
          "Europe/Vilnius": 2, "Europe/Riga": 2, "Europe/Bucharest": 2, "Europe/Sofia": 2,
          "Europe/Tallinn": 2, "Europe/Helsinki": 2, "Asia/Nicosia": 2}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# UTC slots: a day and a start at a quarter hour from 07:00 to 19:45 (local times stay
# within the day in every zone: 07:00-22:45).
SLOTS = [(d, 7 * 60 + 15 * q) for d in range(7) for q in range(52)]
GROUP = 60  # people per slot the generator aims at (more slots for more people)
INTERESTS = ("hiking", "jazz", "football", "cooking", "films", "chess", "history",
             "cycling", "theatre", "music", "travel", "science")


def douzelage_instance(n: int, seed: int, capacities: bool = True) -> dict:
    """The instance (the engine's JSON shape). capacities=False gives everyone capacity 1
    (for the plain-matching baselines)."""
    rng = random.Random(seed)
    slots = SLOTS[: max(1, min(len(SLOTS), n // GROUP))]
    people = []
    for i in range(n):
        town, _, tz, lang = TOWNS[i % len(TOWNS)]
        chosen = [rng.choice(slots)]
        if rng.random() < 0.15:
            chosen.append(rng.choice(slots))
        weekly = [_window(day, start, OFFSET.get(tz, 1)) for day, start in dict.fromkeys(chosen)]
        languages = [{"code": lang, "level": "native"}]
        if lang != "en":
            languages.append({"code": "en", "level": "B2"})
        people.append({
            "id": f"d{i:06d}",
            "city": town,
            "birth_year": rng.randint(1950, 2006),
            "capacity": rng.choice((1, 1, 1, 2, 3)) if capacities else 1,
            "languages": languages,
            "interests": rng.sample(INTERESTS, rng.randint(1, 4)),
            "waiting_days": rng.randint(0, 120),
            "availability": {"tz": tz, "weekly": weekly},
        })
    names = [t[0] for t in TOWNS]
    return {
        "kind": "citizen",
        "session_minutes": 60,
        "period": {"start": "2027-03-01", "weeks": 12},
        "twinnings": [[a, b] for k, a in enumerate(names) for b in names[k + 1 :]],
        "participants": people,
        "exclusions": [],
    }


def _window(day: int, utc_minute: int, offset: int) -> dict:
    """A 60-minute local window at the UTC slot (winter offset; the EU zones move
    together, so their differences hold all year)."""
    start = utc_minute + 60 * offset
    return {"day": DAYS[day], "start": _hhmm(start), "end": _hhmm(start + 60)}


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"
