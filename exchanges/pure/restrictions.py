"""Laws that restrict twinnings: which jurisdiction, which law and when, against which
countries; and which of them a twinning falls under.

Facts for the officer's page only: nothing here changes a twinning's status.
The data file (data/twinning_restrictions.csv) has one law a row:
``jurisdiction`` (ISO 3166-2 subdivision such as US-IN, or an ISO 3166-1 country),
``law``, ``date`` (YYYY, YYYY-MM or YYYY-MM-DD), ``countries`` (ISO 3166-1 codes joined
by ";"), ``source`` (a link) and ``note``.
"""

import csv
import io
import re
from dataclasses import dataclass

from exchanges.pure.languages import is_country_code
from exchanges.pure.regions import subdivision_country, subdivision_name

COLUMNS = ["jurisdiction", "law", "date", "countries", "source", "note"]
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class RestrictionsFileError(ValueError):
    """The restrictions file cannot be read; the message names the line."""


@dataclass(frozen=True)
class Restriction:
    jurisdiction: str
    law: str
    date: str
    countries: frozenset[str]
    source: str
    note: str

    @property
    def jurisdiction_name(self) -> str:
        return subdivision_name(self.jurisdiction) if "-" in self.jurisdiction else (
            self.jurisdiction
        )


@dataclass(frozen=True)
class Place:
    """What the rule needs to know of a city."""

    name: str
    country: str
    region: str = ""


@dataclass(frozen=True)
class RestrictionNote:
    """``restriction`` applies because ``city`` lies in its jurisdiction and ``other`` in
    one of its countries."""

    restriction: Restriction
    city: Place
    other: Place

    @property
    def text(self) -> str:
        law = self.restriction
        return (
            f"{self.city.name} is in {law.jurisdiction_name} ({law.jurisdiction}), where "
            f"{law.law} ({law.date}) restricts twinnings with {self.other.country}, "
            f"the country of {self.other.name}."
        )


def _parse_row(row: dict) -> Restriction:
    jurisdiction = (row["jurisdiction"] or "").strip().upper()
    if not (subdivision_country(jurisdiction) or is_country_code(jurisdiction)):
        raise ValueError(f"jurisdiction {jurisdiction!r} is not an ISO 3166-2 or 3166-1 code")
    law = (row["law"] or "").strip()
    if not law:
        raise ValueError("law is empty")
    date = (row["date"] or "").strip()
    if not _DATE.match(date):
        raise ValueError(f"date {date!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    countries = frozenset(c.strip().upper() for c in (row["countries"] or "").split(";"))
    bad = sorted(c for c in countries if not is_country_code(c))
    if bad or not countries:
        raise ValueError(f"countries has {', '.join(bad) or 'nothing'}, not ISO 3166-1 codes")
    source = (row["source"] or "").strip()
    if source and not source.startswith(("https://", "http://")):
        raise ValueError(f"source {source!r} is not a web link")
    return Restriction(
        jurisdiction=jurisdiction, law=law, date=date, countries=countries, source=source,
        note=(row["note"] or "").strip(),
    )


def restrictions_parse(text: str) -> list[Restriction]:
    """Every row of the file's ``text``, validated; the first bad row raises with its line."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != COLUMNS:
        raise RestrictionsFileError(f"line 1: header must be: {','.join(COLUMNS)}")
    restrictions = []
    for row in reader:
        if None in row or any(value is None for value in row.values()):
            raise RestrictionsFileError(f"line {reader.line_num}: expected {len(COLUMNS)} columns")
        try:
            restrictions.append(_parse_row(row))
        except ValueError as exc:
            raise RestrictionsFileError(f"line {reader.line_num}: {exc}") from None
    return restrictions


def _within(place: Place, jurisdiction: str) -> bool:
    if "-" in jurisdiction:
        return place.region.upper() == jurisdiction
    return place.country.upper() == jurisdiction


def restriction_notes(
    *, city_a: Place, city_b: Place, restrictions: list[Restriction]
) -> list[RestrictionNote]:
    """The restrictions that apply to a twinning of ``city_a`` and ``city_b``: one city
    in the law's jurisdiction, the other city's country in the law's list."""
    notes = []
    for restriction in restrictions:
        for city, other in ((city_a, city_b), (city_b, city_a)):
            if _within(city, restriction.jurisdiction) and (
                other.country.upper() in restriction.countries
            ):
                notes.append(RestrictionNote(restriction=restriction, city=city, other=other))
    return notes
