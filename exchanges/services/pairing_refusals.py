"""What a teacher reads when the matching engine cannot read their classes' data.

The engine says why in English (``InstanceError.reason``, for logs); its ``kind`` picks
the sentence here, in the teacher's language. The kinds are the engine's constants,
spelled out: importing ``matching`` loads the whole engine (see pupil_pairing.py).
"""

from django.utils.translation import gettext as _


def _class_data_refusals() -> dict[str, str]:
    return {
        "language_unknown": _(
            "These classes cannot be paired yet: one of them lists a language the platform "
            "does not know. Check the classes' languages (Edit the class)."),
        "language_twice": _(
            "These classes cannot be paired yet: one of them lists a language twice. Check "
            "the classes' languages (Edit the class)."),
        "level_unknown": _(
            "These classes cannot be paired yet: one of them gives a language a level the "
            "platform does not know. Check the classes' languages (Edit the class)."),
        "birth_year": _(
            "These classes cannot be paired yet: the platform cannot use the pupils' ages "
            "of one of them. Check the classes' ages (Edit the class)."),
    }


def pairing_refusal(kind: str) -> str:
    """The teacher's sentence for an ``InstanceError`` of ``kind``. The other kinds are
    in data the platform writes itself (zones, times, ids), not the teachers: a fault
    of ours, said as such."""
    return _class_data_refusals().get(kind) or _(
        "These classes cannot be paired yet: the platform cannot read some of their "
        "pupils' data. Try again later; if it happens again, tell the platform's "
        "administrators.")
