"""Which languages a session is spoken in, and for how long: pure rules over rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from django.utils.translation import gettext as _

from exchanges.pure.languages import language_name

LEVEL_RANK = {"A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6, "native": 7}


class LanguageRow(NamedTuple):
    """The fields of a participant's language that ``plan_languages`` reads (a
    ParticipantLanguage instance has the same attributes)."""

    participant_id: int
    code: str
    level: str
    learning: bool


def plan_languages(
    *, citizen: bool, a_id: int, b_id: int, languages: Iterable[LanguageRow]
) -> list[tuple[str, int | None]]:
    """The languages of a session, in order, each with whom it is for.

    Tandem: half in a language ``a`` learns and ``b`` speaks, half the other way round.
    Citizen (or no reciprocity): the whole session in the best shared spoken language.
    """
    speaks: dict[int, dict[str, int]] = {a_id: {}, b_id: {}}
    learns: dict[int, list[str]] = {a_id: [], b_id: []}
    for lang in languages:
        if lang.learning:
            learns[lang.participant_id].append(lang.code)
        else:
            speaks[lang.participant_id][lang.code] = LEVEL_RANK.get(lang.level, 0)
    if not citizen:
        parts = []
        for learner, teacher in ((a_id, b_id), (b_id, a_id)):
            target = max(
                (code for code in learns[learner] if code in speaks[teacher]),
                key=lambda code, t=teacher: speaks[t][code],
                default=None,
            )
            if target:
                parts.append((target, learner))
        if len(parts) == 2:
            return parts
    shared = set(speaks[a_id]) & set(speaks[b_id])
    if shared:
        best = max(sorted(shared), key=lambda c: min(speaks[a_id][c], speaks[b_id][c]))
        return [(best, None)]
    return []


def language_plan(parts: list[tuple[str, int | None]], minutes: int, week: int) -> list[dict]:
    """Split the session between the parts; the order alternates week by week (fairness)."""
    if len(parts) == 2 and week % 2:
        parts = [parts[1], parts[0]]
    first = minutes // len(parts) if parts else minutes
    return [
        {"language": code, "minutes": first if i == 0 else minutes - first, "for": who}
        for i, (code, who) in enumerate(parts)
    ]


def plan_text(plan: list[dict]) -> str:
    """E.g. "30 min in German, then 30 min in English", in the active language."""
    parts = [
        _("%(minutes)s min in %(language)s")
        % {"minutes": p["minutes"], "language": language_name(p["language"])}
        for p in plan
    ]
    return _(", then ").join(parts)
