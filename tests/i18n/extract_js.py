"""The messages static/js marks (gettext, ngettext, pgettext, npgettext with string
literals), read by a small scanner rather than a JavaScript parser."""

import re
from collections.abc import Iterator
from pathlib import Path

from tests.i18n.extract_common import JS_DIR, Message, relative

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

