"""The fr, de and ja catalogues hold every message our code marks (templates, Python in
exchanges/ and config/, static/js), translated, not fuzzy, with the msgid's placeholders;
and the pure-Python compile step refuses a broken catalogue with a one-line reason."""

from pathlib import Path

import polib
import pytest
from django.core.management import CommandError, call_command

from tests.i18n.extract import (
    ROOT,
    by_file,
    catalogue_problems,
    js_messages,
    python_messages,
    template_messages,
)


def _report(lines: list[str]) -> str:
    summary = "\n".join(f"  {count:4d}  {path}" for path, count in sorted(by_file(lines).items()))
    return (f"{len(lines)} catalogue problems (message x language), by source file:\n"
            f"{summary}\n" + "\n".join(lines))


def test_every_marked_message_is_translated_in_every_catalogue():
    problems = catalogue_problems()
    if problems:
        print(_report(problems))  # the whole list, with -s: what each area has left
    assert not problems, _report(problems)


def _probe(name: str, text: str) -> Path:
    path = ROOT / "var" / "i18n-checker" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_template_messages_with_contexts_plurals_and_variables():
    path = _probe("probe.html", (
        '{% load i18n %}{% translate "Save" %}{% translate "May" context "month" %}'
        "{% translate 'Quoted \"x\"' as label %}{% translate some_variable %}\n"
        "{% blocktranslate trimmed count counter=n with city=c.name %}\n"
        "  One pupil in {{ city }} (100%)\n{% plural %}\n  {{ counter }} pupils in {{ city }}\n"
        "{% endblocktranslate %}"
    ))
    try:
        found = [(m.context, m.msgid, m.plural) for m in template_messages(path)]
    finally:
        path.unlink()
    assert found == [
        ("", "Save", ""), ("month", "May", ""), ("", 'Quoted "x"', ""),
        ("", "One pupil in %(city)s (100%%)", "%(counter)s pupils in %(city)s"),
    ]


def test_python_messages_through_aliases_with_literal_arguments_only():
    path = _probe("probe.py", (
        "from django.utils.translation import gettext as _, ngettext, pgettext_lazy\n"
        "from django.utils import translation\n"
        "a = _('Hello ' 'world')\n"
        "b = ngettext('%(n)s day', '%(n)s days', 3)\n"
        "c = pgettext_lazy('verb', 'Close')\n"
        "d = translation.gettext('Module')\n"
        "e = _(variable)\n"
        "f = gettext('not imported here')\n"
    ))
    try:
        found = [(m.context, m.msgid, m.plural) for m in python_messages(path)]
    finally:
        path.unlink()
    assert sorted(found) == sorted([
        ("", "Hello world", ""), ("", "%(n)s day", "%(n)s days"), ("verb", "Close", ""),
        ("", "Module", ""),
    ])


def test_js_messages_gettext_ngettext_and_interpolate():
    path = _probe("probe.js", (
        "const a = gettext('Connected');\n"
        'const b = interpolate(ngettext("%s person", "%s people", n), [n]);\n'
        "const c = gettext('It' + \"'s \" + 'on');\n"
        "const d = gettext(name);\n"
        "function gettext(x) { return x; }\n"
    ))
    try:
        found = [(m.msgid, m.plural, m.domain) for m in js_messages(path)]
    finally:
        path.unlink()
    assert found == [("Connected", "", "djangojs"), ("%s person", "%s people", "djangojs"),
                     ("It's on", "", "djangojs")]


def _catalogue(tmp_path, msgid: str, msgstr: str, flags=("python-format",)) -> Path:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8",
                   "Plural-Forms": "nplurals=2; plural=(n != 1);"}
    po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, flags=list(flags)))
    path = tmp_path / "django.po"
    po.save(str(path))
    return path


def test_compile_writes_a_mo_that_gettext_reads(tmp_path):
    import gettext

    path = _catalogue(tmp_path, "Hello %(name)s", "Bonjour %(name)s")
    call_command("compile_catalogues", str(path))
    with open(path.with_suffix(".mo"), "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    assert catalogue.gettext("Hello %(name)s") == "Bonjour %(name)s"


@pytest.mark.parametrize("msgstr, reason", [
    ("Bonjour %(nom)s", "placeholder %(nom) is not in the msgid"),
    ("Bonjour", "placeholder %(name) is missing"),
])
def test_compile_refuses_other_placeholders_in_one_line(tmp_path, msgstr, reason):
    path = _catalogue(tmp_path, "Hello %(name)s", msgstr)
    with pytest.raises(CommandError) as refused:
        call_command("compile_catalogues", str(path))
    message = str(refused.value)
    assert "\n" not in message and reason in message and str(path) in message
    assert not path.with_suffix(".mo").exists()


def test_compile_refuses_a_broken_catalogue_in_one_line(tmp_path):
    path = tmp_path / "django.po"
    path.write_text('msgid ""\nmsgstr ""\n\nmsgid "Open"\nmsgtr "Ouvrir"\n', encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("compile_catalogues", str(path))
    assert "\n" not in str(refused.value) and str(path) in str(refused.value)
    assert "line 5" in str(refused.value)


def test_catalogues_stay_readable_by_gnu_gettext():
    """A '#| msgctxt' without its '#| msgid' (left by a fill that cleared only the previous
    msgid) makes msgmerge, hence makemessages, stop with a syntax error."""
    broken = []
    for path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
        for entry in polib.pofile(str(path), wrapwidth=0):
            if entry.previous_msgctxt and not entry.previous_msgid:
                broken.append(f"{path.relative_to(ROOT)}:{entry.linenum}: {entry.msgid!r}")
    assert not broken, "previous msgctxt without previous msgid:\n" + "\n".join(broken)


def test_every_build_compiles_the_catalogues_and_git_keeps_only_the_po_files():
    """.mo files are build output: make run/test/test-fast and the image compile them."""
    makefile = (ROOT / "Makefile").read_text()
    for target in ("migrate", "test", "test-fast"):
        line = next(x for x in makefile.splitlines() if x.startswith(f"{target}:"))
        assert "catalogues" in line, f"make {target} does not compile the catalogues"
    assert "compile_catalogues" in makefile
    assert "compile_catalogues" in (ROOT / "Dockerfile").read_text()
    assert "*.mo" in (ROOT / ".gitignore").read_text().split()
