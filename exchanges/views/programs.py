"""Officers create and edit programs on platform pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from exchanges.forms.programs import ProgramForm, removal_token
from exchanges.models import Program
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
        removal = _unconfirmed_removal(form, program)
        if removal:
            # Nothing saved yet: the same form, what was typed kept, and the question.
            return render(request, "exchanges/programs/form.html", {
                "form": form, "program": program, "removal": removal,
                "removal_token": removal_token(removal),
            })
        # The service re-reads and locks the row: the form's instance is only its input.
        saved = _save(
            request, form, lambda v: program_update(program=program, by=request.user, **v)
        )
        if saved:
            messages.success(request, _("Program saved."))
            return redirect("program_detail", slug=saved.slug)
    return render(request, "exchanges/programs/form.html", {"form": form, "program": program},
                  status=form_status(request))


def _unconfirmed_removal(form: ProgramForm, program: Program) -> list:
    """The removed twinnings with matches or class exchanges still going, unless the
    officer confirmed removing exactly these (a changed choice is asked about again)."""
    if not form.is_valid():
        return []
    removal = program_removal_reach(program=program, keep=form.cleaned_data["twinnings"])
    if removal and form.cleaned_data["removal_confirmed"] == removal_token(removal):
        return []
    return removal
