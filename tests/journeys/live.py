"""Helpers of the accessibility journeys, beside the shared fixtures of ``conftest.py``
(``live_platform``, ``browser``): a script run in the live platform's database, as people
would have acted, browser contexts signed in with a session made there, and the checks
every axe walk runs on each page it opens (``PageWalk``)."""

import json
import subprocess
import sys

from django.conf import settings

from tests.journeys.axe import axe_run, describe, serious

ROOT = settings.BASE_DIR

# A script run with ``run_script`` may call ``session(user)``: a signed-in session's key,
# made in the platform's session store as a login would (pupils through their backend).
SESSION_HELPER = "from tests.journeys.world import session\n"


def run_script(env: dict, script: str, timeout: int = 240) -> dict:
    """Runs ``script`` in the platform's database (``manage.py shell`` with the platform's
    environment); its last printed line is JSON, returned."""
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", SESSION_HELPER + script],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode:
        raise AssertionError(f"setup script failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def signed_in_context(browser, base: str, cookie: str, session_key: str | None, **options):
    """A fresh browser context (``options`` as Playwright's), carrying the session cookie
    when there is one."""
    context = browser.new_context(**options)
    if session_key:
        context.add_cookies([{"name": cookie, "value": session_key, "url": base}])
    return context


def browser_page(browser, base: str, made: dict, role: str):
    """A page of the role's own browser context (axe is injected: no CSP there), noting
    in `page.failures` what failed to load and what was logged as an error."""
    context = signed_in_context(browser, base, made["cookie"], made["sessions"].get(role),
                                bypass_csp=True)
    page = context.new_page()
    page.failures = []
    # The page itself may answer 4xx by design (a form sent back with its errors); its
    # resources may not. Chromium logs each failed load as a console error too, the
    # browser's own (the icon) only there.
    page.on("response", lambda r: r.status >= 400 and r.request.resource_type != "document"
            and page.failures.append(f"{r.status} for {r.url.removeprefix(base)}"))
    page.on("console", lambda m: m.type == "error" and not _own_status(page, m)
            and page.failures.append(f"console: {m.text} ({_source(m, base)})"))
    page.on("pageerror", lambda e: page.failures.append(f"script: {e}"))
    return page


def _own_status(page, message) -> bool:
    return (message.text.startswith("Failed to load resource")
            and message.location.get("url") == page.url)


def _source(message, base: str) -> str:
    return message.location.get("url", "").removeprefix(base)


# Cards and grids of cards in <main> (outside a grid, whose own gap spaces its cards)
# stacked within 8 px of the next one below (side by side, as the room's panels, is fine).
TOUCHING = """() => [...document.querySelectorAll('main .card, main .grid')]
  .filter(box => !box.parentElement.closest('.grid') && box.offsetParent !== null)
  .flatMap(box => {
    const next = box.nextElementSibling;
    if (!next || !next.matches('.card, .grid') || next.offsetParent === null) return [];
    const [a, b] = [box.getBoundingClientRect(), next.getBoundingClientRect()];
    const stacked = b.left < a.right && a.left < b.right;
    const gap = Math.round(b.top - a.bottom);
    return stacked && gap < 8
      ? [`${box.id || box.className} is ${gap} px above ${next.id || next.className}`] : [];
  })"""


# Table rows far taller than what their cells hold (a table stretched to its neighbours'
# height spreads the difference over its rows).
STRETCHED = """() => [...document.querySelectorAll('main table')]
  .filter(table => table.offsetParent !== null)
  .flatMap(table => [...table.rows].filter(row => {
    const held = Math.max(...[...row.cells].map(cell => {
      const range = document.createRange();
      range.selectNodeContents(cell);
      return range.getBoundingClientRect().height;
    }));
    return row.getBoundingClientRect().height > held + 32;
  }).slice(0, 1).map(row => {
    const name = table.caption ? table.caption.textContent.trim() : table.closest('[id]').id;
    return `a row of "${name}" is ${Math.round(row.getBoundingClientRect().height)} px tall`;
  }))"""


# An element named as a selector would name it (tag#id.classes), in the layout checks.
NAME = """const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.classList.length ? '.' + [...el.classList].join('.') : '');"""


# A page wider than the window (what is wide scrolls inside its own box), with the
# outermost elements that stick out.
WIDER = """() => {
  """ + NAME + """
  const width = window.innerWidth, over = document.documentElement.scrollWidth - width;
  if (over <= 0) return [];
  const out = el => el.getBoundingClientRect().right > width + 1;
  const clipped = el => el.parentElement.closest('.wide, .chart-table') !== null;
  const names = [...document.querySelectorAll('body *')]
    .filter(el => out(el) && !out(el.parentElement) && !clipped(el)).slice(0, 3).map(name);
  return [`the page is ${over} px wider than the window (${names.join(', ')})`];
}"""


# Cards whose content sticks out past their right edge (not counting what scrolls inside
# a box of its own), each with its first such element.
SPILLING = """() => {
  """ + NAME + """
  return [...document.querySelectorAll('main .card')]
    .filter(card => card.offsetParent !== null)
    .flatMap(card => {
      const edge = card.getBoundingClientRect().right;
      const out = [...card.querySelectorAll('*')].find(el =>
        el.offsetParent !== null && el.getBoundingClientRect().right > edge + 1
        && !el.parentElement.closest('.wide, .chart-table, .visually-hidden'));
      return out ? [`${name(out)} sticks out of ${name(card)}`] : [];
    });
}"""


# Lists styled "plain" (the wall's posts, a room list, the pupil groups) with a bullet
# or a number before their items.
MARKED = """() => [...document.querySelectorAll('main ul.plain > li, main ol.plain > li')]
  .filter(li => li.offsetParent !== null && getComputedStyle(li).display === 'list-item'
          && getComputedStyle(li).listStyleType !== 'none')
  .slice(0, 1)
  .map(li => `a plain list's item shows a marker: ${li.textContent.trim().slice(0, 40)}`)"""


# One <h1>, a <title> with words, and <html lang>: what a screen reader announces first.
LANDMARKS = """() => {
  const found = [];
  const h1s = document.querySelectorAll('h1').length;
  if (h1s !== 1) found.push(`${h1s} <h1> elements`);
  if (!document.title.trim()) found.push('an empty <title>');
  if (!document.documentElement.lang.trim()) found.push('no lang on <html>');
  return found;
}"""


def page_problems(page, where: str, *, wide_ok: bool = False,
                  rows_ok: bool = False) -> list[str]:
    """What failed to load on ``page`` (a ``browser_page``) since the last call, and the
    layout and landmark checks above: ``wide_ok`` skips the width checks, ``rows_ok`` the
    stretched rows."""
    found = [f"{where} | {failure}" for failure in page.failures]
    page.failures.clear()
    layout = page.evaluate(TOUCHING) + page.evaluate(MARKED) + page.evaluate(LANDMARKS)
    layout += [] if rows_ok else page.evaluate(STRETCHED)
    layout += [] if wide_ok else page.evaluate(WIDER) + page.evaluate(SPILLING)
    return found + [f"{where} | {problem}" for problem in layout]


def open_settled(page, url: str) -> None:
    """Open ``url`` and wait until the page has stopped loading."""
    page.goto(url)
    # htmx fragments (the session timer, metrics) load after the page: check them too.
    page.wait_for_load_state("networkidle")



class PageWalk:
    """The pages a walk has checked and what it found wrong on them: axe's serious and
    critical violations (and the rules held whatever their impact, ``FAILING_RULES``) and
    ``page_problems``."""

    def __init__(self):
        self.visited: list[str] = []
        self.problems: list[str] = []

    def visit(self, page, url: str, where: str, *, stays: bool = True, **checks) -> None:
        """Open ``url`` (an absolute address), which the page may not leave unless
        ``stays`` is false, and check it (``checks`` as ``check``'s)."""
        open_settled(page, url)
        if stays:
            assert page.url == url, f"{where}: sent elsewhere ({page.url})"
        self.check(page, where, **checks)

    def check(self, page, where: str, **layout) -> None:
        """Check the page as it is now (``layout`` as ``page_problems``'s options)."""
        self.visited.append(where)
        self.problems += describe(where, serious(axe_run(page)))
        self.problems += page_problems(page, where, **layout)

    def assert_clean(self) -> None:
        assert not self.problems, (
            f"{len(self.problems)} problem(s) (axe's serious or critical violations or its "
            f"rules held whatever their impact, failed "
            f"loads, layout, landmarks) on {len(self.visited)} pages:\n"
            + "\n".join(self.problems))
