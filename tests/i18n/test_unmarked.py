"""Every template's human text is marked for translation: text nodes and the alt, title,
placeholder, aria-label, aria-description attributes and the value of input buttons that
carry letters, outside {% translate %} / {% blocktranslate %} (tests/i18n/unmarked_text.py)."""

from pathlib import Path

import pytest

from tests.i18n.extract import ROOT, by_file
from tests.i18n.unmarked_text import all_unmarked_text, unmarked_text


def _report(lines: list[str]) -> str:
    summary = "\n".join(f"  {count:4d}  {path}" for path, count in sorted(by_file(lines).items()))
    return f"{len(lines)} unmarked texts, by template:\n{summary}\n" + "\n".join(lines)


def test_every_template_marks_its_human_text():
    found = all_unmarked_text()
    if found:
        print(_report(found))  # the whole list, with -s: what each area has left
    assert not found, _report(found)


@pytest.mark.parametrize("template, expected", [
    ('<p>Hello {{ name }}</p>', ["text 'Hello …'"]),
    ('<img alt="A map" src="x.png"><input type="submit" value="Send">',
     ["<img alt> 'A map'", "<input value> 'Send'"]),
    ('<a title="{% translate "Help" %}" aria-label="Close {{ x }}">×</a>',
     ["<a aria-label> 'Close …'"]),
    ('{% load i18n %}<p>{% blocktranslate trimmed %}Hi {{ n }}{% endblocktranslate %}</p>'
     '<input type="text" value="{{ v }}"><input type="hidden" value="x">', []),
    ('<script>const a = "words";</script><style>p::after{content:"x"}</style>'
     '{# a comment #}{% comment %}notes{% endcomment %}<b>Jumelage</b> · 12', []),
    ('<p>\n\n  Forgotten</p>', ["text 'Forgotten'"]),
])
def test_the_checker_finds_what_is_unmarked(template, expected):
    path = ROOT / "var" / "i18n-checker" / "probe.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(template, encoding="utf-8")
    try:
        found = [line.split(": ", 1)[1] for line in unmarked_text(path)]
    finally:
        path.unlink()
    assert found == expected


def test_the_checker_reports_the_line():
    path = ROOT / "var" / "i18n-checker" / "lines.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{% if x %}\n<p>\n  {{ y }}\n  Left here</p>{% endif %}\n", encoding="utf-8")
    try:
        found = unmarked_text(path)
    finally:
        path.unlink()
    assert found == [f"{Path('var/i18n-checker/lines.html')}:3: text '… Left here'"]
