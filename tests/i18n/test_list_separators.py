"""Lists on pages are joined with the language's separator (Japanese "、", not ", ")."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
HARD_CODED = (
    re.compile(r"{%\s*if not forloop\.last\s*%}\s*,\s"),  # "a, b" written by the loop
    re.compile(r"""\|join:\s*["'],\s*["']"""),  # |join:", "
)


def test_no_template_joins_a_list_with_a_hard_coded_comma():
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        if "admin" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if any(pattern.search(line) for pattern in HARD_CODED)
    ]
    hint = 'join lists with {% translate ", " %} or |join:_(", "): '
    assert not found, hint + " ".join(found)
