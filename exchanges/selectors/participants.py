from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from exchanges.models import Participant, Program
from exchanges.pure.window_ends import DAY_MINUTES, end_minute, minute_of_day


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
    """What the engine's hard rules need: a weekly window shared with a partner, long
    enough for one session, and in a language tandem a language one learns (each teaches
    the other); a citizen program needs only a shared language."""
    needed = [_("your weekly availability")]
    programs = [p for p in participant.programs.all() if p.kind != Program.Kind.CLASSROOM]
    kinds = {program.kind for program in programs}
    if Program.Kind.TANDEM in kinds and Program.Kind.CITIZEN not in kinds:
        needed.append(_("a language you are learning"))
    blocking = [label for label in needed if not checks[label]]
    windows = list(participant.availability.all())
    session = min((program.session_minutes for program in programs), default=0)
    if windows and _longest_free_minutes(windows) < session:
        blocking.append(_("a weekly window of at least %(minutes)s minutes")
                        % {"minutes": session})
    return blocking


def _longest_free_minutes(windows) -> int:
    """The longest stretch of the week the windows cover, windows that touch joined (also
    across midnight, Sunday's end to Monday's start)."""
    week = 7 * DAY_MINUTES
    spans = sorted((w.weekday * DAY_MINUTES + minute_of_day(w.start),
                    w.weekday * DAY_MINUTES + end_minute(w.end)) for w in windows)
    joined = [list(spans[0])]
    for start, end in spans[1:]:
        if start <= joined[-1][1]:
            joined[-1][1] = max(joined[-1][1], end)
        else:
            joined.append([start, end])
    if len(joined) > 1 and joined[0][0] == 0 and joined[-1][1] == week:
        joined[0][0] = joined.pop()[0] - week  # Sunday night runs into Monday morning
    return max(end - start for start, end in joined)
