"""Account pages around allauth's: the interface language switcher, and allauth's e-mail
management kept from pupils."""

from allauth.account.views import email as allauth_email
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from exchanges.services.interface_language import user_language_set


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
