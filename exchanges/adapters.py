from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        participant = getattr(request.user, "participant", None)
        if participant is not None and participant.onboarded_at is None:
            return reverse("onboarding")
        return super().get_login_redirect_url(request)

    def get_email_verification_redirect_url(self, email_address):
        return reverse("onboarding")
