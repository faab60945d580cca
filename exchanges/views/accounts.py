"""Account pages around allauth's: the interface language switcher, allauth's e-mail
and password pages kept from pupils, and a person taking their data away or deleting their
account."""

from allauth.account.views import email as allauth_email
from allauth.account.views import password_change as allauth_password_change
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from exchanges.forms.accounts import AccountDeleteForm
from exchanges.selectors.accounts import own_account_refusal
from exchanges.selectors.own_data import own_data
from exchanges.selectors.participants import participant_for_user
from exchanges.services.accounts import account_delete as account_delete_service
from exchanges.services.interface_language import user_language_set
from exchanges.views.form_errors import add_service_errors, form_status, posted


@require_POST
def set_language(request):
    """Django's switcher (cookie, back to ``next``); a signed-in person's account
    remembers the choice too, for their other devices and their e-mails."""
    response = django_set_language(request)
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response


def email(request, *args, **kwargs):
    """A pupil's account has a random ``…@pupils.invalid`` address that is never shown
    nor mailed, and a child gives the platform no address of their own (adding one would
    send it a confirmation mail)."""
    if request.user.is_authenticated and request.user.is_pupil:
        raise PermissionDenied(_("Pupils have no e-mail address here."))
    return allauth_email(request, *args, **kwargs)


def password_change(request, *args, **kwargs):
    """A pupil sets their password on their own page (in words for a pupil, and without
    allauth's e-mailed reset, which a pupil without an address cannot use)."""
    if request.user.is_authenticated and request.user.is_pupil:
        return redirect("pupil_password")
    return allauth_password_change(request, *args, **kwargs)


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    """GET: what deleting the account takes with it, and the password to confirm; POST:
    delete it and sign out."""
    refusal = own_account_refusal(user=request.user)
    if refusal:
        return render(request, "exchanges/account_delete.html", {"refusal": refusal},
                      status=403)
    form = AccountDeleteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            account_delete_service(user=request.user, password=form.cleaned_data["password"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            logout(request)
            messages.success(request, _("Your account is deleted, with everything it held."))
            return redirect("home")
    return render(request, "exchanges/account_delete.html", {
        "form": form, "participant": participant_for_user(user=request.user),
    }, status=form_status(request))


@login_required
@require_GET
@never_cache
def account_data(request):
    """The person's own data as one JSON file to download."""
    if request.user.is_pupil:
        raise PermissionDenied(_("Your teacher can tell you what the class holds about you."))
    response = JsonResponse(own_data(user=request.user), json_dumps_params={
        "ensure_ascii": False, "indent": 2})
    name = f"jumelage-data-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
