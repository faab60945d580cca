"""What a page says after a POST: run the service, flash its outcome, go back safely."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def flash_outcome(request, action: Callable[[], object], *, done) -> bool:
    """Run ``action``; flash ``done`` (text, or a function of the result) on success and
    the refusal's own words on ValidationError or PermissionDenied. True on success."""
    try:
        result = action()
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages) or _("That is not possible."))
        return False
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("That is not yours to change."))
        return False
    messages.success(request, done(result) if callable(done) else done)
    return True


def flash_form_errors(request, form) -> None:
    """Flash a refused form's messages, for pages that redirect instead of re-rendering."""
    errors = [error for field_errors in form.errors.values() for error in field_errors]
    messages.error(request, " ".join(errors) or _("That is not possible."))


def redirect_back(request, default: str, **kwargs):
    """Redirect to the form's ``next`` when it stays on this site, else to ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        # Not redirect(target): it would read "a b" or "next-week" as a URL name.
        return HttpResponseRedirect(target)
    return redirect(default, **kwargs)
