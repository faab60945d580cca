"""A teacher moderating a room from its page: hide a message, mute a pupil, close the
room. Plain POSTs (the socket stays a chat channel); each redirects back to the room,
and hiding also answers JSON to the room page's script."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchanges.forms.moderation import MuteForm, RoomCloseForm
from exchanges.selectors.moderation import moderated_message, moderated_report, moderated_room
from exchanges.services.moderation import (
    member_mute,
    message_hide,
    report_resolve,
    room_moderate_close,
)


def _room(request, room_id: int):
    room = moderated_room(room_id=room_id, user=request.user)
    if room is None:
        raise Http404("No such room.")
    return room


def _muted_text(name: str, until) -> str:
    """When the mute ends, in the teacher's zone as their pages show times (dated when it
    ends on another day there); UTC said only when the page knows no zone."""
    local = timezone.localtime(until)
    shape = "TIME_FORMAT" if local.date() == timezone.localdate() else "SHORT_DATETIME_FORMAT"
    values = {"name": name, "time": formats.date_format(local, shape)}
    if timezone.get_current_timezone_name() == "UTC":
        return _("%(name)s is muted until %(time)s UTC.") % values
    return _("%(name)s is muted until %(time)s.") % values


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def message_hide_view(request, room_id: int, message_id: int):
    room = _room(request, room_id)
    message = moderated_message(room=room, message_id=message_id)
    if message is None:
        raise Http404("No such message in this room.")
    message_hide(message=message, by=request.user)
    if _wants_json(request):
        return JsonResponse({"hidden": message.pk})
    messages.success(request, _("The message is hidden."))
    return redirect("room_detail", room_id=room.pk)


@login_required
@require_POST
def member_mute_view(request, room_id: int):
    room = _room(request, room_id)
    form = MuteForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("room_detail", room_id=room.pk)
    try:
        member = member_mute(room=room, user_id=form.cleaned_data["user"],
                             by=request.user, minutes=form.cleaned_data["minutes"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if member.muted_until:
            messages.success(request, _muted_text(member.user.public_name, member.muted_until))
        else:
            messages.success(request, _("%(name)s may write again.")
                             % {"name": member.user.public_name})
    return redirect("room_detail", room_id=room.pk)


@login_required
@require_POST
def report_resolve_view(request, room_id: int, report_id: int):
    room = _room(request, room_id)
    report = moderated_report(room=room, report_id=report_id)
    if report is None:
        raise Http404("No such report in this room.")
    report_resolve(report=report, by=request.user)  # 403 unless moderator
    messages.success(request, _("The report is marked as handled."))
    return redirect("room_detail", room_id=room.pk)


@login_required
@require_POST
def room_close_view(request, room_id: int):
    room = _room(request, room_id)
    form = RoomCloseForm(request.POST)
    if not form.is_valid():  # the reason as typed is kept by nobody: say why, close nothing
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("room_detail", room_id=room.pk)
    try:
        room_moderate_close(room=room, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The room is closed."))
    return redirect("room_detail", room_id=room.pk)
