"""The teacher's pages: home, a class (create, edit, detail, join code), the partner
finder and partner requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from exchanges.forms.classrooms import (
    ClassLanguageFormSet,
    ClassroomForm,
    CodeRotateForm,
    HolidayFormSet,
    PartnerReplyForm,
    PartnerRequestForm,
    PupilNamesForm,
    SchoolHoursFormSet,
)
from exchanges.models import Classroom
from exchanges.pure.consent_ages import consent_rule
from exchanges.pure.languages import country_name, language_name
from exchanges.selectors.class_homes import teacher_home
from exchanges.selectors.classrooms import (
    classroom_exchange_retention,
    classroom_for_teacher,
    classroom_keeps_exchange,
    classroom_pupils,
    partner_candidates,
    partner_request_for_teacher,
    partner_suggestions,
)
from exchanges.selectors.retention import retention_period
from exchanges.selectors.teachers import (
    teacher_application_latest,
    teacher_is_approved,
    teacher_may_draft,
)
from exchanges.selectors.twinnings import cities_with_active_twinning
from exchanges.services import classrooms as classroom_services
from exchanges.services import partner_requests as partner_request_services
from exchanges.services.class_sessions import class_sessions_question
from exchanges.views.feedback import flash_outcome
from exchanges.views.form_errors import add_service_errors, form_status, refused_or_done


def not_for_pupils(request) -> None:
    if request.user.is_pupil:
        raise PermissionDenied("Pupils see their own class's exchange only.")


def my_classroom(request, classroom_id: int) -> Classroom:
    """The requesting teacher's class; anyone else's is answered 404."""
    not_for_pupils(request)
    classroom = classroom_for_teacher(classroom_id=classroom_id, user=request.user)
    if classroom is None:
        raise Http404("No such class")
    return classroom


def _home_page(request, *, reply_form=None, reply_to: int | None = None, status: int = 200):
    """The teacher's home; a refused reply is shown again under its request, as typed."""
    approved = teacher_is_approved(user=request.user)
    application = teacher_application_latest(user=request.user)
    if not approved and application is None:
        return redirect("teacher_apply")
    context = teacher_home(user=request.user)
    context.update(approved=approved, application=application,
                   reply_form=reply_form or PartnerReplyForm(), reply_to=reply_to)
    return render(request, "exchanges/classrooms/home.html", context, status=status)


@login_required
def classes_home(request):
    not_for_pupils(request)
    return _home_page(request)


def _consent_rules():
    """(rule, country name) for each country with an active twinning, by name in the
    page's language."""
    countries = set(cities_with_active_twinning().values_list("country", flat=True))
    named = [(consent_rule(country), country_name(country)) for country in countries]
    return sorted(named, key=lambda row: row[1])


def _initial(classroom: Classroom):
    main = {
        "name": classroom.name, "school": classroom.school, "city": classroom.city_id,
        "age_min": classroom.age_min, "age_max": classroom.age_max, "size": classroom.size,
        "term_start": classroom.term_start, "term_end": classroom.term_end,
    }
    languages = [{"code": lang.code, "level": lang.level, "learning": "1" if lang.learning else "0"}
                 for lang in classroom.languages.all()]
    hours = [{"weekday": h.weekday, "start": h.start, "end": h.end} for h in classroom.hours.all()]
    holidays = [{"first_day": h.first_day, "last_day": h.last_day, "name": h.name}
                for h in classroom.holidays.all()]
    return main, languages, hours, holidays


def _classroom_form_page(request, classroom: Classroom | None):
    asked = None  # the service's question before it cancels class sessions
    if request.method == "POST":
        form = ClassroomForm(request.POST)
        languages = ClassLanguageFormSet(request.POST, prefix="lang")
        hours = SchoolHoursFormSet(request.POST, prefix="win")
        holidays = HolidayFormSet(request.POST, prefix="hol")
        if all(f.is_valid() for f in (form, languages, hours, holidays)):
            data = form.to_input(languages=languages.inputs(), hours=hours.inputs(),
                                 holidays=holidays.inputs())
            try:
                if classroom is None:
                    saved = classroom_services.classroom_create(teacher=request.user, data=data)
                else:
                    saved = classroom_services.classroom_update(
                        classroom=classroom, by=request.user, data=data,
                        sessions_confirmed=form.cleaned_data["sessions_confirmed"],
                    )
            except ValidationError as exc:
                asked = class_sessions_question(exc)
                if asked is None:
                    add_service_errors(form, exc)
            else:
                messages.success(request, _("%(name)s is saved.") % {"name": saved.name})
                return redirect("classroom_detail", classroom_id=saved.pk)
    else:
        if classroom is None:
            application = teacher_application_latest(user=request.user)
            main = {}
            if application is not None:
                main = {"school": application.school, "city": application.city_id}
            language_rows, hour_rows, holiday_rows = [], [], []
        else:
            main, language_rows, hour_rows, holiday_rows = _initial(classroom)
        form = ClassroomForm(initial=main)
        languages = ClassLanguageFormSet(initial=language_rows, prefix="lang")
        hours = SchoolHoursFormSet(initial=hour_rows, prefix="win")
        holidays = HolidayFormSet(initial=holiday_rows, prefix="hol")
    return render(request, "exchanges/classrooms/form.html", {
        "form": form, "languages": languages, "hours": hours, "holidays": holidays,
        "classroom": classroom, "consent_rules": _consent_rules(),
        # Nothing saved yet: the same form, what was typed kept, and the question.
        "sessions_question": asked and asked.message % asked.params,
        "sessions_token": asked and asked.params["token"],
    }, status=200 if asked else form_status(request))


@login_required
def classroom_create(request):
    not_for_pupils(request)
    if not teacher_may_draft(user=request.user):
        return redirect("teacher_apply")
    return _classroom_form_page(request, None)


@login_required
def classroom_edit(request, classroom_id: int):
    return _classroom_form_page(request, my_classroom(request, classroom_id))


@login_required
def classroom_detail(request, classroom_id: int):
    return classroom_detail_page(request, my_classroom(request, classroom_id))


def classroom_detail_page(request, classroom: Classroom, *, names_form=None, code_form=None,
                          status: int = 200):
    """The class page; ``names_form`` is a refused list of names, ``code_form`` a refused
    join-code date, shown again as typed."""
    consent = consent_rule(classroom.consent_country or classroom.city.country)
    return render(request, "exchanges/classrooms/detail.html", {
        "classroom": classroom,
        # Weekdays and languages named in the page's language.
        "hours": [f"{WEEKDAYS[h.weekday]} {h.start:%H:%M}–{h.end:%H:%M}"
                  for h in classroom.hours.all()],
        "languages": [(lang, language_name(lang.code)) for lang in classroom.languages.all()],
        "pupils": list(classroom_pupils(classroom=classroom)),
        "approved": teacher_is_approved(user=request.user),
        "consent": consent,
        "consent_needed": consent.needs_parental_consent(classroom.age_min),
        "code_form": code_form or CodeRotateForm(),
        "names_form": names_form or PupilNamesForm(),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def classroom_delete(request, classroom_id: int):
    """GET: what deleting the class takes with it, to confirm; POST: delete it."""
    classroom = my_classroom(request, classroom_id)
    if request.method == "GET":
        return render(request, "exchanges/classrooms/delete.html", {
            "classroom": classroom, "pupils": classroom_pupils(classroom=classroom).count(),
            "has_exchange": classroom_keeps_exchange(classroom=classroom),
            "exchanges": classroom_exchange_retention(classroom=classroom),
            "retention_days": retention_period().days,
        })
    name = classroom.name
    if flash_outcome(
        request,
        lambda: classroom_services.classroom_delete(classroom=classroom, by=request.user),
        done=lambda removed: ngettext(
            "%(name)s is deleted, with %(count)s pupil account.",
            "%(name)s is deleted, with %(count)s pupil accounts.", removed,
        ) % {"name": name, "count": removed},
    ):
        return redirect("classes")
    return redirect("classroom_detail", classroom_id=classroom.pk)


@login_required
@require_POST
def join_code_rotate(request, classroom_id: int):
    """A refused date shows the class page again (400), the date as typed, the reason
    beside it."""
    classroom = my_classroom(request, classroom_id)
    form = CodeRotateForm(request.POST)
    if form.is_valid():
        try:
            rotated = classroom_services.join_code_rotate(
                classroom=classroom, by=request.user, expires_on=form.cleaned_data["expires_on"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("That is not yours to change."))
            return redirect("classroom_detail", classroom_id=classroom.pk)
        else:
            messages.success(request, _("New code %(code)s; the old one no longer works.")
                             % {"code": rotated.join_code})
            return redirect("classroom_detail", classroom_id=classroom.pk)
    return classroom_detail_page(request, classroom, code_form=form, status=400)


def _finder_page(request, classroom: Classroom, *, request_form=None,
                 request_to: int | None = None, status: int = 200):
    """The finder; a refused request is shown again on its class's row, as typed."""
    # Each class's country named in the page's language, not by its ISO code.
    rows = [(suggestion, other, state, country_name(other.city.country))
            for suggestion, other, state in partner_suggestions(classroom=classroom)]
    return render(request, "exchanges/classrooms/partners.html", {
        "classroom": classroom, "rows": rows,
        "approved": teacher_is_approved(user=request.user),
        "request_form": request_form or PartnerRequestForm(), "request_to": request_to,
    }, status=status)


@login_required
def partner_finder(request, classroom_id: int):
    return _finder_page(request, my_classroom(request, classroom_id))


@login_required
@require_POST
def partner_request(request, classroom_id: int, other_id: int):
    classroom = my_classroom(request, classroom_id)
    other = next((c for c in partner_candidates(classroom=classroom) if c.pk == other_id), None)
    if other is None:
        # A finder opened before the twinning was suspended or the class deleted: said in
        # words on the finder, the same answer for any id, so ids cannot be probed.
        form = PartnerRequestForm(request.POST)
        form.is_valid()  # bound and cleaned, so that it takes the error
        form.add_error(None, _("This class can no longer be asked: its city's twinning may "
                               "be suspended, or its teacher deleted it."))
        return _finder_page(request, classroom, request_form=form, status=404)
    page = refused_or_done(
        request, PartnerRequestForm(request.POST),
        lambda data: partner_request_services.partner_request_create(
            from_classroom=classroom, to_classroom=other, by=request.user,
            message=data["message"],
        ),
        done=_("Request sent to %(name)s in %(city)s.")
        % {"name": other.name, "city": other.city.name},
        again=lambda form: _finder_page(request, classroom, request_form=form,
                                        request_to=other.pk, status=400),
    )
    return page or redirect("partner_finder", classroom_id=classroom.pk)


def _request(request, request_id: int):
    not_for_pupils(request)
    found = partner_request_for_teacher(request_id=request_id, user=request.user)
    if found is None:
        raise Http404("No such request")
    return found


def _answer(request, request_id: int, service, *, done: str):
    found = _request(request, request_id)
    page = refused_or_done(
        request, PartnerReplyForm(request.POST),
        lambda data: service(request=found, by=request.user, reply=data["reply"]),
        done=done,
        again=lambda form: _home_page(request, reply_form=form, reply_to=found.pk, status=400),
    )
    return page or redirect("classes")


@login_required
@require_POST
def partner_request_accept(request, request_id: int):
    return _answer(request, request_id, partner_request_services.partner_request_accept,
                   done=_("Your classes are partners: the class room is open."))


@login_required
@require_POST
def partner_request_decline(request, request_id: int):
    return _answer(request, request_id, partner_request_services.partner_request_decline,
                   done=_("Declined; the other teacher is told."))


@login_required
@require_POST
def partner_request_withdraw(request, request_id: int):
    found = _request(request, request_id)
    flash_outcome(
        request,
        lambda: partner_request_services.partner_request_withdraw(request=found, by=request.user),
        done=_("Request withdrawn."),
    )
    return redirect("classes")
