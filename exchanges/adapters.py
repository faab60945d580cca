from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxLengthValidator
from django.urls import reverse

from exchanges.pure.client_ip import client_ip, client_ip_bucket
from exchanges.selectors.interface_language import in_language_of
from exchanges.selectors.participants import participant_for_user
from exchanges.services.pupils import PUPIL_EMAIL_DOMAIN

SITE_NAME = "Jumelage"


@dataclass(frozen=True)
class _Site:
    """What allauth's e-mails name as ``current_site`` ("Hello from {{ name }}!"). The
    Sites framework is not installed, so allauth would name the request's host."""

    name: str
    domain: str


def mail_site() -> _Site:
    return _Site(name=SITE_NAME, domain=urlsplit(settings.JUMELAGE_SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        # allauth's per-IP limits: X-Forwarded-For only from JUMELAGE_TRUSTED_PROXIES.
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # The failed-login limit counts per (account, client address): wrong passwords
        # sent from one address never lock the account's owner out from another.
        # (A private allauth hook; tests/exchanges/test_adapters.py notices if it goes.)
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{client_ip_bucket(request)}"

    def clean_email(self, email: str) -> str:
        # Sign-up, the e-mail page and the reset form all pass here. Django's EmailField
        # admits 320 characters, the columns hold 254: allauth would cut the user's copy
        # short (another address) and PostgreSQL refuse the rest, a 500 either way.
        MaxLengthValidator(account_settings.EMAIL_MAX_LENGTH)(email)
        return super().clean_email(email)

    def send_mail(self, template_prefix, email, context):
        # A pupil's address is a placeholder that nobody reads (pupils give no e-mail):
        # nothing allauth would send there (a password reset, say) goes out.
        if email.lower().endswith("@" + PUPIL_EMAIL_DOMAIN):
            return
        # In the recipient's language when their account has one (a reset asked for from
        # another device, say); else in the page's.
        context = {**context, "current_site": mail_site()}
        user = context.get("user")
        if getattr(user, "language", ""):
            with in_language_of(user):
                return super().send_mail(template_prefix, email, context)
        return super().send_mail(template_prefix, email, context)

    def get_login_redirect_url(self, request):
        participant = getattr(request.user, "participant", None)
        if participant is not None and participant.onboarded_at is None:
            return reverse("onboarding")
        return super().get_login_redirect_url(request)

    def get_email_verification_redirect_url(self, email_address):
        # A person with a profile confirms an address they added: back to the profile,
        # not to the newcomer's welcome.
        participant = participant_for_user(user=email_address.user)
        if participant is not None and participant.onboarded_at is not None:
            return reverse("profile")
        return reverse("onboarding")
