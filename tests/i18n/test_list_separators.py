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


def test_lists_in_messages_written_by_the_code_take_the_languages_separator():
    from django.utils import translation

    from exchanges.pure.pupil_pairs import INTEREST_LABELS, group_sentence
    from exchanges.services.chat_refusals import unknown_language_text

    with translation.override("ja"):
        languages = unknown_language_text(["en", "de", "fr"])
        interests = group_sentence(sorted(INTEREST_LABELS)[:3], 2, False)
    for text in (languages, interests):
        assert "、" in text and ", " not in text, text
