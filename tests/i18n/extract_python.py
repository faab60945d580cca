"""The messages Python in exchanges/ and config/ marks (Django's gettext functions,
imported by name or called on ``django.utils.translation``), read through ast."""

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.i18n.extract_common import PYTHON_DIRS, Message, relative

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
    # A notice's Message.ngettext / Message.pgettext (exchanges.selectors.notification_text)
    # defers the translation to the reader; makemessages finds it like ngettext.
    module_alias |= {
        alias.asname or alias.name
        for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
        and node.module == "exchanges.selectors.notification_text"
        for alias in node.names if alias.name == "Message"
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

