from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from exchanges.forms.profile import LanguageFormSet, ProfileForm, WindowFormSet
from exchanges.selectors.matches import partners_count
from exchanges.selectors.participants import participant_for_user
from exchanges.selectors.roles import user_roles
from exchanges.services.participants import participant_create, participant_update_profile
from exchanges.views.form_errors import add_service_errors, form_status

LEARNS_NOTHING_NOTE = gettext_lazy(
    "You are learning no language, so language tandems cannot pair you: a tandem is two "
    "people teaching each other. Citizen exchanges can, and you can add a language any time."
)


def _capacity_note(*, limit: int, partners: int) -> str:
    """What a limit lowered below one's partners does: nobody is dropped, and the runs
    propose nobody new while the partners fill (or overfill) it."""
    values = {"count": partners, "limit": limit}
    if limit == 1:
        return ngettext(
            "You have %(count)d partner, more than the one you now allow at once: they "
            "stay, and no new partner is proposed to you until all your partnerships have "
            "ended.",
            "You have %(count)d partners, more than the one you now allow at once: they all "
            "stay, and no new partner is proposed to you until all your partnerships have "
            "ended.", partners) % values
    return ngettext(
        "You have %(count)d partner, more than the %(limit)d you now allow at once: they "
        "stay, and no new partner is proposed to you until you have fewer than %(limit)d.",
        "You have %(count)d partners, more than the %(limit)d you now allow at once: they "
        "all stay, and no new partner is proposed to you until you have fewer than "
        "%(limit)d.", partners) % values


def _initial(participant):
    profile = {
        "city": participant.city_id,
        "birth_year": participant.birth_year,
        "capacity": participant.capacity,
        "bio": participant.bio,
        "interests": ", ".join(i.name for i in participant.interests.all()),
    }
    languages = [
        {"code": lang.code, "level": lang.level, "learning": "1" if lang.learning else "0"}
        for lang in participant.languages.all()
    ]
    windows = [
        {"weekday": w.weekday, "start": w.start, "end": w.end}
        for w in participant.availability.all()
    ]
    return profile, languages, windows


def _profile_page(request, *, onboarding: bool):
    participant = participant_for_user(user=request.user)
    if participant is None and user_roles(user=request.user).is_staff_role:
        # Teachers, officers and superusers work without a participant profile; visiting
        # the page must not make them participants. One who already is keeps hers.
        messages.info(
            request, _("Teachers, officers and administrators have no participant profile.")
        )
        return redirect("dashboard")
    if request.user.is_pupil:
        # Pupils have no public profile: the class gives their city, ages and languages.
        messages.info(request, pgettext("to a pupil",
                                        "Pupils have no profile: your class is your profile."))
        return redirect("dashboard")
    if onboarding and participant is not None and participant.onboarded_at is not None:
        # The welcome is for newcomers: one already onboarded edits the same answers on
        # the profile page (as the e-mail confirmation lands them). A form sent from an
        # older welcome tab still saves, as the profile it now is.
        if request.method != "POST":
            return redirect("profile")
        onboarding = False
    if participant is None and not onboarding:
        # The profile page shows the calendar feed of an existing profile; a new
        # participant starts at onboarding. GETs never write: the row comes with a POST.
        return redirect("onboarding")
    if (not onboarding and participant.onboarded_at is None and request.method != "POST"
            and not user_roles(user=request.user).is_staff_role):
        # Sign-up makes the row; until its first save the person is a newcomer, whom the
        # dashboard and sign-in send to the welcome too.
        return redirect("onboarding")
    if participant is None:
        profile_initial, languages_initial, windows_initial = {}, [], []
    else:
        profile_initial, languages_initial, windows_initial = _initial(participant)
    is_pupil = request.user.is_pupil
    city_id = participant.city_id if participant else None
    if request.method == "POST":
        form = ProfileForm(request.POST, is_pupil=is_pupil, current_city_id=city_id)
        languages = LanguageFormSet(request.POST, prefix="lang")
        windows = WindowFormSet(request.POST, prefix="win")
        if form.is_valid() and languages.is_valid() and windows.is_valid():
            limit_before = participant.capacity if participant else None
            try:
                # Creation and first save succeed or fail together.
                with transaction.atomic():
                    saved = participant or participant_create(user=request.user)
                    participant_update_profile(
                        participant=saved,
                        city=form.cleaned_data["city"],
                        birth_year=form.cleaned_data["birth_year"],
                        bio=form.cleaned_data["bio"],
                        capacity=form.cleaned_data["capacity"],
                        languages=languages.inputs(),
                        interests=form.interest_names(),
                        windows=windows.inputs(),
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your profile is saved."))
                limit = saved.capacity
                if limit_before is not None and limit < limit_before:
                    partners = partners_count(participant=saved)
                    if partners > limit:
                        messages.info(request, _capacity_note(limit=limit, partners=partners))
                if not any(lang.learning for lang in languages.inputs()):
                    messages.info(request, str(LEARNS_NOTHING_NOTE))
                return redirect("dashboard")
    else:
        form = ProfileForm(initial=profile_initial, is_pupil=is_pupil, current_city_id=city_id)
        languages = LanguageFormSet(initial=languages_initial, prefix="lang")
        windows = WindowFormSet(initial=windows_initial, prefix="win")
    return render(
        request,
        "exchanges/profile.html",
        {
            "form": form,
            "languages": languages,
            "windows": windows,
            "participant": participant,
            "onboarding": onboarding,
        },
        status=form_status(request),
    )


@login_required
def onboarding(request):
    return _profile_page(request, onboarding=True)


@login_required
def profile_edit(request):
    return _profile_page(request, onboarding=False)
