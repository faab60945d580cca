from django.urls import path

from exchanges.views import twinnings

urlpatterns = [
    path("twinnings/", twinnings.twinning_list, name="twinning_list"),
    path("twinnings/<int:twinning_id>/", twinnings.twinning_detail, name="twinning_detail"),
    path(
        "twinnings/<int:twinning_id>/regions/", twinnings.twinning_regions,
        name="twinning_regions",
    ),
    path("audit/", twinnings.audit_log, name="audit_log"),
]
