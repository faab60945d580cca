from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from exchanges.selectors.class_homes import pupil_exchanges, pupil_pairs_final
from exchanges.selectors.class_sessions import pupil_next_sessions
from exchanges.selectors.dashboard import dashboard_sections
from exchanges.selectors.moderation import report_counts_for_officer
from exchanges.selectors.participants import participant_for_user, profile_completeness
from exchanges.selectors.programs import programs_for_officer
from exchanges.selectors.roles import user_roles
from exchanges.selectors.rooms import rooms_for_dashboard
from exchanges.selectors.teacher_glance import teacher_glance
from exchanges.selectors.teachers import teacher_application_latest
from exchanges.selectors.twinnings import twinning_counts, twinnings_for_listing


def home(request):
    return render(
        request,
        "exchanges/home.html",
        {"twinnings": twinnings_for_listing(), "counts": twinning_counts()},
    )


@login_required
def dashboard(request):
    roles = user_roles(user=request.user)
    if roles.is_staff_role:
        context = {"roles": roles}
        if roles.sees_programs:
            # Pupils' reports go to their teachers; officers see how many, nothing more.
            programs = programs_for_officer(user=request.user).values("pk")
            context["pupil_reports"] = report_counts_for_officer(programs=programs)
        if roles.is_teacher:
            context["glance"] = teacher_glance(user=request.user)
        participant = participant_for_user(user=request.user)
        if participant is not None and participant.onboarded_at is not None:
            # A teacher or officer who joined as a participant keeps her own tandems.
            context.update(_participant_context(participant))
        return render(request, "exchanges/dashboard_staff.html", context)
    if request.user.is_pupil and request.user.must_set_password:
        return redirect("pupil_password")
    participant = participant_for_user(user=request.user)
    if participant is None and teacher_application_latest(user=request.user) is not None:
        # An applicant waiting for approval works on their classes, not a profile.
        return redirect("classes")
    if participant is None:
        return redirect("onboarding")
    if request.user.is_pupil:
        # A pupil's home is their class: no profile to complete, no matching runs.
        rooms, rooms_more = rooms_for_dashboard(participant=participant)
        exchanges = pupil_exchanges(participant=participant)
        return render(request, "exchanges/classrooms/pupil_dashboard.html", {
            "participant": participant,
            "exchanges": exchanges,
            "pairs_final": pupil_pairs_final(exchanges),
            "next_sessions": pupil_next_sessions(participant=participant),
            "rooms": rooms,
            "rooms_more": rooms_more,
        })
    if participant.onboarded_at is None and not request.user.is_pupil:
        # Verification and login land here; the profile comes first.
        return redirect("onboarding")
    return render(request, "exchanges/dashboard.html", _participant_context(participant))


def _participant_context(participant) -> dict:
    return {
        "participant": participant,
        "completeness": profile_completeness(participant=participant),
        **dashboard_sections(participant=participant),
    }
