"""Management commands, web processes and workers do not load the matching engine
(numpy, scipy, OR-Tools: about 2 s) until a run needs it: ``make run``'s migrate and
load steps stay quick. A fresh interpreter is the only honest place to look, since the
test process has imported everything already."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("matching", "numpy", "scipy", "ortools")

_PROBE = """
import importlib, json, sys
import django
django.setup()
from django.core.management import call_command
from django.urls import get_resolver
get_resolver().url_patterns  # every view module, as `check` and the server load them
call_command("check", verbosity=0)
for name in ("load_twinnings", "seed_demo", "serve_platform", "compile_catalogues"):
    importlib.import_module("exchanges.management.commands." + name)
importlib.import_module("exchanges.tasks")
print(json.dumps(sorted(m for m in %r if m in sys.modules)))
"""


def _loaded_after(probe: str) -> list[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "1"}
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_commands_urls_and_tasks_do_not_load_the_engine():
    assert _loaded_after(_PROBE % (HEAVY,)) == []


def test_the_probe_sees_the_engine_once_a_run_needs_it():
    # The same probe, after what a matching run does first, reports it: the check above
    # cannot pass for want of looking.
    probe = _PROBE.replace("print(", "import matching\nprint(", 1)
    assert "scipy" in _loaded_after(probe % (HEAVY,))
