"""Teacher applications: the apply form, and the officers' queue where they decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchanges.forms.classrooms import RefuseForm, TeacherApplicationForm
from exchanges.models import TeacherApplication
from exchanges.selectors.classrooms import classroom_counts_for_officer
from exchanges.selectors.roles import user_roles
from exchanges.selectors.teachers import (
    applications_decided_for_officer,
    applications_for_officer,
    officer_covers_city,
    teacher_application_latest,
    teacher_is_approved,
)
from exchanges.services import teachers as teacher_services
from exchanges.views.feedback import flash_outcome
from exchanges.views.form_errors import add_service_errors, form_status, posted, refused_or_done


@login_required
def teacher_apply(request):
    if request.user.is_pupil:
        raise PermissionDenied("Pupils cannot apply as teachers.")
    if teacher_is_approved(user=request.user):
        return redirect("classes")
    latest = teacher_application_latest(user=request.user)
    if latest is not None and latest.is_pending:
        return redirect("classes")
    form = TeacherApplicationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            teacher_services.teacher_apply(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Application sent. You can draft your class meanwhile."))
            return redirect("classes")
    return render(request, "exchanges/classrooms/apply.html", {"form": form, "latest": latest},
                  status=form_status(request))


def _officer_only(request) -> None:
    roles = user_roles(user=request.user)
    if not roles.sees_programs:
        raise PermissionDenied("Only program officers decide teacher applications.")


def _queue_page(request, *, refuse_form=None, refusing: int | None = None, status: int = 200):
    """The queue; a refused refusal (``refusing``: its application) is shown again with
    its error and the reason as typed."""
    return render(request, "exchanges/classrooms/applications.html", {
        "pending": list(applications_for_officer(
            user=request.user, status=TeacherApplication.Status.PENDING)),
        "decided": applications_decided_for_officer(user=request.user),
        "refuse_form": refuse_form or RefuseForm(),
        "refusing": refusing,
        "counts": classroom_counts_for_officer(user=request.user),
    }, status=status)


@login_required
def application_queue(request):
    _officer_only(request)
    return _queue_page(request)


def _application(request, application_id: int) -> TeacherApplication:
    _officer_only(request)
    application = get_object_or_404(TeacherApplication, pk=application_id)
    if not officer_covers_city(user=request.user, city_id=application.city_id):
        # Officers decide for their programs' cities only; a person's application
        # elsewhere is not found, as it is not in their queue.
        raise Http404("No such application among your programs' cities.")
    return application


@login_required
@require_POST
def application_approve(request, application_id: int):
    application = _application(request, application_id)
    flash_outcome(
        request,
        lambda: teacher_services.teacher_application_approve(application=application,
                                                             by=request.user),
        done=_("%(name)s is approved as a teacher.") % {"name": application.user.public_name},
    )
    return redirect("teacher_applications")


@login_required
@require_POST
def application_refuse(request, application_id: int):
    application = _application(request, application_id)
    page = refused_or_done(
        request, RefuseForm(request.POST),
        lambda data: teacher_services.teacher_application_refuse(
            application=application, by=request.user, reason=data["reason"]
        ),
        done=_("Refused; the applicant is told why."),
        again=lambda form: _queue_page(request, refuse_form=form, refusing=application.pk,
                                       status=400),
    )
    return page or redirect("teacher_applications")
