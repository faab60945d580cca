"""The two teachers' pages of an exchange: pupil pairs (propose, swap, confirm), class
sessions (propose, confirm, cancel, move; their calendars are in class_calendar.py) and
ending the exchange; the pupil's interests page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from exchanges.forms.class_exchanges import (
    ClassSessionAnswerForm,
    ClassSessionCancelForm,
    ClassSlotForm,
    InterestsForm,
    MinutesForm,
    SwapForm,
)
from exchanges.forms.sessions import SessionMoveForm
from exchanges.models import ClassroomExchange, ClassSessionProposal, Session
from exchanges.selectors.class_homes import pupil_exchanges, pupil_pairs_final
from exchanges.selectors.class_sessions import (
    class_session_for_teacher,
    schedule_page,
)
from exchanges.selectors.classrooms import classroom_for_teacher, pupil_of_classroom
from exchanges.selectors.pupil_pairing import (
    exchange_for_teacher,
    pairing_live,
    pairing_page,
    pupil_for_interests,
    pupil_interest_slugs,
)
from exchanges.services import class_session_changes as change_services
from exchanges.services import class_sessions as session_services
from exchanges.services import pupil_pairing as pairing_services
from exchanges.services.class_exchange_end import class_exchange_end
from exchanges.services.pupil_interests import pupil_interests_set
from exchanges.views.feedback import flash_form_errors, flash_outcome
from exchanges.views.form_errors import add_service_errors, form_status, posted


def _exchange(request, exchange_id: int) -> ClassroomExchange:
    """The exchange of one of the requesting teacher's classes: pupils 403, others 404."""
    if request.user.is_pupil:
        raise PermissionDenied("Pupils see their own pairs in their rooms.")
    exchange = exchange_for_teacher(exchange_id=exchange_id, user=request.user)
    if exchange is None:
        raise Http404("No such exchange")
    return exchange


@login_required
@require_POST
def exchange_end(request, exchange_id: int):
    """Either teacher ends the exchange (the button asks first, see confirm.js)."""
    exchange = _exchange(request, exchange_id)
    flash_outcome(
        request, lambda: class_exchange_end(exchange=exchange, by=request.user),
        done=_("The exchange has ended: its rooms are closed, and the other teacher and the "
               "pupils of both classes are told."),
    )
    return redirect("classes")


@login_required
def pupil_pairing(request, exchange_id: int):
    exchange = _exchange(request, exchange_id)
    context = pairing_page(exchange=exchange, user=request.user)
    context["swap_form"] = SwapForm()
    return render(request, "exchanges/class_exchanges/pairing.html", context)


@login_required
@require_POST
def pairing_propose(request, exchange_id: int):
    exchange = _exchange(request, exchange_id)
    flash_outcome(
        request, lambda: pairing_services.pairing_propose(exchange=exchange, by=request.user),
        done=_("Pairs proposed: check them, swap pupils if needed, and confirm."),
    )
    return redirect("pupil_pairing", exchange.pk)


def _live_pairing(request, exchange):
    """The pairs a swap or confirmation acts on; None, said in words, when they are gone:
    a pupil's removal withdraws proposed pairs it would leave without a partner, while
    the other teacher's page still shows them."""
    pairing = pairing_live(exchange=exchange)
    if pairing is None:
        messages.error(request, _("These pairs were withdrawn when a pupil left a class: "
                                  "propose pairs again."))
    return pairing


@login_required
@require_POST
def pairing_swap(request, exchange_id: int):
    exchange = _exchange(request, exchange_id)
    pairing = _live_pairing(request, exchange)
    if pairing is None:
        return redirect("pupil_pairing", exchange.pk)
    form = SwapForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("pupil_pairing", exchange.pk)
    members = {m.pk: m for g in pairing.groups.all() for m in g.members.all()}
    a, b = members.get(form.cleaned_data["pupil_a"]), members.get(form.cleaned_data["pupil_b"])
    if a is None or b is None:
        messages.error(request, _("Pick two pupils of these pairs."))
        return redirect("pupil_pairing", exchange.pk)
    flash_outcome(
        request,
        lambda: pairing_services.pairing_swap(pairing=pairing, by=request.user, pupil_a=a,
                                              pupil_b=b),
        done=_("%(a)s and %(b)s swapped.") % {"a": a.user.display_name, "b": b.user.display_name},
    )
    return redirect("pupil_pairing", exchange.pk)


@login_required
@require_POST
def pairing_confirm(request, exchange_id: int):
    exchange = _exchange(request, exchange_id)
    pairing = _live_pairing(request, exchange)
    if pairing is None:
        return redirect("pupil_pairing", exchange.pk)
    flash_outcome(
        request, lambda: pairing_services.pairing_confirm(
            pairing=pairing, by=request.user, seen=request.POST.get("version", "")),
        done=lambda p: (_("The pairs are final: each has its room.") if p.confirmed_at
                        else _("Confirmed for your class: the other teacher confirms next.")),
    )
    return redirect("pupil_pairing", exchange.pk)


@login_required
def pupil_interests(request):
    """A pupil picks their interests from the list (what the pairing reads)."""
    pupil = pupil_for_interests(user=request.user)
    if pupil is None:
        raise Http404("Pupils pick their interests here")
    form = InterestsForm(posted(request),
                         initial={"interests": pupil_interest_slugs(pupil)})
    if _interests_saved(request, form, pupil, done=_("Your interests are saved.")):
        return redirect("pupil_interests")
    return render(request, "exchanges/class_exchanges/interests.html",
                  {"form": form, "pairs_final": _pairs_final(pupil)}, status=form_status(request))


def _pairs_final(pupil) -> bool:
    """The interests choose nobody until another exchange (the page says so)."""
    return pupil_pairs_final(pupil_exchanges(participant=pupil))


def _interests_saved(request, form, pupil, *, done: str) -> bool:
    """A posted, valid interests form saved for ``pupil`` (the outcome flashed)."""
    return request.method == "POST" and form.is_valid() and flash_outcome(
        request,
        lambda: pupil_interests_set(
            pupil=pupil, by=request.user, slugs=form.cleaned_data["interests"]
        ),
        done=done,
    )


@login_required
def pupil_interests_by_teacher(request, classroom_id: int, pupil_id: int):
    """The teacher picks a pupil's interests for them (a young class, a pupil away)."""
    if request.user.is_pupil:
        raise PermissionDenied("Pupils pick their own interests.")
    classroom = classroom_for_teacher(classroom_id=classroom_id, user=request.user)
    pupil = pupil_of_classroom(classroom=classroom, pupil_id=pupil_id) if classroom else None
    if pupil is None:
        raise Http404("No such pupil")
    form = InterestsForm(posted(request),
                         initial={"interests": pupil_interest_slugs(pupil)})
    done = _("%(name)s's interests are saved.") % {"name": pupil.user.display_name}
    if _interests_saved(request, form, pupil, done=done):
        return redirect("classroom_detail", classroom.pk)
    return render(request, "exchanges/class_exchanges/interests.html",
                  {"form": form, "pupil": pupil, "pairs_final": _pairs_final(pupil)},
                  status=form_status(request))


@login_required
def class_sessions(request, exchange_id: int):
    return _sessions_page(request, _exchange(request, exchange_id))


def _sessions_page(request, exchange, *, move_form=None, moving=None, slot_form=None,
                   status=200):
    """The sessions page; with ``move_form``, the refused move of session ``moving``
    shown again in its row, as typed, its errors beside it; with ``slot_form``, the
    refused weekly time shown again picked, among the times of its length."""
    minutes_form = MinutesForm(request.GET or None)
    minutes = 45
    if minutes_form.is_valid() and minutes_form.cleaned_data["minutes"]:
        minutes = minutes_form.cleaned_data["minutes"]
    chosen = slot_form.data.get("slot", "") if slot_form is not None else ""
    parsed = ClassSlotForm({"slot": chosen})  # the service's refusal unset cleaned_data
    if chosen and parsed.is_valid():
        minutes = parsed.cleaned_data["slot"][2]
    if not minutes_form.is_bound:  # else the list shows its first length, not these
        minutes_form = MinutesForm(initial={"minutes": minutes})
    context = schedule_page(exchange=exchange, user=request.user, minutes=minutes,
                            keep=chosen)
    context.update(minutes=minutes, minutes_form=minutes_form, move_form=move_form,
                   moving=moving, slot_form=slot_form, chosen=chosen,
                   chosen_shown=any(o.key == chosen for o in context["options"]),
                   reason_max=change_services.REASON_MAX)
    if move_form is not None and not any(
        s.pk == moving and s.changeable for s in context["upcoming"]
    ):
        flash_form_errors(request, move_form)  # its form is gone (cancelled meanwhile)
    return render(request, "exchanges/class_exchanges/sessions.html", context, status=status)


@login_required
@require_POST
def class_session_propose(request, exchange_id: int):
    """A refused time shows the page again (400), the time still picked, the reason
    beside it."""
    exchange = _exchange(request, exchange_id)
    form = ClassSlotForm(request.POST)
    if form.is_valid():
        weekday, local_start, minutes = form.cleaned_data["slot"]
        try:
            session_services.class_session_propose(
                exchange=exchange, by=request.user, weekday=weekday,
                local_start=local_start, minutes=minutes,
            )
        except ValidationError as exc:
            for message in exc.messages:  # the choice is the form's one field
                form.add_error("slot", message)
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("That is not yours to change."))
            return redirect("class_sessions", exchange.pk)
        else:
            messages.success(request, _("Proposed: the other class's teacher confirms it."))
            return redirect("class_sessions", exchange.pk)
    return _sessions_page(request, _exchange(request, exchange.pk), slot_form=form,
                          status=400)


@login_required
@require_POST
def class_session_confirm(request, exchange_id: int, proposal_id: int):
    exchange = _exchange(request, exchange_id)
    proposal = ClassSessionProposal.objects.filter(pk=proposal_id, exchange=exchange).first()
    if proposal is None:
        raise Http404("No such proposal")
    flash_outcome(
        request,
        lambda: session_services.class_session_confirm(proposal=proposal, by=request.user),
        done=lambda sessions: ngettext(
            "Confirmed: %(n)d class session is planned.",
            "Confirmed: %(n)d class sessions are planned.", len(sessions),
        ) % {"n": len(sessions)},
    )
    return redirect("class_sessions", exchange.pk)


def _class_session(request, session_id: int) -> Session:
    """A class session of one of the requesting teacher's exchanges: pupils 403, others 404."""
    if request.user.is_pupil:
        raise PermissionDenied("Teachers change class sessions.")
    session = class_session_for_teacher(session_id=session_id, user=request.user)
    if session is None:
        raise Http404("No such session")
    return session


@login_required
@require_POST
def class_session_cancel(request, session_id: int):
    session = _class_session(request, session_id)
    form = ClassSessionCancelForm(request.POST)
    if form.is_valid():
        flash_outcome(
            request,
            lambda: change_services.class_session_cancel(
                session=session, by=request.user, reason=form.cleaned_data["reason"]
            ),
            done=_("Class session cancelled: the other teacher and both classes are told."),
        )
    else:
        flash_form_errors(request, form)
    return redirect("class_sessions", session.exchange_id)


@login_required
@require_POST
def class_session_move(request, session_id: int):
    """``new_start`` is a datetime-local value in the teacher's own school time. A
    refused move shows the page again (400) with the time as typed and the reason."""
    session = _class_session(request, session_id)
    exchange = session.exchange
    own = exchange.classroom_a if exchange.classroom_a.teacher_id == request.user.pk else (
        exchange.classroom_b)
    form = SessionMoveForm(request.POST, zone=own.city.tz)
    if form.is_valid():
        try:
            change_services.class_session_move_propose(
                session=session, by=request.user, new_start=form.cleaned_data["new_start"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("That is not yours to change."))
            return redirect("class_sessions", exchange.pk)
        else:
            messages.success(request, _("Move proposed: the other class's teacher confirms it."))
            if form.note:
                messages.info(request, form.note)
            return redirect("class_sessions", exchange.pk)
    return _sessions_page(request, _exchange(request, exchange.pk), move_form=form,
                          moving=session.pk, status=400)


def _answer_class_move(request, session_id: int, *, accept: bool):
    session = _class_session(request, session_id)
    form = ClassSessionAnswerForm(request.POST)
    move_to = form.cleaned_data["move_to"] if form.is_valid() else None
    flash_outcome(
        request,
        lambda: change_services.class_session_move_answer(
            session=session, by=request.user, accept=accept, move_to=move_to
        ),
        done=_("Class session moved: the other teacher and both classes are told.")
        if accept else _("The class session stays."),
    )
    return redirect("class_sessions", session.exchange_id)


@login_required
@require_POST
def class_session_move_confirm(request, session_id: int):
    return _answer_class_move(request, session_id, accept=True)


@login_required
@require_POST
def class_session_move_decline(request, session_id: int):
    return _answer_class_move(request, session_id, accept=False)
