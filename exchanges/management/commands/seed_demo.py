import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from exchanges.demo.cast import demo_cast_create
from exchanges.demo.population import demo_participants_seed
from exchanges.models import Participant
from exchanges.services.metrics import metrics_refresh


class Command(BaseCommand):
    help = "Create realistic demo participants across the twinned cities (deterministic)."

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, default=200, metavar="N")
        parser.add_argument("--seed", type=int, default=1, metavar="S")
        parser.add_argument(
            "--demo-logins", action="store_true",
            help="also create alice/bruno/teacher/officer @demo.test (DEBUG only)",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when participants exist"
        )

    def handle(self, *args, participants: int, seed: int, demo_logins: bool, if_empty: bool,
               **options):
        if participants < 0:
            raise CommandError("--participants must be zero or more")
        if demo_logins and not settings.DEBUG:
            raise CommandError("--demo-logins is refused when DEBUG is off (known passwords)")
        if if_empty and Participant.objects.exists():
            self.stdout.write("Participants exist already: demo not seeded.")
            return
        started = time.perf_counter()
        try:
            created = demo_participants_seed(count=participants, seed=seed)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Seeded {created} participants (seed {seed}) in {time.perf_counter() - started:.1f} s."
        )
        if demo_logins:
            password = settings.JUMELAGE_DEMO_PASSWORD
            for login in demo_cast_create(password=password):
                self.stdout.write(f"  {login.email:<20} {password}  {login.role}: {login.about}")
        # The officers' figures are read from summaries the beat refreshes every five
        # minutes: computed now, a dashboard opened right after seeding is not all zeros.
        metrics_refresh(full=True)
