"""/join/ (pupils join or log in with their class code) and what a teacher does for
pupils: add them by names, print login cards, reset a password, remove a pupil."""

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from exchanges.forms.classrooms import (
    PupilJoinForm,
    PupilLoginForm,
    PupilNamesForm,
    PupilPasswordForm,
)
from exchanges.pure.client_ip import client_ip_bucket
from exchanges.selectors.classrooms import pupil_of_classroom
from exchanges.services import pupils as pupil_services
from exchanges.views.classrooms import classroom_detail_page, my_classroom
from exchanges.views.feedback import flash_outcome
from exchanges.views.form_errors import add_service_errors, form_status, posted

PUPIL_BACKEND = "exchanges.auth_backends.PupilBackend"


def _after_login(user):
    return redirect("pupil_password" if user.must_set_password else "dashboard")


@never_cache
def join(request):
    """One page, two forms: ``action=join`` for a new pupil, ``action=login`` for one
    who has joined already (the join form signs such a pupil in too: a printed card's
    owner often fills the first form)."""
    action = request.POST.get("action") if request.method == "POST" else None
    join_form = PupilJoinForm(request.POST if action == "join" else None, prefix="join")
    login_form = PupilLoginForm(request.POST if action == "login" else None, prefix="login")
    form = {"join": join_form, "login": login_form}.get(action)
    if request.method == "POST" and form is None:
        messages.error(request, _("Choose whether to join a class or to sign in."))
    if form is not None and form.is_valid():
        service = pupil_services.pupil_join if action == "join" else pupil_services.pupil_login
        try:
            user = service(ip=client_ip_bucket(request), **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, user, backend=PUPIL_BACKEND)
            if action == "join":
                messages.success(request, _("Welcome, %(name)s!") % {"name": user.display_name})
            return _after_login(user)
    return render(request, "exchanges/classrooms/join.html",
                  {"join_form": join_form, "login_form": login_form},
                  status=form_status(request))


@login_required
@never_cache
def pupil_password(request):
    if not request.user.is_pupil:
        raise Http404("For pupils only")
    form = PupilPasswordForm(posted(request), asks_current=not request.user.must_set_password)
    if request.method == "POST" and form.is_valid():
        try:
            pupil_services.pupil_password_set(user=request.user,
                                              password=form.cleaned_data["password"],
                                              current=form.cleaned_data.get("current", ""))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password is set."))
            return redirect("dashboard")
    return render(request, "exchanges/classrooms/pupil_password.html", {"form": form},
                  status=form_status(request))


def _cards(request, classroom, cards):
    response = render(request, "exchanges/classrooms/cards.html",
                      {"classroom": classroom, "cards": cards})
    # One-time passwords: never kept by a cache or the browser's history.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def pupils_add(request, classroom_id: int):
    """The cards for the names given; a refused list is shown again as typed, each bad
    line named, so the teacher corrects it rather than typing the class again."""
    classroom = my_classroom(request, classroom_id)
    form = PupilNamesForm(request.POST)
    if form.is_valid():
        try:
            cards = pupil_services.pupils_add(classroom=classroom, by=request.user,
                                              names=form.name_list())
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("classroom_detail", classroom_id=classroom.pk)
        else:
            messages.success(request, _("Pupils added: print their cards now, the passwords "
                                        "are shown only once."))
            return _cards(request, classroom, cards)
    return classroom_detail_page(request, classroom, names_form=form, status=400)


@login_required
@require_POST
def login_cards(request, classroom_id: int):
    classroom = my_classroom(request, classroom_id)
    cards = []
    if flash_outcome(
        request,
        lambda: cards.extend(pupil_services.login_cards_print(classroom=classroom,
                                                              by=request.user)),
        done=_("New one-time passwords for every pupil: print the cards now."),
    ):
        return _cards(request, classroom, cards)
    return redirect("classroom_detail", classroom_id=classroom.pk)


def _pupil(request, classroom_id: int, pupil_id: int):
    classroom = my_classroom(request, classroom_id)
    pupil = pupil_of_classroom(classroom=classroom, pupil_id=pupil_id)
    if pupil is None:
        raise Http404("No such pupil")
    return classroom, pupil


@login_required
@require_POST
def pupil_reset(request, classroom_id: int, pupil_id: int):
    classroom, pupil = _pupil(request, classroom_id, pupil_id)
    cards = []
    if flash_outcome(
        request,
        lambda: cards.append(pupil_services.pupil_password_reset(pupil=pupil, by=request.user)),
        done=_("New one-time password for %(name)s.") % {"name": pupil.user.display_name},
    ):
        return _cards(request, classroom, cards)
    return redirect("classroom_detail", classroom_id=classroom.pk)


@login_required
@require_http_methods(["GET", "POST"])
def pupil_remove(request, classroom_id: int, pupil_id: int):
    """GET: what removing the pupil takes with them, to confirm; POST: remove them."""
    classroom, pupil = _pupil(request, classroom_id, pupil_id)
    if request.method == "GET":
        return render(request, "exchanges/classrooms/pupil_remove.html",
                      {"classroom": classroom, "pupil": pupil})
    name = pupil.user.display_name
    flash_outcome(
        request,
        lambda: pupil_services.pupil_remove(pupil=pupil, by=request.user),
        done=_("%(name)s is removed, with everything they wrote.") % {"name": name},
    )
    return redirect("classroom_detail", classroom_id=classroom.pk)
