"""Human text a template leaves unmarked: text and readable attributes (alt, title,
placeholder, aria-*, button values) with letters, outside {% translate %} and
{% blocktranslate %}, found by html.parser on the template with its tags marked out."""

from html.parser import HTMLParser
from pathlib import Path

from django.template.base import TokenType

from tests.i18n.extract_common import relative, template_files, template_tokens

# Words that are the same in every language: the brand (README: never translated) and
# the names of file formats a link offers.
ALLOWED_WORDS = {"Jumelage", "JSON", "CSV", ".ics"}
CHECKED_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description"}
# Text inside these is code or data for machines, not for readers.
SKIPPED_ELEMENTS = {"script", "style", "code", "kbd", "samp"}
# What a {{ variable }} or a translated tag leaves in the text: no letters.
HOLE = "\ue000"


def marked_out_source(text: str) -> str:
    """The template as the browser would get it, with every {{ variable }} and every
    translated text replaced by HOLE (no letters) and every other tag removed, newlines
    kept (so html.parser's line numbers are the template's)."""
    out = []
    skipping = None  # the end tag of a block whose content is not output text
    for token in template_tokens(text):
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
