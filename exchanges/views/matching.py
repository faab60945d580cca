from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchanges.models import Program
from exchanges.pure.suppression import is_small
from exchanges.selectors.matches import match_for_participant
from exchanges.selectors.participants import participant_for_user
from exchanges.selectors.programs import programs_for_officer, user_is_officer_of
from exchanges.selectors.roles import user_roles
from exchanges.services.matches import match_accept, match_decline, match_end
from exchanges.services.matching import (
    MatchingRunInProgress,
    MatchingRunRefused,
    matching_run_request,
)
from exchanges.services.participants import participant_matching_pause
from exchanges.views.feedback import flash_outcome, redirect_back
from exchanges.views.hidden_marks import hidden_marks


def _own_match(request, match_id: int):
    participant = participant_for_user(user=request.user)
    match = participant and match_for_participant(match_id=match_id, participant=participant)
    if not match:
        raise Http404("No such match.")
    return participant, match


def _answer(request, match_id: int, service, done: str):
    participant, match = _own_match(request, match_id)
    flash_outcome(request, lambda: service(match=match, by=participant), done=done)
    return redirect("dashboard")


@login_required
@require_POST
def match_accept_view(request, match_id: int):
    return _answer(request, match_id, match_accept, _("You accepted the match."))


@login_required
@require_POST
def match_decline_view(request, match_id: int):
    return _answer(request, match_id, match_decline, _("You declined the match."))


@login_required
@require_POST
def match_end_view(request, match_id: int):
    """End an active partnership (the page asked for confirmation); back to the page it
    was ended from (``next``: the room) or the dashboard."""
    participant, match = _own_match(request, match_id)
    name = match.partner_of(participant).user.public_name
    flash_outcome(
        request,
        lambda: match_end(match=match, by=participant),
        done=_("Your partnership with %(name)s has ended: your upcoming sessions are "
               "cancelled and the room is closed, its history stays readable.") % {"name": name},
    )
    return redirect_back(request, "dashboard")


@login_required
@require_POST
def matching_pause_set(request):
    """Pause new matches (``paused=1``) or resume them (``paused=0``): the button names the
    state it asks for, so a second click or a stale tab changes nothing unasked."""
    participant = None if request.user.is_pupil else participant_for_user(user=request.user)
    if participant is None:  # pupils are paired inside their class's exchange only
        raise Http404("No participant profile")
    if request.POST.get("paused") not in ("0", "1"):
        messages.error(request, _("Choose whether to pause or to resume new matches."))
        return redirect("dashboard")
    paused = request.POST["paused"] == "1"
    participant_matching_pause(participant=participant, paused=paused)
    messages.success(request, _(
        "New matches are paused: the next runs leave you out until you resume. Your "
        "current matches go on."
    ) if paused else _("New matches are on again: the next run looks for a partner for you."))
    return redirect("dashboard")


@login_required
def program_list(request):
    if not user_roles(user=request.user).sees_programs:
        raise PermissionDenied(_("Only program officers can see programs here."))
    programs = list(programs_for_officer(user=request.user))
    # A program's people, as its page counts them, under the small-count rule: "<5"
    # for 1 to 4 (no total across programs is shown, so nothing beside it goes).
    small, _worked_out = hidden_marks()
    for program in programs:
        program.participants_shown = (
            small if is_small(program.participant_count) else program.participant_count)
    return render(request, "exchanges/programs/list.html", {"programs": programs})


def _officer_program(request, slug: str) -> Program:
    program = get_object_or_404(Program, slug=slug)
    if not user_is_officer_of(user=request.user, program=program):
        raise Http404("No such program among yours.")  # another's existence stays hidden
    return program


@login_required
@require_POST
def program_run_matching(request, slug: str):
    program = _officer_program(request, slug)
    try:
        run = matching_run_request(program=program, requested_by=request.user)
    except (MatchingRunInProgress, MatchingRunRefused) as exc:
        messages.warning(request, exc.message)
        return redirect("program_detail", slug=program.slug)
    messages.success(
        request, _("Matching run %(number)s is queued; results appear below.") % {"number": run.pk}
    )
    return redirect("program_detail", slug=program.slug)
