"""Writes about classes: create, edit and delete a class (with its consent record) and
rotate its join code; the partner requests between classes are in partner_requests.py."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exchanges.models import (
    City,
    Classroom,
    ClassroomExchange,
    ClassroomLanguage,
    PartnerRequest,
    SchoolHours,
    TermHoliday,
    User,
)
from exchanges.models.classrooms import new_join_code
from exchanges.models.people import Level
from exchanges.pure.consent_ages import ConsentRule, consent_rule
from exchanges.pure.languages import is_language_code
from exchanges.pure.partner_classes import MAX_AGE_GAP, bands_gap
from exchanges.pure.plannable import named_bounds, plannable
from exchanges.pure.text_safety import has_visible, name_clean
from exchanges.selectors.classrooms import (
    classroom_is_in_use,
    classroom_keeps_exchange,
    live_partner_classes,
)
from exchanges.selectors.teachers import teacher_may_draft
from exchanges.selectors.twinnings import cities_with_active_twinning
from exchanges.services.class_sessions import class_sessions_check, class_sessions_refit
from exchanges.services.metrics_kept import counts_kept
from exchanges.services.notifications import notification_create
from exchanges.services.participants import LanguageInput, WindowInput
from exchanges.services.typed_text import name_refused

JOIN_CODE_DAYS = 14
JOIN_CODE_MAX_DAYS = 120
AGE_LIMITS = (4, 19)
SIZE_LIMITS = (1, 60)
TERM_MAX_DAYS = 366


@dataclass(frozen=True)
class HolidayInput:
    first_day: dt.date
    last_day: dt.date
    name: str = ""


@dataclass(frozen=True)
class ClassroomInput:
    name: str
    school: str
    city: City
    age_min: int
    age_max: int
    size: int
    term_start: dt.date
    term_end: dt.date
    languages: list[LanguageInput]
    hours: list[WindowInput]
    holidays: list[HolidayInput]
    consent_confirmed: bool


def consent_sentence(rule: ConsentRule, age_min: int) -> str:
    """ConsentRule.sentence in the reader's language."""
    where = rule.law if rule.listed else _("no rule listed for %(country)s; 16 assumed") % {
        "country": rule.country}
    values = {"age": rule.age, "where": where, "age_min": age_min}
    if rule.needs_parental_consent(age_min):
        return _("Pupils under %(age)s need their parents' consent (%(where)s); your class "
                 "starts at %(age_min)s.") % values
    return _("The consent age is %(age)s (%(where)s); your pupils are %(age_min)s or "
             "older.") % values


def _name_error(value: str, *, blank: str | None) -> str | None:
    """Why a class, school or holiday name cannot be used (partner classes read it), or
    None; ``blank`` is the answer to an empty field (None: it may stay empty)."""
    if not value.strip():
        return blank
    return name_refused(value, required=blank is not None)


def _optional_name(value: str) -> str:
    return "" if not has_visible(value) else name_clean(value)


def _validate(data: ClassroomInput, *, kept_term_end: dt.date | None = None) -> None:
    """``kept_term_end``: the term end stored for an edited class, which may lie in the
    past (the class outlives its term); any other term must not have ended yet."""
    errors: dict[str, str] = {}
    for field, blank in (("name", _("Give the class a name.")),
                         ("school", _("Give the school's name."))):
        problem = _name_error(getattr(data, field), blank=blank)
        if problem:
            errors[field] = problem
    if not cities_with_active_twinning().filter(pk=data.city.pk).exists():
        errors["city"] = _("This city has no active twinning on Jumelage yet.")
    low, high = AGE_LIMITS
    if not (low <= data.age_min <= data.age_max <= high):
        errors["age_max"] = _("Give an age band between %(low)s and %(high)s, youngest "
                              "first.") % {"low": low, "high": high}
    if not SIZE_LIMITS[0] <= data.size <= SIZE_LIMITS[1]:
        errors["size"] = _("A class has between %(low)s and %(high)s pupils.") % {
            "low": SIZE_LIMITS[0], "high": SIZE_LIMITS[1]}
    today = timezone.localdate()
    if not (plannable(data.term_start, today) and plannable(data.term_end, today)):
        errors["term_start"] = (_("Choose term days from %(earliest)s to %(latest)s.")
                                % named_bounds(today))
    elif data.term_end < data.term_start:
        errors["term_end"] = _("The term ends after it starts.")
    elif (data.term_end - data.term_start).days > TERM_MAX_DAYS:
        errors["term_end"] = _("A term lasts at most a year.")
    elif data.term_end != kept_term_end and data.term_end < _city_today(data.city):
        errors["term_end"] = _(
            "This term ended on %(end)s: give the dates of the current or the next term."
        ) % {"end": formats.date_format(data.term_end)}
    rule = consent_rule(data.city.country)
    # Only pupils under the country's consent age need it; older pupils consent themselves.
    if not data.consent_confirmed and rule.needs_parental_consent(data.age_min):
        errors["consent"] = (
            _("Confirm that your school holds the consent required for your pupils.")
            + " " + consent_sentence(rule, data.age_min)
        )
    if errors:
        raise ValidationError(errors)
    _validate_languages(data.languages)
    _validate_hours(data.hours)
    for holiday in data.holidays:
        problem = _name_error(holiday.name, blank=None)
        if problem:
            raise ValidationError({"holidays": problem})
        if holiday.last_day < holiday.first_day:
            raise ValidationError({"holidays": _("A holiday ends on or after its first day.")})
        if holiday.first_day < data.term_start or holiday.last_day > data.term_end:
            raise ValidationError({"holidays": _("Holidays lie inside the term.")})


def _city_today(city: City) -> dt.date:
    return timezone.localdate(timezone=ZoneInfo(city.tz))


def _validate_languages(languages: list[LanguageInput]) -> None:
    seen = set()
    for lang in languages:
        if not is_language_code(lang.code) or lang.level not in Level.values:
            raise ValidationError(
                {"languages": _("Unknown language or level: %(code)s.") % {"code": lang.code}}
            )
        if lang.learning and lang.level == Level.NATIVE:
            raise ValidationError(
                {"languages": _("A language the class learns is not native.")}
            )
        if (lang.code, lang.learning) in seen:
            raise ValidationError(
                {"languages": _("%(code)s is listed twice.") % {"code": lang.code}}
            )
        seen.add((lang.code, lang.learning))
    spoken = {lang.code for lang in languages if not lang.learning}
    if not spoken:
        raise ValidationError({"languages": _("Add the language the class speaks.")})
    if not any(lang.learning for lang in languages):
        raise ValidationError({"languages": _("Add a language the class learns.")})
    if spoken & {lang.code for lang in languages if lang.learning}:
        raise ValidationError({"languages": _("A language is either spoken or learnt.")})


def _validate_hours(hours: list[WindowInput]) -> None:
    by_day: dict[int, list[WindowInput]] = {}
    for window in hours:
        if window.end <= window.start:
            raise ValidationError({"hours": _("Each school-hours window ends after it starts.")})
        by_day.setdefault(window.weekday, []).append(window)
    for windows in by_day.values():
        windows.sort(key=lambda w: w.start)
        for earlier, later in zip(windows, windows[1:], strict=False):
            if later.start < earlier.end:
                raise ValidationError({"hours": _("Two school-hours windows overlap.")})


def _save(classroom: Classroom, data: ClassroomInput, by) -> Classroom:
    rule = consent_rule(data.city.country)
    classroom.name = name_clean(data.name)[:80]
    classroom.school = name_clean(data.school)[:160]
    classroom.city = data.city
    classroom.age_min, classroom.age_max, classroom.size = data.age_min, data.age_max, data.size
    classroom.term_start, classroom.term_end = data.term_start, data.term_end
    # Every save re-confirms: the age band or the country may have changed. A class at
    # or above the consent age needs no confirmation, and records none unless given.
    classroom.consent_country, classroom.consent_age = rule.country, rule.age
    confirmed = data.consent_confirmed
    classroom.consent_confirmed_by = by if confirmed else None
    classroom.consent_confirmed_at = timezone.now() if confirmed else None
    classroom.save()
    classroom.languages.all().delete()
    ClassroomLanguage.objects.bulk_create(
        ClassroomLanguage(classroom=classroom, code=lang.code, level=lang.level,
                          learning=lang.learning)
        for lang in data.languages
    )
    classroom.hours.all().delete()
    SchoolHours.objects.bulk_create(
        SchoolHours(classroom=classroom, weekday=w.weekday, start=w.start, end=w.end)
        for w in data.hours
    )
    classroom.holidays.all().delete()
    TermHoliday.objects.bulk_create(
        TermHoliday(classroom=classroom, first_day=h.first_day, last_day=h.last_day,
                    name=_optional_name(h.name)[:80])
        for h in data.holidays
    )
    return classroom


@transaction.atomic
def classroom_create(*, teacher, data: ClassroomInput) -> Classroom:
    """A new class; applicants waiting for approval may draft one."""
    if not teacher_may_draft(user=teacher):
        raise PermissionDenied(_("Apply as a teacher before creating a class."))
    _validate(data)
    zone = ZoneInfo(data.city.tz)
    last_day = timezone.localdate(timezone=zone) + dt.timedelta(days=JOIN_CODE_DAYS)
    classroom = Classroom(teacher=teacher, join_code_expires_at=_day_end(last_day, zone))
    return _save(classroom, data, teacher)


def _day_end(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """The instant a code valid through ``day`` in ``zone`` stops admitting pupils: the
    next local midnight, so the class page can say "until the end of <day>"."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone)


@transaction.atomic
def classroom_update(*, classroom: Classroom, by, data: ClassroomInput,
                     sessions_confirmed: str = "", now: dt.datetime | None = None) -> Classroom:
    """Save the class as its teacher typed it. New hours, a shorter term or a holiday
    that leave scheduled class sessions outside both schools' shared time are asked
    first (``class_sessions_check``): nothing is saved until ``sessions_confirmed``
    answers that question, then those sessions are cancelled and their people told."""
    now = now or timezone.now()
    if classroom.teacher_id != by.pk:
        raise PermissionDenied(_("Only the class's teacher can change it."))
    _validate(data, kept_term_end=classroom.term_end)
    locked = Classroom.objects.select_for_update().get(pk=classroom.pk)
    if data.city.pk != locked.city_id and classroom_is_in_use(classroom=locked):
        # Pupils live in the class's city and exchanges sit in its twinning.
        raise ValidationError(
            {"city": _("Pupils or a partner class are linked to this class's city: create a "
                       "new class for another city.")}
        )
    _check_partner_ages(locked, data)
    saved = _save(locked, data, by)
    # What the saved times leave out is read from the rows just written; a refusal
    # rolls them back with this transaction.
    outside = class_sessions_check(classroom=saved, confirmed=sessions_confirmed, now=now)
    if outside:
        class_sessions_refit(classroom=saved, sessions=outside, now=now)
    return saved


def _check_partner_ages(classroom: Classroom, data: ClassroomInput) -> None:
    """A class in a live exchange keeps an age band its partner class may meet: an edit
    must not bring the partner's pupils older ones (adults, at 18 and 19) in their rooms,
    as a request between such classes is refused."""
    for partner in live_partner_classes(classroom=classroom):
        if bands_gap((data.age_min, data.age_max),
                     (partner.age_min, partner.age_max)) > MAX_AGE_GAP:
            raise ValidationError({"age_max": _(
                "Your partner class %(class)s is %(low)s to %(high)s years old: keep your "
                "class's ages within %(years)s years of theirs, or create a new class for "
                "other pupils."
            ) % {"class": partner.name, "low": partner.age_min, "high": partner.age_max,
                 "years": MAX_AGE_GAP}})


@transaction.atomic
def classroom_delete(*, classroom: Classroom, by) -> int:
    """Delete a class, with its pupils' accounts (a pupil's account exists only through
    the class); the number of pupils removed.

    A class whose exchange runs, or has ended but not yet had its pupils' data purged,
    shares its rooms, wall and sessions with the partner class, so it stays until the
    retention rule has run. Once it has, the ended exchanges go with the class.
    """
    if classroom.teacher_id != by.pk:
        raise PermissionDenied(_("Only the class's teacher can delete it."))
    locked = Classroom.objects.select_for_update().get(pk=classroom.pk)
    if classroom_keeps_exchange(classroom=locked):
        raise ValidationError(_(
            "This class has had an exchange with a partner class, which shares its rooms, "
            "wall and sessions: it cannot be deleted. Its pupils' data is deleted a set "
            "time after the exchange ends: the class's delete page says when."
        ))
    _pending_requests_tell(locked)
    _partners_tell(locked)
    pupils = User.objects.filter(participant__classroom=locked, is_pupil=True)
    removed = pupils.count()
    # Its ended exchanges go with it (their pupils' data went at the purge); the figures
    # keep counting their sessions and rooms, anonymously, for the days that are over.
    exchanges = ClassroomExchange.objects.filter(Q(classroom_a=locked) | Q(classroom_b=locked))
    # The teachers' posts outlive the purge: they go with those exchanges, and their
    # images' files after commit (services.wall's receiver).
    with counts_kept(exchange_ids=exchanges.values_list("pk", flat=True)):
        pupils.delete()
        locked.delete()
    return removed


def _partners_tell(classroom: Classroom) -> None:
    """The teacher of each partner class it had learns that the ended exchange is gone."""
    exchanges = ClassroomExchange.objects.filter(
        Q(classroom_a=classroom) | Q(classroom_b=classroom)
    ).select_related("classroom_a__teacher", "classroom_b__teacher")
    for exchange in exchanges:
        _deleted_tell(classroom, other=exchange.partner_of(classroom), message=gettext_noop(
            "%(class)s (%(city)s) was deleted by its teacher: the ended exchange between it "
            "and %(yours)s is gone."))


def _pending_requests_tell(classroom: Classroom) -> None:
    """The other teacher of each pending request learns that it went with the class."""
    pending = PartnerRequest.objects.filter(
        Q(from_classroom=classroom) | Q(to_classroom=classroom),
        status=PartnerRequest.Status.PENDING,
    ).select_related("from_classroom__teacher", "to_classroom__teacher")
    for request in pending:
        other = (request.to_classroom if request.from_classroom_id == classroom.pk
                 else request.from_classroom)
        _deleted_tell(classroom, other=other, message=gettext_noop(
            "%(class)s (%(city)s) was deleted by its teacher: the partner request between "
            "it and %(yours)s is gone."))


def _deleted_tell(classroom: Classroom, *, other: Classroom, message: str) -> None:
    """Tell the teacher of ``other`` that ``classroom`` was deleted, and what went with it."""
    notification_create(
        user=other.teacher, kind="classroom.deleted", message=message,
        params={"class": str(classroom), "city": classroom.city.name, "yours": str(other)},
        url=reverse("classes"),
    )


@transaction.atomic
def join_code_rotate(*, classroom: Classroom, by, expires_on: dt.date | None = None) -> Classroom:
    """A new code (the old one stops working at once) that admits pupils until the end
    of ``expires_on`` in the class's city (default: in 14 days)."""
    if classroom.teacher_id != by.pk:
        raise PermissionDenied(_("Only the class's teacher can change its code."))
    today = timezone.localdate(timezone=ZoneInfo(classroom.city.tz))
    expires_on = expires_on or today + dt.timedelta(days=JOIN_CODE_DAYS)
    if not today <= expires_on <= today + dt.timedelta(days=JOIN_CODE_MAX_DAYS):
        raise ValidationError(
            {"expires_on": _("Choose a day from today to %(days)s days ahead.")
             % {"days": JOIN_CODE_MAX_DAYS}}
        )
    end_of_day = _day_end(expires_on, ZoneInfo(classroom.city.tz))
    classroom = Classroom.objects.select_for_update().get(pk=classroom.pk)
    for _attempt in range(5):
        classroom.join_code = new_join_code()
        classroom.join_code_expires_at = end_of_day
        try:
            with transaction.atomic():
                classroom.save(update_fields=["join_code", "join_code_expires_at"])
            return classroom
        except IntegrityError:  # the same code drawn twice: 1 in 10^12, draw again
            continue
    raise ValidationError(_("No new code could be drawn; try again."))
