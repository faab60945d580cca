"""The restrictive-law notes that apply to a twinning (facts to show, never acted on)."""

from functools import cache
from pathlib import Path

from django.conf import settings

from exchanges.models import City, Twinning
from exchanges.pure.restrictions import (
    Place,
    Restriction,
    RestrictionNote,
    restriction_notes,
    restrictions_parse,
)


def restrictions_path() -> Path:
    return Path(settings.BASE_DIR) / "data" / "twinning_restrictions.csv"


@cache
def _restrictions(path: Path) -> tuple[Restriction, ...]:
    # The shipped file changes only with a release: read it once per process.
    return tuple(restrictions_parse(path.read_text(encoding="utf-8")))


def restrictions_all() -> list[Restriction]:
    return list(_restrictions(restrictions_path()))


def _place(city: City) -> Place:
    return Place(name=city.name, country=city.country, region=city.region)


def twinning_restriction_notes(*, twinning: Twinning) -> list[RestrictionNote]:
    return restriction_notes(
        city_a=_place(twinning.city_a),
        city_b=_place(twinning.city_b),
        restrictions=restrictions_all(),
    )
