"""allauth's e-mail management, kept from pupils: a pupil's account has a random
``…@pupils.invalid`` address that is never shown nor mailed, and a child gives the
platform no address of their own (adding one would send it a confirmation mail)."""

from allauth.account.views import email as allauth_email
from django.core.exceptions import PermissionDenied


def email(request, *args, **kwargs):
    if request.user.is_authenticated and request.user.is_pupil:
        raise PermissionDenied("Pupils have no e-mail address here.")
    return allauth_email(request, *args, **kwargs)
