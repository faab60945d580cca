from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from exchanges.views import accounts, javascript_catalogue


class _Favicon(RedirectView):
    """The page icon for clients that ask /favicon.ico unasked (pages link it); named at
    request time, where the static manifest is known."""

    def get_redirect_url(self, *args, **kwargs):
        return static("img/favicon.svg")


urlpatterns = [
    path("admin/", admin.site.urls),
    # Matched before allauth's own routes of these paths: pupils are kept out of them.
    path("accounts/email/", accounts.email),
    path("accounts/password/change/", accounts.password_change),
    path("accounts/delete/", accounts.account_delete, name="account_delete"),
    path("accounts/data/", accounts.account_data, name="account_data"),
    path("accounts/", include("allauth.urls")),
    # The language switcher: Django's set_language, the account remembering the choice.
    path("i18n/setlang/", accounts.set_language, name="set_language"),
    # The djangojs catalogue (gettext, ngettext, interpolate) for static/js, in the page's
    # language and cached; base.html loads it before the page's scripts.
    path("jsi18n/", javascript_catalogue.javascript_catalogue, name="javascript_catalog"),
    path("favicon.ico", _Favicon.as_view()),
    path("", include("exchanges.urls")),
]
