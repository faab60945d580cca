"""Management commands as real processes: the exit status and the one line on stderr,
which ``call_command`` in the test process cannot show."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow
ROOT = Path(settings.BASE_DIR)


def test_load_twinnings_bad_file_exits_non_zero_with_one_line(tmp_path, migrated_sqlite):
    bad = tmp_path / "bad.csv"
    good = (ROOT / "data" / "twinnings.csv").read_text(encoding="utf-8").splitlines()
    good.insert(5, "Nowhere,ZZ,Europe/London,en,Dresden,DE,Europe/Berlin,de,,active,,twin town,")
    bad.write_text("\n".join(good) + "\n", encoding="utf-8")
    env = {**os.environ, "DJANGO_DEBUG": "1", "SQLITE_PATH": str(migrated_sqlite)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "load_twinnings", str(bad)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "bad.csv:6" in lines[0]  # header + 4 rows, then the bad one
    assert "country_a 'ZZ'" in lines[0]
    assert "nothing was loaded" in lines[0]
    count = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from exchanges.models import Twinning; print(Twinning.objects.count())"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )
    assert count.stdout.strip().splitlines()[-1] == "0"
