from django.urls import path

from exchanges.views import register

urlpatterns = [
    path("transparency/", register.transparency, name="transparency"),
    path("transparency.json", register.transparency_json, name="transparency_json"),
]
