"""The interests offered as boxes on the profile page: a fixed list, stored under their
English names (the names free text of the same words is stored under too), shown in the
reader's language. The boxes never list what other people typed: that is their own text,
unreviewed, and in their language."""

from django.utils.translation import gettext_lazy as _

OFFERED = {
    "hiking": _("hiking"),
    "jazz": _("jazz"),
    "cooking": _("cooking"),
    "football": _("football"),
    "photography": _("photography"),
    "cinema": _("cinema"),
    "board games": _("board games"),
    "history": _("history"),
    "gardening": _("gardening"),
    "cycling": _("cycling"),
    "literature": _("literature"),
    "theatre": _("theatre"),
    "classical music": _("classical music"),
    "video games": _("video games"),
    "running": _("running"),
    "painting": _("painting"),
    "travel": _("travel"),
    "science": _("science"),
    "politics": _("politics"),
    "fashion": _("fashion"),
    "architecture": _("architecture"),
    "baking": _("baking"),
    "chess": _("chess"),
    "climbing": _("climbing"),
    "dance": _("dance"),
    "anime": _("anime"),
    "podcasts": _("podcasts"),
    "volunteering": _("volunteering"),
    "wine": _("wine"),
    "birdwatching": _("birdwatching"),
}


def interest_label(name: str) -> str:
    """An offered interest in the reader's language; anything else as its writer typed it."""
    label = OFFERED.get(name)
    return str(label) if label is not None else name
