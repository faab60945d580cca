from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from exchanges.services.twinnings import TwinningsFileError, twinnings_load_csv


class Command(BaseCommand):
    help = "Load twinnings (and their cities) from a CSV file; idempotent, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", type=Path, default=settings.JUMELAGE_TWINNINGS_CSV,
            help="CSV file (default: the shipped data/twinnings.csv)",
        )

    def handle(self, *args, path: Path, **options):
        try:
            result = twinnings_load_csv(path=path)
        except TwinningsFileError as exc:
            raise CommandError(f"{exc}; nothing was loaded") from exc
        kept = (
            f"; {result.kept} kept as changed on the platform since the file's date"
            if result.kept else ""
        )
        if not result.changed:
            self.stdout.write(
                f"Twinnings already up to date: {result.unchanged} unchanged{kept}, "
                "nothing to do."
            )
            return
        self.stdout.write(
            f"Loaded {path.name}: {result.twinnings_created} twinnings created, "
            f"{result.twinnings_updated} updated, {result.unchanged} unchanged; "
            f"{result.cities_created} cities created, {result.cities_updated} updated{kept}."
        )
