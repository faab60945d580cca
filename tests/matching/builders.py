"""Plain-dict builders for engine instances (the engine's JSON shape)."""

from __future__ import annotations

import copy

EVENINGS = [{"day": d, "start": "18:00", "end": "21:00"} for d in ("mon", "wed")]


def person(pid, city, speaks=("en",), learns=("de",), **extra):
    """An adult speaking `speaks` natively and learning `learns` at B1."""
    languages = [{"code": c, "level": "native"} for c in speaks]
    languages += [{"code": c, "level": "B1", "learning": True} for c in learns]
    data = {
        "id": pid,
        "city": city,
        "birth_year": 1990,
        "languages": languages,
        "interests": ["hiking"],
        "availability": {"tz": extra.pop("tz", "Europe/London"), "weekly": copy.deepcopy(EVENINGS)},
    }
    data.update(extra)
    return data


def instance(participants, twinnings=(("coventry", "dresden"),), **extra):
    data = {
        "kind": "tandem",
        "session_minutes": 60,
        "period": {"start": "2027-01-11", "weeks": 4},
        "twinnings": [list(t) for t in twinnings],
        "participants": list(participants),
        "exclusions": [],
    }
    data.update(extra)
    return data


def pair_ids(result):
    return sorted((p.a, p.b) for p in result.pairs)
