"""Officers' twinning pages: the list, one twinning (history, restrictive-law notes, the
action form) and the audit log. Scoped to the officer's programs: another twinning is a
404, a user who runs no program gets 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from exchanges.forms.twinnings import CityRegionsForm, TwinningChangeForm
from exchanges.pure.languages import country_name
from exchanges.pure.regions import subdivision_local_name
from exchanges.pure.restrictions import RestrictionNote
from exchanges.selectors.lifecycle import (
    audit_log_page,
    programs_of_others,
    twinning_for_officer,
    twinning_history,
    twinning_programs,
    twinning_termination_reach,
    twinnings_for_officer,
)
from exchanges.selectors.restrictions import twinning_restriction_notes
from exchanges.selectors.roles import user_roles
from exchanges.services.cities import twinning_regions_set
from exchanges.services.twinning_lifecycle import LIFECYCLE_ACTIONS, twinning_change_check
from exchanges.views.feedback import flash_outcome
from exchanges.views.form_errors import add_service_errors, form_status, posted


def _require_officer(request) -> None:
    if not user_roles(user=request.user).sees_programs:
        raise PermissionDenied(_("Only program officers can see twinnings here."))


def _officer_twinning(request, twinning_id: int):
    _require_officer(request)
    twinning = twinning_for_officer(user=request.user, twinning_id=twinning_id)
    if twinning is None:
        raise Http404(_("No such twinning among your programs."))
    return twinning


@login_required
def twinning_list(request):
    _require_officer(request)
    return render(
        request, "exchanges/twinnings/list.html",
        {"twinnings": twinnings_for_officer(user=request.user)},
    )


def _done(outcome) -> str:
    text = _("Done: %(summary)s.") % {"summary": outcome.summary()}
    if outcome.not_reopened:
        notes = _("Not reopened: %(notes)s") % {"notes": outcome.notes()}
        text += pgettext("separator between sentences", " ") + notes
    return text


def _note(note: RestrictionNote) -> dict:
    """A restrictive-law note in the reader's language; the law's name stays as written."""
    law = note.restriction
    jurisdiction = (
        subdivision_local_name(law.jurisdiction) if "-" in law.jurisdiction
        else country_name(law.jurisdiction)
    )
    text = _(
        "%(city)s is in %(jurisdiction_name)s (%(jurisdiction)s), where %(law)s (%(date)s) "
        "restricts twinnings with %(country)s, the country of %(other)s."
    ) % {
        "city": note.city.name, "jurisdiction_name": jurisdiction,
        "jurisdiction": law.jurisdiction, "law": law.law, "date": law.date,
        "country": country_name(note.other.country), "other": note.other.name,
    }
    return {"text": text, "restriction": law}


@login_required
@require_http_methods(["GET", "POST"])
def twinning_detail(request, twinning_id: int):
    twinning = _officer_twinning(request, twinning_id)
    form = TwinningChangeForm(posted(request), twinning=twinning)
    if request.method == "POST":
        if form.is_valid() and form.needs_confirmation():
            if _checked(request, form, twinning):
                # Nothing recorded yet: the same page, what was typed kept, and the question.
                return _detail(request, twinning, form=form, confirming=True,
                               regions_form=CityRegionsForm(twinning=twinning), status=200)
        elif form.is_valid() and _recorded(request, form, twinning):
            return redirect("twinning_detail", twinning_id=twinning.pk)
        if form.errors:
            messages.error(request, _("Nothing changed: see the form below."))
    return _detail(request, twinning, form=form, regions_form=CityRegionsForm(twinning=twinning),
                   status=form_status(request))


def _recorded(request, form: TwinningChangeForm, twinning) -> bool:
    """Whether the service recorded the form's change (the outcome flashed); its refusal
    is placed as ``_checked``'s is, so every action shows it at its field."""
    data = form.cleaned_data
    recorded, outcome = _placing_refusals(request, form, lambda: LIFECYCLE_ACTIONS[
        data["action"]](
            twinning=twinning, by=request.user, reason=data["reason"],
            effective=data["effective"], side=data["side"], source=data["source"],
    ))
    if recorded:
        messages.success(request, _done(outcome))
    return recorded


def _checked(request, form: TwinningChangeForm, twinning) -> bool:
    """Whether the service would record the form's change; its refusal is placed by
    ``_placing_refusals``."""
    data = form.cleaned_data
    return _placing_refusals(request, form, lambda: twinning_change_check(
        twinning=twinning, by=request.user, action=data["action"], reason=data["reason"],
        effective=data["effective"], side=data["side"], source=data["source"],
    ))[0]


def _placing_refusals(request, form: TwinningChangeForm, call) -> tuple[bool, object]:
    """(whether ``call`` went through, what it returned): a refusal goes on the form (at
    its field) or, not the officer's to make, above the page."""
    try:
        return True, call()
    except ValidationError as exc:
        add_service_errors(form, exc)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return False, None


def _detail(request, twinning, *, form, regions_form, status: int, confirming=False):
    # The question names the action it asks about, and its "yes" carries that action only.
    asked = form.cleaned_data["action"] if confirming else None
    context = {
        "confirming": confirming,
        "asked": asked,
        "asked_label": form.action_label() if confirming else None,
        "changed_since_question": confirming and form.changed_since_question(),
        "reach": twinning_termination_reach(twinning=twinning) if asked == "terminate" else None,
        "twinning": twinning,
        "history": twinning_history(twinning=twinning),
        "notes": [_note(note) for note in twinning_restriction_notes(twinning=twinning)],
        "programs": twinning_programs(twinning=twinning, user=request.user),
        "others": programs_of_others(twinning=twinning, user=request.user),
        "form": form,
        "regions_form": regions_form,
    }
    return render(request, "exchanges/twinnings/detail.html", context, status=status)


@login_required
@require_POST
def twinning_regions(request, twinning_id: int):
    """Record the regions of the twinning's cities (for the restrictive-law notes)."""
    twinning = _officer_twinning(request, twinning_id)
    form = CityRegionsForm(request.POST, twinning=twinning)
    if not form.is_valid():
        # The page again, the choices as sent and each error at its field, and named above.
        messages.error(request, _("Regions not saved. %(errors)s") % {
            "errors": form.error_text()})
        return _detail(request, twinning, form=TwinningChangeForm(twinning=twinning),
                       regions_form=form, status=400)

    flash_outcome(
        request,
        lambda: twinning_regions_set(
            twinning=twinning, by=request.user, region_a=form.cleaned_data["region_a"],
            region_b=form.cleaned_data["region_b"],
        ),
        done=_("Regions saved; the notes below follow them."),
    )
    return redirect("twinning_detail", twinning_id=twinning.pk)


@login_required
def audit_log(request):
    _require_officer(request)
    return render(
        request, "exchanges/twinnings/audit.html",
        {"page": audit_log_page(user=request.user, number=request.GET.get("page"))},
    )
