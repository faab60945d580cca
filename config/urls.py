from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from exchanges.views import accounts

urlpatterns = [
    path("admin/", admin.site.urls),
    # Matched before allauth's own route of this path: pupils are kept out of it.
    path("accounts/email/", accounts.email),
    path("accounts/", include("allauth.urls")),
    # The language switcher: Django's set_language, the account remembering the choice.
    path("i18n/setlang/", accounts.set_language, name="set_language"),
    # The djangojs catalogue (gettext, ngettext, interpolate) for static/js, in the page's
    # language; base.html loads it before the page's scripts. Only our catalogue (LOCALE_PATHS,
    # "exchanges"): the admin's script strings would double what every page downloads.
    path("jsi18n/", JavaScriptCatalog.as_view(domain="djangojs", packages=["exchanges"]),
         name="javascript_catalog"),
    path("", include("exchanges.urls")),
]
