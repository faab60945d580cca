from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from exchanges.models import Role
from exchanges.selectors.participants import participant_for_user, profile_completeness
from exchanges.selectors.twinnings import twinning_counts, twinnings_for_listing


def home(request):
    return render(
        request,
        "exchanges/home.html",
        {"twinnings": twinnings_for_listing(), "counts": twinning_counts()},
    )


@login_required
def dashboard(request):
    participant = participant_for_user(user=request.user)
    if participant is None:
        roles = set(request.user.groups.values_list("name", flat=True))
        if roles & {Role.OFFICER, Role.TEACHER} or request.user.is_superuser:
            return render(request, "exchanges/dashboard_staff.html", {"roles": roles})
        return redirect("onboarding")
    if participant.onboarded_at is None and not request.user.is_pupil:
        # Verification and login land here; the profile comes first.
        return redirect("onboarding")
    context = {
        "participant": participant,
        "completeness": profile_completeness(participant=participant),
    }
    context.update(_dashboard_sections(participant))
    return render(request, "exchanges/dashboard.html", context)


def _dashboard_sections(participant) -> dict:
    """Matches, rooms and sessions: each selector adds its own section."""
    from exchanges.selectors.dashboard import dashboard_sections

    return dashboard_sections(participant=participant)
