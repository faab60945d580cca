"""Message catalogues (.po) checked and compiled to .mo in pure Python (polib).

A fresh machine has Python but not GNU gettext, so `make run` and `make test` compile
through here rather than through Django's compilemessages (which calls msgfmt).
"""
import os
import re
import tempfile
from pathlib import Path

import polib

# %(name)s, %s, %d, %%; "{name}" is not used by our catalogues' python-format strings.
_PYTHON_FORMAT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[-#0 +]*\d*(?:\.\d+)?(?P<type>[diouxXeEfFgGcrsa%])"
)


class CatalogueError(Exception):
    """A catalogue that cannot be compiled; the message is one line naming file and line."""


def python_placeholders(text: str) -> list[str]:
    """A string's python-format placeholders, sorted: named ones by name, others by type."""
    found = []
    for match in _PYTHON_FORMAT.finditer(text):
        if match.group("type") == "%":
            continue
        name = match.group("name")
        found.append(f"%({name})" if name is not None else f"%{match.group('type')}")
    return sorted(found)


def entry_placeholder_problem(entry: polib.POEntry) -> str | None:
    """Why a translated python-format entry's placeholders differ from its msgid's, or None."""
    if "python-format" not in entry.flags or "fuzzy" in entry.flags:
        return None
    source = set(python_placeholders(entry.msgid))
    if entry.msgid_plural:
        source |= set(python_placeholders(entry.msgid_plural))
        translations = [t for t in entry.msgstr_plural.values() if t]
    else:
        translations = [entry.msgstr] if entry.msgstr else []
    named_source = {p for p in source if p.startswith("%(")}
    for text in translations:
        found = set(python_placeholders(text))
        unknown = found - source
        # A plural form may leave out the count (Japanese has one form for "1 day" and "2 days"),
        # but a named placeholder the msgid lacks would raise KeyError at render time.
        if unknown:
            return f"placeholder {', '.join(sorted(unknown))} is not in the msgid"
        if not entry.msgid_plural and named_source - found:
            return f"placeholder {', '.join(sorted(named_source - found))} is missing"
    return None


def load_catalogue(path: Path) -> polib.POFile:
    """Parse and check a .po file; CatalogueError (one line) when it is broken."""
    try:
        po = polib.pofile(str(path), wrapwidth=0, check_for_duplicates=True)
    except (OSError, ValueError) as exc:
        raise CatalogueError(f"{path}: {' '.join(str(exc).split())}") from exc
    for entry in po:
        if entry.obsolete:
            continue
        problem = entry_placeholder_problem(entry)
        if problem:
            raise CatalogueError(f"{path}:{entry.linenum}: msgid {entry.msgid!r}: {problem}")
    return po


def compile_catalogue(path: Path) -> Path:
    """Write path's .mo beside it (atomically: a server reading it never sees half a file)."""
    po = load_catalogue(path)
    target = path.with_suffix(".mo")
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".mo")
    os.close(handle)
    try:
        po.save_as_mofile(temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def stale_catalogues(locale_dir: Path) -> list[Path]:
    """The .po files under locale_dir whose .mo is missing or older."""
    stale = []
    for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            stale.append(po_path)
    return stale
