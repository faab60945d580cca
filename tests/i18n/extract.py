"""What our code marks for translation, checked against the catalogues, found in pure
Python (no xgettext): templates through Django's template lexer (extract_templates),
Python through ast (extract_python), JavaScript through a small scanner of gettext calls
(extract_js); what templates leave unmarked is in unmarked_text.

Used by test_catalogues.py and test_unmarked.py; `python -m tests.i18n.extract` prints
both lists (what each area still has to do) without running pytest.
"""

from tests.i18n.extract_common import LANGUAGES, ROOT, Message, is_djangos, template_files
from tests.i18n.extract_js import js_files, js_messages
from tests.i18n.extract_python import python_files, python_messages
from tests.i18n.extract_templates import template_messages
from tests.i18n.unmarked_text import all_unmarked_text

__all__ = ["ROOT", "all_messages", "by_file", "catalogue_problems", "js_messages",
           "python_messages", "template_messages"]


def all_messages() -> list[Message]:
    found = []
    for path in template_files():
        if not is_djangos(path):  # Django's messages, in Django's catalogues
            found += template_messages(path)
    for path in python_files():
        found += python_messages(path)
    for path in js_files():
        found += js_messages(path)
    return found


# --- Catalogue completeness ---------------------------------------------------------------


def catalogue_problems() -> list[str]:
    """Every (language, message) our code marks that a catalogue lacks, leaves empty or
    fuzzy, or translates with other placeholders: "path:line [lang] problem: msgid"."""
    import polib

    from exchanges.pure.catalogues import entry_placeholder_problem

    messages = all_messages()
    problems = []
    for language in LANGUAGES:
        catalogues = {}
        for domain in ("django", "djangojs"):
            path = ROOT / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
            po = polib.pofile(str(path), wrapwidth=0) if path.exists() else []
            catalogues[domain] = {
                (e.msgctxt or "", e.msgid): e for e in po if not e.obsolete
            }
        seen = set()
        for message in messages:
            if (message.domain, message.key) in seen:
                continue
            seen.add((message.domain, message.key))
            entry = catalogues[message.domain].get(message.key)
            problem = _entry_problem(entry, message, entry_placeholder_problem)
            if problem:
                label = repr(message.msgid[:70] + ("…" if len(message.msgid) > 70 else ""))
                if message.context:
                    label = f"[{message.context}] {label}"
                problems.append(f"{message.where} [{language}] {problem}: {label}")
    return problems


def _entry_problem(entry, message: Message, placeholder_problem) -> str | None:
    if entry is None:
        return f"not in {message.domain}.po (run makemessages)"
    if "fuzzy" in entry.flags:
        return "fuzzy"
    if message.plural and not entry.msgid_plural:
        return "plural forms missing (run makemessages)"
    if entry.msgid_plural:
        if not entry.msgstr_plural or not all(entry.msgstr_plural.values()):
            return "untranslated"
    elif not entry.msgstr:
        return "untranslated"
    problem = placeholder_problem(entry)
    if problem:
        return problem
    return _plural_placeholder_problem(entry)


def _plural_placeholder_problem(entry) -> str | None:
    # The last plural form is the one for "many": it names every placeholder of the plural.
    from exchanges.pure.catalogues import python_placeholders

    if not entry.msgid_plural or "python-format" not in entry.flags:
        return None
    wanted = {p for p in python_placeholders(entry.msgid_plural) if p.startswith("%(")}
    last = entry.msgstr_plural[max(entry.msgstr_plural)]
    missing = wanted - set(python_placeholders(last))
    return f"placeholder {', '.join(sorted(missing))} is missing" if missing else None


def by_file(lines: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in lines:
        path = line.split(":", 1)[0]
        counts[path] = counts.get(path, 0) + 1
    return counts


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    django.setup()
    unmarked = all_unmarked_text()
    problems = catalogue_problems()
    for title, lines in (("Unmarked template text", unmarked), ("Catalogues", problems)):
        print(f"== {title}: {len(lines)}")
        for path, count in sorted(by_file(lines).items()):
            print(f"  {count:4d}  {path}")
        for line in lines:
            print("   ", line)
