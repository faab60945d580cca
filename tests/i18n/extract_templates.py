"""The messages templates mark ({% translate %}, {% blocktranslate %}), read through
Django's own template lexer."""

from collections.abc import Iterator
from pathlib import Path

from django.template.base import TokenType
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import trim_whitespace

from tests.i18n.extract_common import Message, relative, template_tokens


def _unquote(bit: str) -> str | None:
    """A quoted template string literal's text; None for a variable."""
    if len(bit) >= 2 and bit[0] == bit[-1] and bit[0] in "\"'":
        return unescape_string_literal(bit)
    return None


def _block_words(contents: str) -> list[str]:
    return list(smart_split(contents))


def template_messages(path: Path) -> Iterator[Message]:
    text = path.read_text(encoding="utf-8")
    tokens = template_tokens(text)
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

