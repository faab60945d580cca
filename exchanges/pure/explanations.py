"""The engine's explanation of a match, told as sentences to one of the two partners."""

from exchanges.pure.languages import language_name


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _speaks(subject: str, verb_s: bool, level: str, language: str) -> str:
    verb = "speaks" if verb_s else "speak"
    if level == "native":
        return f"{subject} {verb} {language} natively"
    return f"{subject} {verb} {language} at {level}"


def _hours(hours: float) -> str:
    rounded = round(hours * 2) / 2
    text = f"{rounded:g}"
    return f"{text} free hour{'s' if rounded != 1 else ''}"


def explanation_sentences(*, explanation: dict, viewer_id: int, partner_name: str) -> list[str]:
    """E.g. "You both enjoy hiking and jazz. You speak German natively and Alex is learning
    it at B1. You share 5 free hours a week."."""
    me = str(viewer_id)
    sentences = []
    shared = explanation.get("shared_interests") or []
    if shared:
        sentences.append(f"You both enjoy {_join(shared)}.")
    for lang in explanation.get("languages", []):
        name = language_name(lang["code"])
        if "speaker" in lang:
            if lang["speaker"] == me:
                sentences.append(
                    f"{_speaks('You', False, lang['speaker_level'], name)} and {partner_name} "
                    f"is learning it at {lang['learner_level']}."
                )
            else:
                sentences.append(
                    f"{_speaks(partner_name, True, lang['speaker_level'], name)} and you are "
                    f"learning it at {lang['learner_level']}."
                )
        else:
            levels = lang.get("levels", {})
            mine = next((lvl for pid, lvl in levels.items() if pid == me), "")
            theirs = next((lvl for pid, lvl in levels.items() if pid != me), "")
            sentences.append(
                f"You can talk in {name} ({'native' if mine == 'native' else mine} for you, "
                f"{'native' if theirs == 'native' else theirs} for {partner_name})."
            )
    hours = explanation.get("overlap_hours_per_week")
    if hours:
        sentences.append(f"You share {_hours(hours)} a week.")
    waiting = explanation.get("waiting_days", {})
    if waiting.get(me, 0) >= 14:
        sentences.append(f"You have waited {waiting[me]} days for a partner, so you came first.")
    return sentences
