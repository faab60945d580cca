"""What people's history a row holds, counted by kind: a row that holds any is kept.

Deleting a program, a twinning, a match or a room cascades (on_delete=CASCADE) through
people's matches, sessions, conversations and the past figures counted from them; the
platform itself never deletes these rows but ends or closes them. So the admin deletes
only a row that holds none (one created by mistake) and says what else to do with the
others (admin_deletion.py). Each function returns the non-zero counts only: empty means
nothing would be lost.
"""

from django.db.models import Q

from exchanges.models import (
    ActiveDay,
    ClassroomExchange,
    LanguageDay,
    Match,
    MatchDay,
    MessageDay,
    ParticipantSummary,
    PeopleDay,
    ProfileDay,
    Program,
    RegisterPeopleDay,
    RoomMessageDay,
    Session,
    SessionDay,
    SessionSummary,
)

# The figures' tables with a program column, and those with a twinning column; kept rows
# (services/metrics_kept.py) are the only record left of people whose data was deleted.
PROGRAM_FIGURES = (SessionSummary, ParticipantSummary, RoomMessageDay, SessionDay, ActiveDay,
                   MessageDay, PeopleDay, ProfileDay, LanguageDay)
TWINNING_FIGURES = (SessionSummary, RoomMessageDay, SessionDay, ActiveDay, MessageDay,
                    RegisterPeopleDay)


def _nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {kind: n for kind, n in counts.items() if n}


def program_history(*, program: Program) -> dict[str, int]:
    """The program's enrolled participants, matches, matching runs, class exchanges, their
    sessions, and the rows of its figures."""
    figures = sum(model.objects.filter(program_id=program.pk).count() for model in PROGRAM_FIGURES)
    # Match counts have no foreign key (triggers keep them): a count back at zero is none.
    figures += MatchDay.objects.filter(program_id=program.pk).exclude(count=0).count()
    return _nonzero({
        "participants": program.participants.count(),
        "matches": Match.objects.filter(program=program).count(),
        "match_runs": program.match_runs.count(),
        "class_exchanges": ClassroomExchange.objects.filter(program=program).count(),
        "sessions": Session.objects.filter(
            Q(match__program=program) | Q(exchange__program=program)).count(),
        "figures": figures,
    })


