"""The two questions a program's save asks before it goes through: removing twinnings
that still have matches or class exchanges of the program going, and new dates that
cancel planned sessions (program_dates.py). The save asks them together, as its refusal,
each with the answer that confirms it; the officers' page and the admin turn that
refusal into their question (``program_questions``), so the save's own reading of what
is at stake is the one asked about."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exchanges.models import Program
from exchanges.selectors.programs import program_removal_reach, program_removal_token
from exchanges.services.program_dates import DATES_UNCONFIRMED

REMOVAL_UNCONFIRMED = "removal_unconfirmed"

# Each question by the form field that carries its answer (the officers' form and the
# admin's name them alike).
ANSWER_FIELDS = {REMOVAL_UNCONFIRMED: "removal_confirmed", DATES_UNCONFIRMED: "dates_confirmed"}


def program_removal_check(*, stored: Program, twinnings, confirmed: str) -> None:
    """Asked as the twinnings' error: removing a twinning ends nothing that runs across
    it, so nothing is saved until ``confirmed`` names exactly these twinnings. The error's
    ``token`` param is that answer, its ``twinnings`` param the twinnings asked about
    (with ``going_matches`` and ``going_exchanges``)."""
    removal = program_removal_reach(program=stored, keep=twinnings)
    token = program_removal_token(removal)
    if not removal or confirmed == token:
        return
    reach = "; ".join(
        f"{t.with_countries}: "
        + ngettext("%(count)s active match", "%(count)s active matches",
                   t.going_matches) % {"count": t.going_matches}
        + ", "
        + ngettext("%(count)s class exchange still going",
                   "%(count)s class exchanges still going",
                   t.going_exchanges) % {"count": t.going_exchanges}
        for t in removal
    )
    raise ValidationError({"twinnings": ValidationError(
        _("Removing these twinnings from %(name)s ends nothing that runs across them "
          "(%(reach)s). They go on as they are: their rooms stay open and their sessions "
          "stay scheduled. The program's matching runs propose no new pairs across these "
          "twinnings, and new class exchanges there do not join the program. To stop what "
          "runs across a twinning, suspend or terminate it first from its page on the "
          "platform. Nothing is saved until you confirm: save again to remove them."),
        code=REMOVAL_UNCONFIRMED,
        params={"name": stored.name, "reach": reach, "token": token, "twinnings": removal},
    )})


def program_questions(exc: ValidationError) -> dict[str, ValidationError]:
    """The questions ``exc`` asks, by the field that carries each answer; empty when it
    refuses anything else (a save says any other refusal alone, before asking)."""
    errors = [e for listed in getattr(exc, "error_dict", {}).values() for e in listed]
    if not errors or any(e.code not in ANSWER_FIELDS for e in errors):
        return {}
    return {ANSWER_FIELDS[e.code]: e for e in errors}


def question_noted(questions: list[ValidationError], check, *args, **kwargs):
    """``check``'s result; its question (removal or dates) noted in ``questions``
    instead of raised, so that both are asked in one round. Any other refusal is
    raised."""
    try:
        return check(*args, **kwargs)
    except ValidationError as exc:
        if not program_questions(exc):
            raise
        questions.append(exc)
        return None


def questions_raise(questions: list[ValidationError]) -> None:
    """The questions noted, asked together as one refusal keyed by field."""
    if not questions:
        return
    fields: dict[str, list] = {}
    for exc in questions:
        for field, listed in exc.error_dict.items():
            fields.setdefault(field, []).extend(listed)
    raise ValidationError(fields)
