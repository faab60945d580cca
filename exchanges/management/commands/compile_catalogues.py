from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from exchanges.pure.catalogues import CatalogueError, compile_catalogue, stale_catalogues


class Command(BaseCommand):
    help = (
        "Compile locale/*/LC_MESSAGES/*.po to .mo in pure Python (no GNU gettext needed); "
        "fails with a one-line reason on a broken catalogue."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help=".po files (default: every one)")
        parser.add_argument(
            "--stale", action="store_true", help="only those whose .mo is missing or older",
        )

    def handle(self, *args, paths: list[Path], stale: bool, **options):
        if not paths:
            paths = []
            for locale_dir in settings.LOCALE_PATHS:
                locale_dir = Path(locale_dir)
                paths += stale_catalogues(locale_dir) if stale else sorted(
                    locale_dir.glob("*/LC_MESSAGES/*.po")
                )
        for path in paths:
            try:
                target = compile_catalogue(path)
            except CatalogueError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"compiled {target}")
