"""The Django admin, for superusers only.

Officers and teachers work through the platform's own pages, which scope what they see
to their own programs and classes; the admin would show them every row (message text,
pupils, calendar tokens). So the admin asks for ``is_superuser``, whatever a user's
``is_staff`` flag or model permissions say, and signs people in through allauth's login,
which is rate-limited, instead of its own form, which is not.
"""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode


class SuperuserAdminSite(AdminSite):
    def has_permission(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect(reverse("admin:index", current_app=self.name))
            raise PermissionDenied("The administration is for superusers only.")
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index", current_app=self.name)
        login_url = resolve_url(settings.LOGIN_URL)
        return redirect(f"{login_url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")


class SuperuserAdminConfig(AdminConfig):
    """Installed in place of ``django.contrib.admin``: ``admin.site`` is the site above.

    (This module is imported while apps load, so it imports no models.)
    """

    default_site = "config.admin_site.SuperuserAdminSite"
