"""Rank candidate partner classes and explain each suggestion in a sentence.

Plain records in, ranked suggestions out: the selector builds the records from the
database; the overlap of school time comes from :mod:`exchanges.pure.class_overlap`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from exchanges.pure.class_overlap import ClassOverlap, SchoolCalendar, class_overlap, overlap_text
from exchanges.pure.languages import language_name

# Pupils more than this many years apart are not suggested to each other.
MAX_AGE_GAP = 2
# A typical week with this much shared time counts as a full fit.
FULL_WEEKLY_MINUTES = 120
WEIGHTS = {"languages": 0.4, "overlap": 0.3, "age": 0.15, "size": 0.15}


@dataclass(frozen=True)
class ClassRecord:
    key: int
    name: str
    city_name: str
    age_min: int
    age_max: int
    size: int
    speaks: frozenset[str]
    learns: frozenset[str]
    calendar: SchoolCalendar | None  # None: no school hours or term given yet


@dataclass(frozen=True)
class Suggestion:
    key: int
    score: float
    reciprocity: str  # "both", "one-way" or "none"
    overlap: ClassOverlap | None
    explanation: str

    @property
    def is_live(self) -> bool:
        return self.overlap is not None and self.overlap.is_live

    @property
    def suggest_async(self) -> bool:
        return not self.is_live


def age_gap(a: ClassRecord, b: ClassRecord) -> int:
    return bands_gap((a.age_min, a.age_max), (b.age_min, b.age_max))


def bands_gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Years between two age bands (youngest, oldest); 0 when they overlap."""
    return max(0, a[0] - b[1], b[0] - a[1])


def _names(codes) -> str:
    return _(" and ").join(language_name(code) for code in sorted(codes))


def _languages(mine: ClassRecord, theirs: ClassRecord) -> tuple[str, float, str]:
    they_learn = theirs.learns & mine.speaks
    we_learn = mine.learns & theirs.speaks
    if they_learn and we_learn:
        return "both", 1.0, _("both learn each other's language (%(ours)s ↔ %(theirs)s)") % {
            "ours": _names(we_learn), "theirs": _names(they_learn)}
    if we_learn:
        return "one-way", 0.5, _("your class learns %(languages)s, which they speak") % {
            "languages": _names(we_learn)}
    if they_learn:
        return "one-way", 0.5, _("they learn %(languages)s, which your class speaks") % {
            "languages": _names(they_learn)}
    return "none", 0.0, _("no language one class learns is spoken by the other")


def suggest(
    mine: ClassRecord, candidates: list[ClassRecord], *, today: dt.date
) -> list[Suggestion]:
    """Candidates within the age gap, best first; those without live overlap stay listed
    with an asynchronous suggestion."""
    result = []
    for other in candidates:
        if other.key == mine.key or age_gap(mine, other) > MAX_AGE_GAP:
            continue
        reciprocity, language_part, language_text = _languages(mine, other)
        overlap = None
        if mine.calendar is not None and other.calendar is not None:
            overlap = class_overlap(mine.calendar, other.calendar, today=today)
        weekly = overlap.weekly_minutes if overlap is not None else 0
        parts = {
            "languages": language_part,
            "overlap": min(1.0, weekly / FULL_WEEKLY_MINUTES),
            "age": 1.0 - age_gap(mine, other) / (MAX_AGE_GAP + 1),
            "size": min(mine.size, other.size) / max(mine.size, other.size, 1),
        }
        score = round(sum(WEIGHTS[name] * value for name, value in parts.items()), 3)
        if overlap is None:
            time_text = _("school hours or term dates are missing, so no shared time is known")
        else:
            time_text = overlap_text(overlap, mine.city_name, other.city_name)
        # Clauses joined and a sentence ended as the language writes them ("; " / "、").
        clause = pgettext("joins two clauses of a sentence", "; ")
        explanation = f"{language_text[0].upper()}{language_text[1:]}{clause}{time_text}"
        if overlap is None or not overlap.is_live:
            explanation += clause + _("an asynchronous exchange (the wall) suits you better")
        explanation += pgettext("ends a sentence before the next one", ". ") + _(
            "Ages %(mine)s and %(theirs)s, %(my_size)s and %(their_size)s pupils."
        ) % {"mine": f"{mine.age_min}–{mine.age_max}",
             "theirs": f"{other.age_min}–{other.age_max}", "my_size": mine.size,
             "their_size": other.size}
        result.append(Suggestion(
            key=other.key, score=score, reciprocity=reciprocity, overlap=overlap,
            explanation=explanation,
        ))
    return sorted(result, key=lambda s: (-s.score, s.key))
