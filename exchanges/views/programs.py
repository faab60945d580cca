"""Officers create and edit programs on platform pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from exchanges.forms.programs import ProgramForm
from exchanges.models import Program
from exchanges.selectors.programs import user_is_officer_of
from exchanges.selectors.roles import user_roles
from exchanges.services.program_questions import program_questions
from exchanges.services.programs import program_create, program_update
from exchanges.views.form_errors import add_service_errors, form_status, posted


def _save(form: ProgramForm, save) -> tuple[Program | None, dict]:
    """The program ``save`` returned, or None; with the questions the service asks
    before it saves (services/program_questions.py), by the field of each answer."""
    if not form.is_valid():
        return None, {}
    try:
        return save(form.service_values()), {}
    except ValidationError as exc:
        questions = program_questions(exc)
        if not questions:
            add_service_errors(form, exc)
        return None, questions


@login_required
@require_http_methods(["GET", "POST"])
def program_new(request):
    if not user_roles(user=request.user).sees_programs:
        raise PermissionDenied(_("Only program officers can create programs."))
    form = ProgramForm(posted(request))
    if request.method == "POST":
        program, _questions = _save(form, lambda v: program_create(by=request.user, **v))
        if program:
            messages.success(
                request,
                _("Program %(name)s created; you are its officer.") % {"name": program.name},
            )
            return redirect("program_detail", slug=program.slug)
    return render(request, "exchanges/programs/form.html", {"form": form, "program": None},
                  status=form_status(request))


@login_required
@require_http_methods(["GET", "POST"])
def program_edit(request, slug: str):
    program = get_object_or_404(Program, slug=slug)
    if not user_is_officer_of(user=request.user, program=program):
        raise Http404(_("No such program among yours."))  # another's existence stays hidden
    form = ProgramForm(posted(request), instance=program)
    if request.method == "POST":
        # The service re-reads and locks the row: the form's instance is only its input.
        saved, questions = _save(form, lambda v: program_update(
            program=program, by=request.user,
            removal_confirmed=form.cleaned_data["removal_confirmed"],
            dates_confirmed=form.cleaned_data["dates_confirmed"], **v,
        ))
        if saved:
            messages.success(request, _("Program saved."))
            return redirect("program_detail", slug=saved.slug)
        if questions:
            # Nothing saved yet: the same form, what was typed kept, and the questions.
            return render(request, "exchanges/programs/form.html", {
                "form": form, "program": program, **_asked(questions, form.cleaned_data),
            })
    return render(request, "exchanges/programs/form.html", {"form": form, "program": program},
                  status=form_status(request))


def _asked(questions: dict, answers: dict) -> dict:
    """The page's questions, from the service's: each with the answer that confirms it
    (a changed choice is asked about again, with its new answer); the answer already
    given to one not asked again is kept, so it stays confirmed while the other is
    asked."""
    removal, dates = questions.get("removal_confirmed"), questions.get("dates_confirmed")
    asked = {
        "removal": [], "removal_token": answers["removal_confirmed"],
        "dates_cancelled": 0, "dates_token": answers["dates_confirmed"],
    }
    if removal is not None:
        asked.update(removal=removal.params["twinnings"], removal_token=removal.params["token"])
    if dates is not None:
        asked.update(
            dates_cancelled=dates.params["count"], dates_token=dates.params["token"],
            new_start=dates.params["start_date"], new_last=dates.params["last_day"],
        )
    return asked
