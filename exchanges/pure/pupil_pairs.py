"""Pairing the pupils of two classes: the interest list pupils pick from, who takes two
partners where the class sizes differ, groups from the engine's pairs, and the sentence
that explains a group to the teachers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# A short, fixed list: pupils pick, never type, so nothing personal is written here.
PUPIL_INTERESTS: tuple[tuple[str, str], ...] = (
    ("animals", "Animals"),
    ("art-drawing", "Art and drawing"),
    ("books", "Books"),
    ("cooking", "Cooking"),
    ("dance", "Dance"),
    ("films", "Films"),
    ("football", "Football"),
    ("games", "Games"),
    ("history", "History"),
    ("music", "Music"),
    ("nature", "Nature"),
    ("science", "Science"),
    ("space", "Space"),
    ("sport", "Other sports"),
    ("technology", "Technology"),
    ("travel", "Travel"),
)
INTEREST_NAMES = dict(PUPIL_INTERESTS)
# The same names in the reader's language (the English ones above name the stored rows).
INTEREST_LABELS = {
    "animals": gettext_lazy("Animals"),
    "art-drawing": gettext_lazy("Art and drawing"),
    "books": gettext_lazy("Books"),
    "cooking": gettext_lazy("Cooking"),
    "dance": gettext_lazy("Dance"),
    "films": gettext_lazy("Films"),
    "football": gettext_lazy("Football"),
    "games": gettext_lazy("Games"),
    "history": gettext_lazy("History"),
    "music": gettext_lazy("Music"),
    "nature": gettext_lazy("Nature"),
    "science": gettext_lazy("Science"),
    "space": gettext_lazy("Space"),
    "sport": gettext_lazy("Other sports"),
    "technology": gettext_lazy("Technology"),
    "travel": gettext_lazy("Travel"),
}
MAX_PUPIL_INTERESTS = 5
# The engine lets one person have at most three partners.
MAX_PARTNERS = 3


class SizeError(ValueError):
    """The classes cannot be paired so that everyone has a partner."""


def capacities(smaller: list[int], larger_count: int) -> dict[int, int]:
    """How many partners each pupil of the smaller class takes, so that every pupil of
    both classes has one: ``smaller`` is in order of preference (the first take the extra
    partners), pupils of the larger class take one each.

    5 and 4 pupils: one pupil of the class of 4 takes two partners (a trio).
    """
    # The teachers read these refusals as they are (in their language).
    if not smaller or not larger_count:
        raise SizeError(_("Both classes need pupils before they can be paired."))
    extra = larger_count - len(smaller)
    if extra < 0:
        raise SizeError("Give the smaller class first.")  # a caller's slip, never shown
    if extra > (MAX_PARTNERS - 1) * len(smaller):
        raise SizeError(
            _("The classes differ too much in size: a pupil can have at most %(max)s "
              "partners.") % {"max": MAX_PARTNERS}
        )
    result = dict.fromkeys(smaller, 1)
    rounds = 0
    while extra:
        rounds += 1
        for key in smaller:
            if not extra:
                break
            if result[key] == rounds:
                result[key] += 1
                extra -= 1
    return result


def groups_from_pairs(pairs: Iterable[tuple[int, int]]) -> list[list[int]]:
    """The connected groups of the pairs (a pupil with two partners makes a trio), each
    sorted, ordered by their smallest member."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    groups: dict[int, list[int]] = {}
    for x in list(parent):
        groups.setdefault(find(x), []).append(x)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])


def shared_interests(interests: Mapping[int, Iterable[str]], members: Iterable[int]) -> list[str]:
    """Interests every member of the group picked."""
    sets = [set(interests.get(m, ())) for m in members]
    return sorted(set.intersection(*sets)) if sets else []


def group_sentence(shared: list[str], size: int, swapped: bool) -> str:
    """"Both like Football and Music." / "A trio: the classes differ in size." … in the
    active language."""
    names = [str(INTEREST_LABELS.get(slug, INTEREST_NAMES.get(slug, slug))) for slug in shared]
    parts = []
    if size > 2:
        parts.append(_("A group of %(size)d: the two classes differ in size.") % {"size": size})
    if names:
        listed = (names[0] if len(names) == 1
                  else _(", ").join(names[:-1]) + _(" and ") + names[-1])
        if size == 3:
            like = _("All three like %(interests)s.")
        elif size > 3:
            like = _("All like %(interests)s.")
        else:
            like = _("Both like %(interests)s.")
        parts.append(like % {"interests": listed})
    else:
        parts.append(_("No interest in common yet: a chance to discover each other's."))
    if swapped:
        parts.append(_("Changed by a teacher."))
    return " ".join(parts)
