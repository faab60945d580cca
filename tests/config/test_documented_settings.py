"""Every environment variable the code reads is documented in README.md and .env.example."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# env_str("NAME", …), env_bool(…), os.environ.get("NAME") / os.environ["NAME"]
READ = re.compile(r"""(?:\benv_[a-z]+\(\s*|os\.environ(?:\.get\(|\[))["']([A-Z][A-Z0-9_]+)["']""")


def _variables_read() -> set[str]:
    names = set()
    for folder in ("config", "exchanges"):
        for path in (ROOT / folder).rglob("*.py"):
            names |= set(READ.findall(path.read_text()))
    return names


def test_the_code_reads_the_settings_this_test_knows_of():
    names = _variables_read()
    assert {"DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY_FALLBACKS", "DATABASE_URL"} <= names


def test_every_variable_read_is_in_the_readme_and_the_example_file():
    readme = (ROOT / "README.md").read_text()
    example = (ROOT / ".env.example").read_text()
    missing = sorted(
        f"{name} ({where})"
        for name in _variables_read()
        for where, text in (("README.md", readme), (".env.example", example))
        if not re.search(rf"\b{name}\b", text)
    )
    assert not missing, missing
