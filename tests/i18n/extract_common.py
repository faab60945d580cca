"""What the i18n extractors share: where the sources are, the message record, and the
template lexer (tests/i18n/extract.py gathers; extract_templates, extract_python and
extract_js find the marked messages; unmarked_text finds what templates leave unmarked)."""

from dataclasses import dataclass
from pathlib import Path

from django.template.base import DebugLexer

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
PYTHON_DIRS = [ROOT / "exchanges", ROOT / "config"]
JS_DIR = ROOT / "static" / "js"
LANGUAGES = ("fr", "de", "ja")
# Django's own templates, copied and changed a little (templates/admin/edit_inline): their
# messages are Django's, which its catalogues translate; makemessages leaves them out too
# (MAKEMESSAGES_IGNORE in the Makefile).
DJANGOS_TEMPLATES = TEMPLATES / "admin" / "edit_inline"


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


def is_djangos(path: Path) -> bool:
    """A template copied from Django's (``DJANGOS_TEMPLATES``)."""
    return path.is_relative_to(DJANGOS_TEMPLATES)


def template_tokens(text: str):
    return DebugLexer(text).tokenize()
