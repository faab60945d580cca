"""Text that people type for others to read: names shown to partners, messages, posts.

Two tricks pass an ordinary "not blank" check and fool the reader:

* characters that draw nothing (zero-width spaces, the byte-order mark, Hangul fillers,
  a combining mark with no letter to sit on): a name made of them looks empty, a
  message made of them looks like nothing was said;
* bidirectional controls (U+202E RIGHT-TO-LEFT OVERRIDE and its kin): they reorder
  what follows, so "‮evil" shows as "live", and in a name they can run into the text
  beside it.

The policy, the same wherever text is typed:

* **names** (display names, class and school names, program names, roles) are short and
  checked as typed: a bidi control or another invisible formatting character is
  *refused* (the person is told and retypes it), text with nothing visible is *refused*
  as empty. Zero-width (non-)joiners, U+200C/U+200D, are kept between characters: Persian
  (علی‌رضا), Devanagari and emoji sequences need them; at the ends they join nothing and
  are trimmed like spaces.
* **long text** (chat messages, posts, comments, reasons, bios) keeps what was written,
  except that the embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) are
  *removed*: refusing a long message for an invisible character pasted with it would be
  unkind, and right-to-left writing needs none of them (the Unicode bidi algorithm
  orders Arabic and Hebrew by itself). The marks LRM, RLM and ALM stay: they cannot
  reorder letters, only place neutral characters such as punctuation, which is what
  writers of mixed right-to-left and left-to-right text use them for. Text with nothing
  visible becomes "", so each caller's own "empty" answer applies.

Both normalise to NFC first, so "é" typed as e + U+0301 is stored as one letter and a
name compares equal however the keyboard composed it. Pure Python, no Django: the
callers turn a :class:`NameRefused` reason into their own translated message.
"""

import unicodedata

ZWNJ = "\u200c"
ZWJ = "\u200d"
JOINERS = frozenset((ZWNJ, ZWJ))

# Embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069): they open a run
# that reorders everything after it until its closing partner (or the paragraph's end).
BIDI_RUN_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
# The marks: LRM, RLM and the Arabic letter mark. Fine in long text, never needed in a name.
BIDI_MARKS = frozenset(("\u200e", "\u200f", "\u061c"))
BIDI_CONTROLS = BIDI_RUN_CONTROLS | BIDI_MARKS

# Format and control characters, separators and marks draw nothing on their own.
_INVISIBLE_CATEGORIES = frozenset(("Cc", "Cf", "Cs", "Zs", "Zl", "Zp", "Mn", "Mc", "Me"))
# Letters and symbols by category, yet blank where they are drawn: the Hangul fillers
# and the blank Braille pattern, favourites for "empty" names.
_BLANK_GRAPHICS = frozenset(("\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"))

_strip_runs = str.maketrans(dict.fromkeys(BIDI_RUN_CONTROLS))


class NameRefused(ValueError):
    """Why a name cannot be used: ``reason`` is ``BLANK`` or ``HIDDEN``."""

    BLANK = "blank"  # nothing visible
    HIDDEN = "hidden"  # a bidi control or another invisible formatting character

    def __init__(self, reason: str, character: str = ""):
        where = f" (U+{ord(character):04X})" if character else ""
        super().__init__(f"{reason}{where}")
        self.reason = reason
        self.character = character


def is_visible_char(ch: str) -> bool:
    # Unassigned code points (Cn) count as visible: an emoji newer than this Python's
    # Unicode tables is unassigned to it, and a message of one emoji is a message.
    return unicodedata.category(ch) not in _INVISIBLE_CATEGORIES and ch not in _BLANK_GRAPHICS


def has_visible(text: str) -> bool:
    """True when at least one character of ``text`` draws something."""
    return any(is_visible_char(ch) for ch in text)


def _trim(text: str) -> str:
    """Spaces and the joiners trimmed off both ends (a joiner at an end joins nothing)."""
    edges = "".join(JOINERS)
    previous = None
    while previous != text:
        previous = text
        text = text.strip().strip(edges)
    return text


def name_clean(text: str) -> str:
    """A name as stored: NFC, runs of spaces made one, trimmed; or :class:`NameRefused`.

    Refused: text with nothing visible (``BLANK``, even when what is there is a bidi
    control), then any bidi control (marks included) or other format or control
    character except a joiner between two characters (``HIDDEN``).
    """
    text = _trim(" ".join(unicodedata.normalize("NFC", text or "").split()))
    if not has_visible(text):
        raise NameRefused(NameRefused.BLANK)
    for ch in text:
        if ch in BIDI_CONTROLS:
            raise NameRefused(NameRefused.HIDDEN, ch)
        if ch not in JOINERS and unicodedata.category(ch) in ("Cc", "Cf", "Cs"):
            raise NameRefused(NameRefused.HIDDEN, ch)
    return text


def text_clean(text: str) -> str:
    """Long text as stored: NFC, bidi embeddings, overrides and isolates removed,
    trimmed; "" when nothing visible is left (the caller says what "empty" means)."""
    text = unicodedata.normalize("NFC", text or "").translate(_strip_runs).strip()
    return text if has_visible(text) else ""
