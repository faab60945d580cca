from django.contrib import admin
from django.urls import include, path

from exchanges.views import accounts

urlpatterns = [
    path("admin/", admin.site.urls),
    # Matched before allauth's own route of this path: pupils are kept out of it.
    path("accounts/email/", accounts.email),
    path("accounts/", include("allauth.urls")),
    path("", include("exchanges.urls")),
]
