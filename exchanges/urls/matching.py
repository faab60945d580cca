from django.urls import path

from exchanges.views import matching, metrics

urlpatterns = [
    path("matches/<int:match_id>/accept/", matching.match_accept_view, name="match_accept"),
    path("matches/<int:match_id>/decline/", matching.match_decline_view, name="match_decline"),
    path("matches/<int:match_id>/end/", matching.match_end_view, name="match_end"),
    path("me/matching/pause/", matching.matching_pause_set, name="matching_pause_set"),
    path("programs/", matching.program_list, name="program_list"),
    # The program's page is its officers' dashboard: figures, charts, runs.
    path("programs/<slug:slug>/", metrics.program_dashboard, name="program_detail"),
    path(
        "programs/<slug:slug>/metrics.json",
        metrics.program_metrics_json,
        name="program_metrics_json",
    ),
    path(
        "programs/<slug:slug>/metrics.csv", metrics.program_metrics_csv, name="program_metrics_csv"
    ),
    path("programs/<slug:slug>/run/", matching.program_run_matching, name="program_run_matching"),
]
