from django.urls import include, path

from exchanges.views import health, notifications, pages, profile

urlpatterns = [
    path("", pages.home, name="home"),
    path("dashboard/", pages.dashboard, name="dashboard"),
    path("onboarding/", profile.onboarding, name="onboarding"),
    path("profile/", profile.profile_edit, name="profile"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("healthz", health.healthz, name="healthz"),
    # Each feature owns its URL module.
    path("", include("exchanges.urls.programs")),  # before matching: "programs/new/"
    path("", include("exchanges.urls.matching")),
    path("", include("exchanges.urls.twinnings")),
    path("", include("exchanges.urls.register")),
    path("", include("exchanges.urls.rooms")),
    path("", include("exchanges.urls.sessions")),
    path("", include("exchanges.urls.classrooms")),
    path("", include("exchanges.urls.class_exchanges")),
    path("", include("exchanges.urls.moderation")),
    path("", include("exchanges.urls.wall")),
]
