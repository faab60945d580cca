"""The i18n tests read the compiled catalogues: compile the stale ones first (what
`make test` does), so a run of pytest alone sees the .po files as they are."""

from pathlib import Path

import pytest
from django.conf import settings

from exchanges.pure.catalogues import compile_catalogue, stale_catalogues


@pytest.fixture(scope="session", autouse=True)
def _compiled_catalogues():
    for locale_dir in settings.LOCALE_PATHS:
        for path in stale_catalogues(Path(locale_dir)):
            compile_catalogue(path)
    # The translations Django loaded before (none in a fresh process) are read again.
    from django.utils.translation import trans_real

    trans_real._translations = {}
    trans_real._active = trans_real.Local()
