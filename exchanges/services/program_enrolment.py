"""People who already live in a program's cities join it when it opens to them.

A profile saved joins every open program of its city (``participants``); a program that
opens, or takes a twinning, after people signed up would otherwise leave them out of
every matching run, and the dashboard's "we will tell you when one opens" would not
come true. A city can hold tens of thousands of people (about 4 s for 20 000 on
PostgreSQL), so the officer's save enqueues the enrolment instead of waiting for it.
"""

from celery import shared_task
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_noop

from exchanges.models import Notification, Participant, Program, Twinning
from exchanges.services.metrics_participants import participant_summaries_refresh
from exchanges.services.notifications import notification_build

JOINED_NOTICE = gettext_noop(
    "%(program)s now covers your city: the next matching run looks for a partner for you.")


@shared_task(name="exchanges.tasks.program_residents_enrol")
def program_residents_enrol(program_id: int) -> int:
    """Enrol the program's residents (``program_residents_enrol_now``). Enqueued with
    ``delay_on_commit`` by the services that open or widen a program."""
    with transaction.atomic():
        # Locked: two saves of the program in a row enrol and tell each person once.
        program = Program.objects.select_for_update().filter(pk=program_id).first()
        return 0 if program is None else program_residents_enrol_now(program=program)


def program_residents_enrol_now(*, program: Program) -> int:
    """Enrol the onboarded adults of the program's active twinnings' cities who are not
    in it yet, and tell each of them; returns how many joined. Nothing for a closed or
    classroom program (pupils join through their class)."""
    if not program.is_open or program.kind == Program.Kind.CLASSROOM:
        return 0
    twinnings = program.twinnings.filter(status=Twinning.Status.ACTIVE)
    newcomers = list(
        Participant.objects.filter(
            Q(city__twinnings_as_a__in=twinnings) | Q(city__twinnings_as_b__in=twinnings),
            onboarded_at__isnull=False, user__is_active=True,
        )
        .exclude(user__is_pupil=True)
        .exclude(programs=program)
        .select_related("user")
        .distinct()
    )
    if not newcomers:
        return 0
    through = Participant.programs.through
    through.objects.bulk_create(
        [through(participant_id=person.pk, program_id=program.pk) for person in newcomers],
        batch_size=2000, ignore_conflicts=True,
    )
    dashboard = reverse("dashboard")
    Notification.objects.bulk_create(
        [notification_build(user=person.user, kind="program.joined", url=dashboard,
                            message=JOINED_NOTICE, params={"program": program.name})
         for person in newcomers],
        batch_size=2000,
    )
    # The officers' "who takes part" counts them from now, not from the nightly refresh.
    participant_summaries_refresh(program_id=program.pk,
                                  participant_ids=[person.pk for person in newcomers])
    return len(newcomers)
