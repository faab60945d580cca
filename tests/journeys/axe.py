"""axe-core in the test browser: the vendored copy (``vendor/axe-core``) is injected into a
page with Playwright and run there; nothing is fetched at run time and the platform never
serves it. The platform's CSP allows no inline script, so pages checked this way are opened
in a context made with ``bypass_csp=True``."""

from pathlib import Path

AXE_VERSION = "4.14.1"
AXE_PATH = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
# Rules that fail a walk whatever impact axe gives them: a table's column with a header
# that names nothing is read out as nothing (axe calls it minor), in our pages and the
# admin's alike.
FAILING_RULES = ("empty-table-header",)


def axe_version() -> str:
    """The version the vendored file declares in its header ("/*! axe v4.14.1")."""
    with open(AXE_PATH, encoding="utf-8") as vendored:
        return vendored.readline().split(" v", 1)[1].strip()


def axe_run(page) -> list[dict]:
    """Every axe violation of the page as it is now (all rule sets axe runs by default)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_PATH))
    return page.evaluate(
        "async () => (await window.axe.run(document, {resultTypes: ['violations']})).violations"
    )


def serious(violations: list[dict]) -> list[dict]:
    """The violations a walk fails on: the serious and critical ones, and ``FAILING_RULES``."""
    return [v for v in violations
            if v["impact"] in FAILING_IMPACTS or v["id"] in FAILING_RULES]


def describe(where: str, violations: list[dict], shown: int = 3) -> list[str]:
    """One readable line per rule broken on a page: page, rule id, impact, how many
    elements, the first targets, and what is wrong (with axe's numbers for the first)."""
    lines = []
    for violation in violations:
        nodes = violation["nodes"]
        targets = ", ".join(_target(node) for node in nodes[:shown])
        more = f" (+{len(nodes) - shown} more)" if len(nodes) > shown else ""
        why = nodes[0].get("failureSummary", "").replace("\n", " ")
        lines.append(f"{where} | {violation['id']} | {violation['impact']} | "
                     f"{targets}{more} | {violation['help']}: {why}")
    return lines


def _target(node: dict) -> str:
    return " ".join(" > ".join(part) if isinstance(part, list) else part
                    for part in node["target"])
