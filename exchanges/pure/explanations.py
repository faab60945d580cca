"""The engine's explanation of a match, told as sentences to one of the two partners,
in the active language."""

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exchanges.pure.interest_list import interest_label
from exchanges.pure.languages import language_name


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s and %(last)s") % {
        "items": _(", ").join(items[:-1]), "last": items[-1],
    }


def _level(level: str) -> str:
    return _("native") if level == "native" else level


def _hours(hours: float) -> str:
    rounded = round(hours * 2) / 2
    # Written as the active language writes numbers: "8.5" in English, "8,5" in German.
    text = formats.number_format(rounded, decimal_pos=0 if rounded.is_integer() else 1)
    # Only exactly one hour is singular ("1.5 free hours").
    return ngettext("%(hours)s free hour", "%(hours)s free hours", 1 if rounded == 1 else 2) % {
        "hours": text
    }


def _speaker_sentence(lang: dict, me: str, name: str, partner_name: str) -> str:
    values = {
        "language": name, "partner": partner_name,
        "speaker_level": lang["speaker_level"], "learner_level": lang["learner_level"],
    }
    if lang["speaker"] == me:
        if lang["speaker_level"] == "native":
            text = _("You speak %(language)s natively and %(partner)s is learning it at "
                     "%(learner_level)s.")
        else:
            text = _("You speak %(language)s at %(speaker_level)s and %(partner)s is learning "
                     "it at %(learner_level)s.")
    elif lang["speaker_level"] == "native":
        text = _("%(partner)s speaks %(language)s natively and you are learning it at "
                 "%(learner_level)s.")
    else:
        text = _("%(partner)s speaks %(language)s at %(speaker_level)s and you are learning "
                 "it at %(learner_level)s.")
    return text % values


def explanation_sentences(*, explanation: dict, viewer_id: int, partner_name: str) -> list[str]:
    """E.g. "You both enjoy hiking and jazz. You speak German natively and Alex is learning
    it at B1. You share 5 free hours a week."."""
    me = str(viewer_id)
    sentences = []
    shared = explanation.get("shared_interests") or []
    if shared:
        sentences.append(_("You both enjoy %(interests)s.")
                         % {"interests": _join([interest_label(name) for name in shared])})
    for lang in explanation.get("languages", []):
        name = language_name(lang["code"])
        if "speaker" in lang:
            sentences.append(_speaker_sentence(lang, me, name, partner_name))
        else:
            levels = lang.get("levels", {})
            mine = next((lvl for pid, lvl in levels.items() if pid == me), "")
            theirs = next((lvl for pid, lvl in levels.items() if pid != me), "")
            sentences.append(
                _("You can talk in %(language)s (%(mine)s for you, %(theirs)s for %(partner)s).")
                % {"language": name, "mine": _level(mine), "theirs": _level(theirs),
                   "partner": partner_name}
            )
    hours = explanation.get("overlap_hours_per_week")
    if hours:
        sentences.append(_("You share %(hours)s a week.") % {"hours": _hours(hours)})
    waiting = explanation.get("waiting_days", {})
    if waiting.get(me, 0) >= 14:
        days = waiting[me]
        sentences.append(ngettext(
            "You have waited %(days)d day for a partner, so you came first.",
            "You have waited %(days)d days for a partner, so you came first.",
            days,
        ) % {"days": days})
    return sentences
