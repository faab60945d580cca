from django.urls import path

from exchanges.views import matching

urlpatterns = [
    path("matches/<int:match_id>/accept/", matching.match_accept_view, name="match_accept"),
    path("matches/<int:match_id>/decline/", matching.match_decline_view, name="match_decline"),
    path("programs/", matching.program_list, name="program_list"),
    path("programs/<slug:slug>/", matching.program_detail, name="program_detail"),
    path("programs/<slug:slug>/run/", matching.program_run_matching, name="program_run_matching"),
]
