"""Forms shown again with their errors: the service's messages placed, and the status."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def add_service_errors(form, exc: ValidationError) -> None:
    """Each message on its field when the form has one, else above the form."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, errors in exc.message_dict.items():
        target = field if field in form.fields else None
        for error in errors:
            form.add_error(target, error)


def form_status(request) -> int:
    """The status of a form page: every form page redirects after a post it accepts, so a
    post shown again is one refused (400), whether by the form or by the service."""
    return 400 if request.method == "POST" else 200


def posted(request):
    """The form's data: bound on every POST, even one with no fields (``request.POST or
    None`` would show an empty post as a fresh form, its required fields unremarked)."""
    return request.POST if request.method == "POST" else None


def refused_or_done(request, form, action, *, done: str, again):
    """Run ``action`` with the valid form's data; a refused form or a refusal from the
    service shows the page again (``again(form)``) with the text kept, so nothing typed
    is lost. None when the caller redirects: the action went through, or was not the
    user's to do (flashed, as elsewhere)."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("That is not yours to change."))
            return None
        else:
            messages.success(request, done)
            return None
    return again(form)
