from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from exchanges.models import Participant, Program


@dataclass(frozen=True)
class Completeness:
    percent: int
    missing: list[str]
    # The missing parts without which no matching run can propose a partner at all.
    blocking: list[str] = field(default_factory=list)


def participant_for_user(*, user) -> Participant | None:
    return (
        Participant.objects.select_related("city", "user")
        .prefetch_related("languages", "availability", "interests", "programs")
        .filter(user=user)
        .first()
    )


def has_participant_profile(*, user) -> bool:
    return Participant.objects.filter(user=user).exists()


def participant_zone(*, user) -> str | None:
    """The zone the user's times are shown in: their profile's, else their city's; None
    for people without a profile (staff, newcomers)."""
    row = Participant.objects.filter(user_id=user.pk).values_list("tz", "city__tz").first()
    if row is None:
        return None
    return row[0] or row[1] or None


def profile_completeness(*, participant: Participant) -> Completeness:
    """How much of the profile the matching engine can use (prefetched relations)."""
    languages = list(participant.languages.all())
    checks = {
        _("your city"): participant.city_id is not None,
        _("your year of birth"): participant.birth_year is not None,
        _("a language you speak"): any(not lang.learning for lang in languages),
        _("a language you are learning"): any(lang.learning for lang in languages),
        _("your interests"): bool(participant.interests.all()),
        _("your weekly availability"): bool(participant.availability.all()),
        _("a short bio"): bool(participant.bio),
    }
    missing = [label for label, done in checks.items() if not done]
    percent = round(100 * (len(checks) - len(missing)) / len(checks))
    return Completeness(percent=percent, missing=missing,
                        blocking=_blocking(participant, checks))


def _blocking(participant: Participant, checks: dict[str, bool]) -> list[str]:
    """What the engine's hard rules need: a weekly window shared with a partner, and in a
    language tandem a language one learns (each teaches the other); a citizen program
    needs only a shared language."""
    needed = [_("your weekly availability")]
    kinds = {program.kind for program in participant.programs.all()}
    if Program.Kind.TANDEM in kinds and Program.Kind.CITIZEN not in kinds:
        needed.append(_("a language you are learning"))
    return [label for label in needed if not checks[label]]
