"""Scheduling pages: the match schedule, slot proposal and confirmation, changing one
session, the room's language timer (an htmx fragment) and the reminder e-mail toggle."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from exchanges.forms.sessions import SessionMoveAnswerForm, SessionMoveForm, SlotProposeForm
from exchanges.models import SlotProposal
from exchanges.selectors.matches import program_over
from exchanges.selectors.participants import participant_for_user
from exchanges.selectors.rooms import room_for_member
from exchanges.selectors.sessions import (
    match_for_member,
    schedule_for_member,
    session_for_member,
    session_for_room_timer,
    timer_state,
)
from exchanges.services import reminders as reminder_services
from exchanges.services import sessions as session_services
from exchanges.services import slots as slot_services
from exchanges.views.feedback import flash_form_errors, flash_outcome, redirect_back
from exchanges.views.form_errors import add_service_errors

OPTIONS_SHOWN = 12


def _participant(request):
    participant = participant_for_user(user=request.user)
    if participant is None:
        raise Http404("No participant profile")
    return participant


def _match(match_id: int, participant):
    match = match_for_member(match_id=match_id, participant=participant)
    if match is None:
        raise Http404("No such match")
    return match


def _session(session_id: int, participant):
    session = session_for_member(session_id=session_id, participant=participant)
    if session is None:
        raise Http404("No such session")
    return session


@login_required
def match_schedule(request, match_id: int):
    participant = _participant(request)
    return _schedule_page(request, participant, _match(match_id, participant))


def _schedule_page(request, participant, match, *, move_form=None, moving=None,
                   refused_slot=None, status=200):
    """The schedule; with ``move_form``, the refused move of session ``moving`` shown
    again in its row, as typed, its errors beside it; with ``refused_slot`` (the reasons),
    a refused proposal's reasons above the slots, listed again as they are now (a slot
    taken meanwhile is gone from them)."""
    # A suspended twinning keeps the match but lets nothing be scheduled across it, and
    # a program that has ended has no week left (the partnership and its room go on).
    over = match.is_active and program_over(match)
    schedulable = match.is_active and match.twinning.is_active and not over
    options = slot_services.slot_options(match=match) if schedulable else []
    # The steadiest first; "?options=all" lists the rest too.
    shown = options if request.GET.get("options") == "all" else options[:OPTIONS_SHOWN]
    context = schedule_for_member(match=match, participant=participant, options=shown)
    context.update(participant=participant, options_total=len(options), program_over=over,
                   move_form=move_form, moving=moving, refused_slot=refused_slot)
    if move_form is not None and not any(s.pk == moving for s in context["upcoming"]):
        flash_form_errors(request, move_form)  # its row is gone (cancelled meanwhile)
    return render(request, "exchanges/sessions/schedule.html", context, status=status)


@login_required
@require_POST
def slot_propose(request, match_id: int):
    participant = _participant(request)
    match = _match(match_id, participant)
    form = SlotProposeForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("match_schedule", match_id=match.pk)
    try:
        slot_services.slot_propose(match=match, by=participant, **form.cleaned_data["slot"])
    except ValidationError as exc:
        # The page again (400), the reason beside the slot that was chosen.
        refused = exc.messages or [_("That is not possible.")]
        return _schedule_page(request, participant, match, refused_slot=refused, status=400)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("That is not yours to change."))
    else:
        messages.success(request, _("Slot proposed: your partner is asked to confirm it."))
    return redirect("match_schedule", match_id=match.pk)


@login_required
@require_POST
def slot_confirm(request, proposal_id: int):
    participant = _participant(request)
    proposal = get_object_or_404(SlotProposal, pk=proposal_id)
    match = _match(proposal.match_id, participant)
    flash_outcome(
        request,
        lambda: slot_services.slot_confirm(proposal=proposal, by=participant),
        done=lambda sessions: ngettext(
            "Confirmed: %(count)d session is in your calendar.",
            "Confirmed: %(count)d sessions are in your calendar.",
            len(sessions),
        ) % {"count": len(sessions)},
    )
    return redirect("match_schedule", match_id=match.pk)


@login_required
@require_POST
def session_cancel(request, session_id: int):
    participant = _participant(request)
    session = _session(session_id, participant)
    flash_outcome(
        request,
        lambda: session_services.session_cancel(session=session, by=participant),
        done=_("Session cancelled; your partner is told."),
    )
    return redirect("match_schedule", match_id=session.match_id)


@login_required
@require_POST
def session_move(request, session_id: int):
    """``new_start`` is a datetime-local value in the mover's own time zone. A refused
    move shows the schedule again (400) with the time as typed and the reason beside it."""
    participant = _participant(request)
    session = _session(session_id, participant)
    form = SessionMoveForm(request.POST, zone=participant.zone)
    if form.is_valid():
        try:
            session_services.session_move_propose(
                session=session, by=participant, new_start=form.cleaned_data["new_start"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("That is not yours to change."))
            return redirect("match_schedule", match_id=session.match_id)
        else:
            messages.success(request, _("Move proposed: your partner is asked to confirm it."))
            if form.note:
                messages.info(request, form.note)
            return redirect("match_schedule", match_id=session.match_id)
    return _schedule_page(request, participant, _match(session.match_id, participant),
                          move_form=form,
                          moving=session.pk, status=400)


def _answer_move(request, session_id: int, *, accept: bool):
    participant = _participant(request)
    session = _session(session_id, participant)
    form = SessionMoveAnswerForm(request.POST)
    move_to = form.cleaned_data["move_to"] if form.is_valid() else None
    flash_outcome(
        request,
        lambda: session_services.session_move_answer(
            session=session, by=participant, accept=accept, move_to=move_to
        ),
        done=_("Session moved; your partner is told.") if accept else _("The session stays."),
    )
    return redirect("match_schedule", match_id=session.match_id)


@login_required
@require_POST
def session_move_confirm(request, session_id: int):
    return _answer_move(request, session_id, accept=True)


@login_required
@require_POST
def session_move_decline(request, session_id: int):
    return _answer_move(request, session_id, accept=False)


@login_required
def room_timer(request, room_id: int):
    """The current language and the seconds left, computed here (htmx polls it)."""
    now = timezone.now()
    room = room_for_member(room_id=room_id, user=request.user)
    if room is None:
        raise Http404("No such room")
    session = session_for_room_timer(room=room, now=now)
    return render(
        request,
        "exchanges/sessions/_timer.html",
        {"state": timer_state(session, now), "room_id": room_id, "server_now": now},
    )


@login_required
@require_POST
def reminders_email_toggle(request):
    """Turn reminder e-mails on (``enabled=1``) or off (``enabled=0``): the button names
    the state it asks for, so a double click or a stale tab does not flip them back."""
    participant = _participant(request)
    enabled = request.POST.get("enabled")
    refusal = None
    if enabled in ("0", "1"):
        reminder_services.reminders_email_set(participant=participant, enabled=enabled == "1")
    else:
        refusal = _("Choose whether to turn reminder e-mails on or off.")
    if request.headers.get("HX-Request"):
        # The refusal goes in the fragment (a 200: htmx swaps no 4xx answer in).
        return render(request, "exchanges/sessions/_email_toggle.html",
                      {"participant": participant, "refusal": refusal})
    if refusal:
        messages.error(request, refusal)
    else:
        messages.success(
            request,
            _("Reminder e-mails on.") if participant.email_reminders
            else _("Reminder e-mails off."),
        )
    return redirect_back(request, "dashboard")
