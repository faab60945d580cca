"""The command line contract: `python -m matching solve`."""

import json
import subprocess
import sys

import pytest

from tests.matching.builders import instance, person

pytestmark = pytest.mark.slow


def _run(stdin: str, *args: str):
    return subprocess.run([sys.executable, "-m", "matching", *args], input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_solve_prints_the_result():
    data = instance([person("p1", "coventry"), person("p2", "dresden", ("de",), ("en",))])
    done = _run(json.dumps(data), "solve")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert [(p["a"], p["b"]) for p in out["pairs"]] == [("p1", "p2")]
    assert out["matched_places"] == 2 and out["unmatched"] == []
    assert out["total_score"] == out["pairs"][0]["score"]


@pytest.mark.parametrize(
    ("stdin", "args", "needle"),
    [
        ("{not json", ("solve",), "invalid JSON"),
        (json.dumps({"kind": "tandem"}), ("solve",), "session_minutes"),
        (json.dumps(instance([person("p1", "coventry", tz="Mars/Olympus")])), ("solve",),
         "p1"),
        ("{}", ("mend",), "unknown subcommand"),
        ("{}", (), "unknown subcommand"),
    ],
)
def test_bad_input_exits_2_with_one_line(stdin, args, needle):
    done = _run(stdin, *args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and needle in done.stderr
