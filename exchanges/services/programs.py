"""Officers create and edit their programs on the platform (not in the admin)."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from exchanges.models import AuditEvent, Program, Twinning, User
from exchanges.models.programs import validate_completion_sessions, validate_new_start_date
from exchanges.pure.text_safety import text_clean
from exchanges.selectors.history import program_history
from exchanges.selectors.programs import program_has_people, user_is_officer_of
from exchanges.selectors.roles import user_roles
from exchanges.services.program_dates import program_dates_check, program_sessions_refit
from exchanges.services.program_enrolment import program_residents_enrol
from exchanges.services.program_questions import (
    program_removal_check,
    question_noted,
    questions_raise,
)
from exchanges.services.typed_text import name_checked

EDITABLE = (
    "name", "kind", "description", "start_date", "weeks", "session_minutes",
    "completion_sessions", "is_open",
)


def _names_a_page(slug: str) -> bool:
    """Whether the slug's dashboard address is another page of the programs' (``new``:
    /programs/new/ creates a program), where that program could never be shown."""
    return resolve(reverse("program_detail", args=[slug])).url_name != "program_detail"


def _unique_slug(name: str, exclude: int | None = None) -> str:
    base = slugify(name)[:100] or "program"
    slug, n = base, 2
    taken = Program.objects.exclude(pk=exclude) if exclude else Program.objects.all()
    while _names_a_page(slug) or taken.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_new_start(start_date: dt.date) -> None:
    """``validate_new_start_date``, its message on the start date's field."""
    try:
        validate_new_start_date(start_date)
    except ValidationError as exc:
        raise ValidationError({"start_date": exc.error_list}) from exc


def _check_twinnings(twinnings, current: set[int]) -> list[Twinning]:
    twinnings = list(twinnings)
    if not twinnings:
        raise ValidationError({"twinnings": _("A program runs over at least one twinning.")})
    added = [t for t in twinnings if t.pk not in current and not t.is_active]
    if added:
        names = _(", ").join(t.with_countries for t in added)
        raise ValidationError(
            {"twinnings": _("Only active twinnings can be added; not active: %(names)s.")
             % {"names": names}}
        )
    return twinnings


def _check_kind_change(stored: Program) -> None:
    # The kind decides who may join (adults or classes), how they are matched and how the
    # figures count them: changed afterwards, it would strand the adults of a tandem in a
    # classroom program and re-label everyone counted so far.
    if program_has_people(program=stored):
        raise ValidationError({"kind": _(
            "The kind cannot change once people have joined the program or been matched "
            "in it: create a new program instead."
        )})


# A second "create" this soon with the same name is the first one sent twice (a double
# click, a resent form): it would make a twin program and tell its people twice.
RESENT_WITHIN = dt.timedelta(minutes=2)


def _check_not_just_created(by: User, name: str) -> None:
    User.objects.select_for_update().filter(pk=by.pk).first()  # one create at a time
    recent = Program.objects.filter(
        officers=by, name=name, created_at__gte=timezone.now() - RESENT_WITHIN
    ).first()
    if recent is not None:
        raise ValidationError({"name": _(
            "You created the program %(name)s a moment ago: it is on your programs page. "
            "To create a second one, give it another name."
        ) % {"name": recent.name}})


@transaction.atomic
def program_create(
    *, by: User, name: str, kind: str, twinnings, start_date: dt.date, weeks: int,
    session_minutes: int, completion_sessions: int, is_open: bool, description: str = "",
) -> Program:
    """A new program run by ``by`` (an officer or a superuser), who becomes its officer."""
    if not user_roles(user=by).sees_programs:
        raise PermissionDenied(_("Only program officers can create programs."))
    twinnings = _check_twinnings(twinnings, current=set())
    # The name is shown to participants and in the public register: it must show itself.
    name = name_checked(name, field="name")
    _check_not_just_created(by, name)
    program = Program(
        name=name, slug=_unique_slug(name), kind=kind, description=text_clean(description),
        start_date=start_date, weeks=weeks, session_minutes=session_minutes,
        completion_sessions=completion_sessions, is_open=is_open,
    )
    program.full_clean()  # each value on its own, then the rules between them
    _check_new_start(start_date)
    validate_completion_sessions(weeks=weeks, completion_sessions=completion_sessions)
    program.save()
    program.twinnings.set(twinnings)
    program.officers.add(by)
    program_residents_enrol.delay_on_commit(program.pk)
    AuditEvent.objects.create(
        actor=by, verb="program.created", target=f"program:{program.pk}",
        data={"name": program.name, "twinnings": sorted(t.pk for t in twinnings)},
    )
    return program


@transaction.atomic
def program_update(
    *, program: Program, by: User, twinnings, removal_confirmed: str = "",
    dates_confirmed: str = "", now: dt.datetime | None = None, **values,
) -> Program:
    """Change the program's settings and twinnings; only its officers (or a superuser).
    Removing twinnings that still have matches or class exchanges going, and new dates
    that cancel planned sessions, are asked first (services/program_questions.py): both
    questions together, as the refusal, once nothing else is refused; the save goes
    through once ``removal_confirmed`` and ``dates_confirmed`` answer them."""
    now = now or timezone.now()
    if not user_is_officer_of(user=by, program=program):
        raise PermissionDenied(_("Only this program's officers can change it."))
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable here: {', '.join(sorted(unknown))}")
    program = Program.objects.select_for_update().get(pk=program.pk)
    current = set(program.twinnings.values_list("pk", flat=True))
    twinnings = _check_twinnings(twinnings, current=current)
    new = {t.pk for t in twinnings}
    questions: list[ValidationError] = []
    if current - new:  # only a removal asks
        question_noted(questions, program_removal_check, stored=program, twinnings=twinnings,
                       confirmed=removal_confirmed)
    if "name" in values:
        values["name"] = name_checked(values["name"], field="name")
    if "description" in values:
        values["description"] = text_clean(values["description"])
    changed = {name: value for name, value in values.items() if getattr(program, name) != value}
    if "kind" in changed:
        _check_kind_change(program)
    was = (program.start_date, program.weeks)
    for name, value in changed.items():
        setattr(program, name, value)
    # Each value on its own, then the rules between them; not the slug, which officers
    # do not edit (its uniqueness check would be a query for a value that stays).
    program.full_clean(exclude=["slug"])
    if "start_date" in changed:  # an unchanged start stays, however long ago
        _check_new_start(program.start_date)
    validate_completion_sessions(
        weeks=program.weeks, completion_sessions=program.completion_sessions
    )
    outside = question_noted(questions, program_dates_check, program=program, was=was,
                             confirmed=dates_confirmed, now=now) or []
    questions_raise(questions)
    program.save()
    if new != current:
        program.twinnings.set(twinnings)
    program_residents_enrol.delay_on_commit(program.pk)  # opened, or over a new twinning
    data = {
        "changed": sorted(changed),
        "twinnings_added": sorted(new - current),
        "twinnings_removed": sorted(current - new),
    }
    if (program.start_date, program.weeks) != was:
        data["sessions_cancelled"] = program_sessions_refit(
            program=program, sessions=outside, now=now)
    AuditEvent.objects.create(
        actor=by, verb="program.updated", target=f"program:{program.pk}", data=data,
    )
    return program


# The admin edits these too (the officers' form makes the slug and adds its officer).
ADMIN_FIELDS = (*EDITABLE, "slug")


def program_admin_check(
    *, program: Program, twinnings, removal_confirmed: str = "", dates_confirmed: str = "",
    now: dt.datetime | None = None,
) -> list[str]:
    """The officers' rules for the admin's form. ``program`` holds the values as typed, not
    saved yet: its name and description are cleaned in place as the officers' pages clean
    them; a ValidationError keyed by field says what is refused (the removal and dates
    questions among them). Returns the fields that differ from the stored program (all of
    them for a new one)."""
    return _admin_checked(program, twinnings, removal_confirmed, dates_confirmed,
                          now or timezone.now())[0]


def _admin_checked(program: Program, twinnings, removal_confirmed: str,
                   dates_confirmed: str, now: dt.datetime) -> tuple[list[str], list]:
    """``program_admin_check``'s, and the sessions the new dates cancel."""
    stored = Program.objects.filter(pk=program.pk).first() if program.pk else None
    current = set(stored.twinnings.values_list("pk", flat=True)) if stored else set()
    twinnings = _check_twinnings(twinnings, current=current)
    # The two questions are asked together, as the officers' page asks them; any other
    # refusal comes first, alone.
    questions: list[ValidationError] = []
    if stored is not None and current - {t.pk for t in twinnings}:  # only a removal asks
        question_noted(questions, program_removal_check, stored=stored, twinnings=twinnings,
                       confirmed=removal_confirmed)
    program.name = name_checked(program.name, field="name")
    program.description = text_clean(program.description)
    changed = [
        name for name in ADMIN_FIELDS
        if stored is None or getattr(stored, name) != getattr(program, name)
    ]
    if "slug" in changed and program.slug and _names_a_page(program.slug):
        raise ValidationError({"slug": _(
            "%(address)s is another page of the programs: choose another slug."
        ) % {"address": reverse("program_detail", args=[program.slug])}})
    if stored is not None and "kind" in changed:
        _check_kind_change(stored)
    if "start_date" in changed:  # an unchanged start stays, however long ago
        _check_new_start(program.start_date)
    outside = []
    if stored is not None and None not in (program.start_date, program.weeks):
        outside = question_noted(
            questions, program_dates_check, program=program,
            was=(stored.start_date, stored.weeks), confirmed=dates_confirmed, now=now,
        ) or []
    questions_raise(questions)
    return changed, outside


@transaction.atomic
def program_admin_save(
    *, program: Program, by: User, twinnings, officers, removal_confirmed: str = "",
    dates_confirmed: str = "", now: dt.datetime | None = None,
) -> Program:
    """Save the admin's program (a superuser's) under the officers' rules and their
    removal and dates questions, with the same audit event as their pages (its data says
    ``"via": "admin"``)."""
    now = now or timezone.now()
    if not user_roles(user=by).is_superuser:
        raise PermissionDenied(_("Only a superuser uses the administration."))
    created = program.pk is None
    if not created:
        Program.objects.select_for_update().filter(pk=program.pk).first()
    current = set() if created else set(program.twinnings.values_list("pk", flat=True))
    changed, outside = _admin_checked(program, twinnings, removal_confirmed,
                                      dates_confirmed, now)
    program.full_clean()
    # (The admin's form says this one at its field: CompletionWithinWeeks.)
    validate_completion_sessions(
        weeks=program.weeks, completion_sessions=program.completion_sessions
    )
    program.save()
    twinnings = list(twinnings)
    program.twinnings.set(twinnings)
    program.officers.set(officers)
    program_residents_enrol.delay_on_commit(program.pk)
    new = {t.pk for t in twinnings}
    data = {"via": "admin", "name": program.name} if created else {
        "via": "admin", "changed": sorted(changed),
        "twinnings_added": sorted(new - current), "twinnings_removed": sorted(current - new),
    }
    if created:
        data["twinnings"] = sorted(new)
    elif "start_date" in changed or "weeks" in changed:
        data["sessions_cancelled"] = program_sessions_refit(
            program=program, sessions=outside, now=now)
    AuditEvent.objects.create(
        actor=by, verb="program.created" if created else "program.updated",
        target=f"program:{program.pk}", data=data,
    )
    return program


@transaction.atomic
def program_delete(*, program: Program, by: User) -> None:
    """Delete a program created by mistake (a superuser's, in the admin), with an audit
    event. One that holds people's history (selectors/history.py) is refused: the
    deletion would take their matches, sessions, conversations and the program's past
    figures with it; such a program is closed or let end instead."""
    if not user_roles(user=by).is_superuser:
        raise PermissionDenied(_("Only a superuser uses the administration."))
    # Locked, so that nobody joins or is matched in it between the check and the delete.
    program = Program.objects.select_for_update().get(pk=program.pk)
    if program_history(program=program):
        raise ValidationError(_(
            "%(name)s holds people's history and is kept: close it (untick “Open”) "
            "or let it end instead of deleting it."
        ) % {"name": program.name})
    target, name = f"program:{program.pk}", program.name
    program.delete()
    AuditEvent.objects.create(
        actor=by, verb="program.deleted", target=target, data={"via": "admin", "name": name},
    )
