"""Officers create and edit programs on platform pages."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from exchanges.forms.programs import ProgramForm, removal_token
from exchanges.models import Program
from exchanges.selectors.program_dates import program_dates_token, program_sessions_outside
from exchanges.selectors.programs import program_removal_reach, user_is_officer_of
from exchanges.selectors.roles import user_roles
from exchanges.services.programs import program_create, program_update
from exchanges.views.form_errors import add_service_errors, form_status, posted


def _save(request, form: ProgramForm, save) -> Program | None:
    if not form.is_valid():
        return None
    try:
        return save(form.service_values())
    except ValidationError as exc:
        add_service_errors(form, exc)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def program_new(request):
    if not user_roles(user=request.user).sees_programs:
        raise PermissionDenied(_("Only program officers can create programs."))
    form = ProgramForm(posted(request))
    if request.method == "POST":
        program = _save(request, form, lambda v: program_create(by=request.user, **v))
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
        questions = _unconfirmed(form, program)
        if questions:
            # Nothing saved yet: the same form, what was typed kept, and the questions.
            return render(request, "exchanges/programs/form.html", {
                "form": form, "program": program, **questions,
            })
        # The service re-reads and locks the row: the form's instance is only its input.
        saved = _save(request, form, lambda v: program_update(
            program=program, by=request.user,
            removal_confirmed=form.cleaned_data["removal_confirmed"],
            dates_confirmed=form.cleaned_data["dates_confirmed"], **v,
        ))
        if saved:
            messages.success(request, _("Program saved."))
            return redirect("program_detail", slug=saved.slug)
    return render(request, "exchanges/programs/form.html", {"form": form, "program": program},
                  status=form_status(request))


def _unconfirmed(form: ProgramForm, program: Program) -> dict:
    """The questions the officer has not yet said yes to, with the answers of both (one
    confirmed stays confirmed while the other is asked): the removed twinnings with
    matches or class exchanges still going, and the sessions new dates cancel. A changed
    choice is asked about again. Empty when nothing is left to ask."""
    if not form.is_valid():
        return {}
    data = form.cleaned_data
    removal = program_removal_reach(program=program, keep=data["twinnings"])
    removal_answer = removal_token(removal) if removal else ""
    # The form's instance holds the typed values by now; its initial ones are the stored.
    start, weeks = data["start_date"], data["weeks"]
    stored = (form.initial["start_date"], form.initial["weeks"])
    outside = [] if (start, weeks) == stored else program_sessions_outside(
        program=program, start_date=start, weeks=weeks, now=timezone.now())
    dates_answer = (program_dates_token(start_date=start, weeks=weeks, count=len(outside))
                    if outside else "")
    ask_removal = bool(removal) and data["removal_confirmed"] != removal_answer
    ask_dates = bool(outside) and data["dates_confirmed"] != dates_answer
    if not (ask_removal or ask_dates):
        return {}
    return {
        "removal": removal if ask_removal else [], "removal_token": removal_answer,
        "dates_cancelled": len(outside) if ask_dates else 0, "dates_token": dates_answer,
        "new_start": start, "new_last": start + dt.timedelta(weeks=weeks, days=-1),
    }
