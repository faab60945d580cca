"""What our code marks for translation, and what our templates leave unmarked, found in
pure Python (no xgettext): templates through Django's template lexer, Python through ast,
JavaScript through a small scanner of gettext calls.

Used by test_catalogues.py and test_unmarked.py; `python -m tests.i18n.extract` prints
both lists (what each area still has to do) without running pytest.
"""

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import DebugLexer, TokenType
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import trim_whitespace

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
PYTHON_DIRS = [ROOT / "exchanges", ROOT / "config"]
JS_DIR = ROOT / "static" / "js"
LANGUAGES = ("fr", "de", "ja")

# Words that are the same in every language: the brand (README: never translated) and
# the names of file formats a link offers.
ALLOWED_WORDS = {"Jumelage", "JSON", "CSV", ".ics"}
CHECKED_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description"}
# Text inside these is code or data for machines, not for readers.
SKIPPED_ELEMENTS = {"script", "style", "code", "kbd", "samp"}
# What a {{ variable }} or a translated tag leaves in the text: no letters.
HOLE = "\ue000"


@dataclass(frozen=True)
class Message:
    """One msgid our code marks, and where."""

    msgid: str
    domain: str  # "django" or "djangojs"
    where: str  # path:line
    context: str = ""
    plural: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.context, self.msgid)


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def template_files() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*") if p.suffix in {".html", ".txt"})


def _tokens(text: str):
    return DebugLexer(text).tokenize()


def _unquote(bit: str) -> str | None:
    """A quoted template string literal's text; None for a variable."""
    if len(bit) >= 2 and bit[0] == bit[-1] and bit[0] in "\"'":
        return unescape_string_literal(bit)
    return None


def _block_words(contents: str) -> list[str]:
    return list(smart_split(contents))


# --- Templates: the messages they mark ------------------------------------------------


def template_messages(path: Path) -> Iterator[Message]:
    text = path.read_text(encoding="utf-8")
    tokens = _tokens(text)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        where = f"{relative(path)}:{token.lineno}"
        if token.token_type == TokenType.BLOCK:
            words = _block_words(token.contents)
            tag = words[0] if words else ""
            if tag in ("translate", "trans") and len(words) > 1:
                message = _unquote(words[1].split("|")[0])
                context = ""
                if "context" in words:
                    context = _unquote(words[words.index("context") + 1]) or ""
                if message is not None:
                    yield Message(message, "django", where, context)
            elif tag in ("blocktranslate", "blocktrans"):
                context = ""
                if "context" in words:
                    context = _unquote(words[words.index("context") + 1]) or ""
                trimmed = "trimmed" in words
                singular, plural, i = _block_body(tokens, i + 1)
                msgid = _block_text(singular, trimmed)
                plural_text = _block_text(plural, trimmed) if plural is not None else ""
                yield Message(msgid, "django", where, context, plural_text)
        i += 1


def _block_body(tokens, i):
    singular, plural, current = [], None, None
    current = singular
    while i < len(tokens):
        token = tokens[i]
        if token.token_type == TokenType.BLOCK:
            word = token.contents.split()[0] if token.contents.split() else ""
            if word == "plural":
                plural = []
                current = plural
            elif word in ("endblocktranslate", "endblocktrans"):
                return singular, plural, i
        else:
            current.append(token)
        i += 1
    return singular, plural, i


def _block_text(tokens, trimmed: bool) -> str:
    # As django.templatetags.i18n.BlockTranslateNode.render_token_list builds the msgid.
    parts = []
    for token in tokens:
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents.replace("%", "%%"))
        elif token.token_type == TokenType.VAR:
            parts.append(f"%({token.contents.strip()})s")
    text = "".join(parts)
    return trim_whitespace(text) if trimmed else text


# --- Python: the messages it marks -------------------------------------------------------

GETTEXT_FUNCTIONS = {
    # name -> (context position or None, singular position, plural position or None)
    "gettext": (None, 0, None), "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None), "ugettext": (None, 0, None),
    "ngettext": (None, 0, 1), "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None), "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2), "npgettext_lazy": (0, 1, 2),
}


def python_files() -> list[Path]:
    files = []
    for directory in PYTHON_DIRS:
        files += [p for p in directory.rglob("*.py") if "migrations" not in p.parts]
    return sorted(files)


def python_messages(path: Path) -> Iterator[Message]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    # Which local names are Django's gettext functions ("_" is one only when imported as it).
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                if alias.name in GETTEXT_FUNCTIONS:
                    names[alias.asname or alias.name] = alias.name
    module_alias = {
        alias.asname or alias.name
        for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        and node.module == "django.utils" for alias in node.names if alias.name == "translation"
    }
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = None
        if isinstance(node.func, ast.Name) and node.func.id in names:
            function = names[node.func.id]
        elif (isinstance(node.func, ast.Attribute) and node.func.attr in GETTEXT_FUNCTIONS
              and isinstance(node.func.value, ast.Name) and node.func.value.id in module_alias):
            function = node.func.attr
        if function is None:
            continue
        context_at, singular_at, plural_at = GETTEXT_FUNCTIONS[function]

        def literal(position):
            if position is None or position >= len(node.args):
                return None
            arg = node.args[position]
            return arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) \
                else None

        singular = literal(singular_at)
        if singular is None:
            continue
        yield Message(
            singular, "django", f"{relative(path)}:{node.lineno}",
            literal(context_at) or "", literal(plural_at) or "",
        )


# --- JavaScript: the messages static/js marks -------------------------------------------

_JS_CALL = re.compile(r"\b(gettext|ngettext|pgettext|npgettext)\s*\(")
_JS_STRING = re.compile(r"""\s*(?:'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)")""")
_JS_ESCAPES = {"n": "\n", "t": "\t", "'": "'", '"': '"', "\\": "\\"}


def js_files() -> list[Path]:
    return sorted(JS_DIR.rglob("*.js")) if JS_DIR.exists() else []


def _js_arguments(text: str, at: int) -> list[str | None]:
    """The call's leading arguments that are string literals (joined with +)."""
    arguments = []
    while True:
        value, at = _js_string(text, at)
        arguments.append(value)
        if value is None:
            return arguments
        rest = re.match(r"\s*([,)])", text[at:])
        if not rest or rest.group(1) == ")":
            return arguments
        at += rest.end()


def _js_string(text: str, at: int) -> tuple[str | None, int]:
    parts = []
    while True:
        match = _JS_STRING.match(text, at)
        if not match:
            return ("".join(parts) if parts else None), at
        raw = match.group(1) if match.group(1) is not None else match.group(2)
        parts.append(re.sub(r"\\(.)", lambda m: _JS_ESCAPES.get(m.group(1), m.group(1)), raw))
        at = match.end()
        plus = re.match(r"\s*\+", text[at:])
        if not plus:
            return "".join(parts), at
        at += plus.end()


def js_messages(path: Path) -> Iterator[Message]:
    text = path.read_text(encoding="utf-8")
    for match in _JS_CALL.finditer(text):
        if text[max(0, match.start() - 9):match.start()].endswith("function "):
            continue
        args = _js_arguments(text, match.end())
        name = match.group(1)
        line = text.count("\n", 0, match.start()) + 1
        where = f"{relative(path)}:{line}"
        if name in ("pgettext", "npgettext"):
            if len(args) < 2 or args[0] is None or args[1] is None:
                continue
            context, singular, rest = args[0], args[1], args[2:]
        else:
            if not args or args[0] is None:
                continue
            context, singular, rest = "", args[0], args[1:]
        plural = rest[0] if name.startswith("n") and rest and rest[0] else ""
        yield Message(singular, "djangojs", where, context, plural)


def all_messages() -> list[Message]:
    found = []
    for path in template_files():
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


# --- Templates: human text left unmarked ------------------------------------------------


def marked_out_source(text: str) -> str:
    """The template as the browser would get it, with every {{ variable }} and every
    translated text replaced by HOLE (no letters) and every other tag removed, newlines
    kept (so html.parser's line numbers are the template's)."""
    out = []
    skipping = None  # the end tag of a block whose content is not output text
    for token in _tokens(text):
        start, end = token.position
        raw = text[start:end]
        blank = "\n" * raw.count("\n")
        if token.token_type == TokenType.BLOCK:
            words = token.contents.split()
            tag = words[0] if words else ""
            if skipping:
                if tag == skipping:
                    skipping = None
                    out.append(HOLE if tag.startswith("endblocktrans") else "")
                out.append(blank)
                continue
            if tag in ("blocktranslate", "blocktrans"):
                skipping = "end" + tag
            elif tag == "comment":
                skipping = "endcomment"
            elif tag in ("translate", "trans") and "as" not in words:
                out.append(HOLE)
            out.append(blank)
        elif token.token_type == TokenType.TEXT:
            out.append(blank if skipping else raw)
        elif token.token_type == TokenType.VAR and not skipping:
            out.append(HOLE + blank)
        else:
            out.append(blank)
    return "".join(out)


def _has_words(text: str) -> bool:
    for word in ALLOWED_WORDS:
        text = text.replace(word, "")
    return any(ch.isalpha() for ch in text)


class _UnmarkedText(HTMLParser):
    def __init__(self, name: str):
        super().__init__(convert_charrefs=True)
        self.name = name
        self.found: list[str] = []
        self.skipped: list[str] = []

    def _report(self, line: int, what: str, text: str) -> None:
        text = " ".join(text.replace(HOLE, "…").split())
        self.found.append(f"{self.name}:{line}: {what} {text[:80]!r}")

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            checked = name in CHECKED_ATTRIBUTES or (
                name == "value" and tag == "input"
                and (attributes.get("type") or "").lower() in ("submit", "button", "reset")
            )
            if checked and _has_words(value):
                self._report(line, f"<{tag} {name}>", value)
        if tag in SKIPPED_ELEMENTS:
            self.skipped.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in SKIPPED_ELEMENTS:
            self.skipped.pop()

    def handle_endtag(self, tag):
        if tag in self.skipped:
            while self.skipped and self.skipped.pop() != tag:
                pass

    def handle_data(self, data):
        if self.skipped or not _has_words(data):
            return
        line = self.getpos()[0] + data[: len(data) - len(data.lstrip())].count("\n")
        self._report(line, "text", data)


def unmarked_text(path: Path) -> list[str]:
    parser = _UnmarkedText(relative(path))
    parser.feed(marked_out_source(path.read_text(encoding="utf-8")))
    parser.close()
    return parser.found


def all_unmarked_text() -> list[str]:
    found = []
    for path in template_files():
        found += unmarked_text(path)
    return found


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
