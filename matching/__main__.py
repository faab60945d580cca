"""Command line: `python -m matching solve < instance.json > result.json`.

Exit 0 with the result JSON on stdout; exit 2 with a one-line reason on stderr (and
nothing on stdout) for invalid JSON, a malformed record or an unknown subcommand.
"""

from __future__ import annotations

import json
import sys

from . import process_tuning, solve_dict
from .errors import InstanceError

USAGE = "usage: python -m matching solve < instance.json > result.json"


def _fail(reason: str) -> int:
    print(" ".join(reason.split()), file=sys.stderr)  # always one line
    return 2


def main(argv: list[str]) -> int:
    if argv != ["solve"]:
        return _fail(f"unknown subcommand {' '.join(argv)!r}; {USAGE}")
    try:
        instance = json.load(sys.stdin)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return _fail(f"invalid JSON: {exc}")
    try:
        with process_tuning():
            result = solve_dict(instance)
    except InstanceError as exc:
        return _fail(f"invalid instance: {exc}")
    json.dump(result, sys.stdout, ensure_ascii=False, sort_keys=True)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
