"""The officer's program page in Chromium: a chart with nothing to draw is not shown as a
blank box (the table says there is nothing yet), and each chart's table, below it, shows
its whole caption (beside the chart, the cohort table's caption was cut at the scroll edge)."""

import pytest

from tests.journeys.live import run_script, signed_in_context

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(300)]

SETUP = """
import json
from django.conf import settings
from exchanges.services.metrics import metrics_refresh
from tests.exchanges.classroom_fixtures import officer
from tests.exchanges.metrics_fixtures import build_dataset
from tests.factories import ProgramFactory

data = build_dataset()
boss = officer()
data.program.officers.add(boss)
# A program that starts next week: nothing to count yet.
upcoming = ProgramFactory(name="Next week's program")
upcoming.officers.add(boss)
metrics_refresh(full=True)
print(json.dumps({"slug": data.program.slug, "upcoming": upcoming.slug,
                  "cookie": settings.SESSION_COOKIE_NAME, "officer": session(boss)}))
"""


CAPTIONS_CUT = """() => [...document.querySelectorAll('.chart-table caption')]
    .filter(c => {
        const box = c.closest('.chart-table').getBoundingClientRect();
        const r = c.getBoundingClientRect();
        return r.right > box.right + 1 || r.left < box.left - 1;
    }).map(c => c.textContent.trim())"""


def test_charts_show_what_there_is_and_hide_when_empty(live_platform, browser):
    base = live_platform.url
    made = run_script(live_platform.env, SETUP)
    context = signed_in_context(browser, base, made["cookie"], made["officer"],
                                viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # Spring 2026: sessions held, so the weekly chart is drawn. Each week's cohort counts
    # 1 to 4 people, so the small-count rule hides its retention: no bar, no blank box.
    page.goto(f"{base}/programs/{made['slug']}/?from=2026-03-01&to=2026-05-31")
    assert page.locator("#weekly-chart").is_visible()
    assert page.evaluate("!!window.Chart.getChart(document.querySelector('#weekly-chart'))")
    # A week whose sessions 1 to 4 people attended has no bar: its label and the chart's
    # caption say why, not a bare gap.
    labels = page.evaluate(
        "window.Chart.getChart(document.querySelector('#weekly-chart')).data.labels")
    assert "2026-03-16 (<5)" in labels
    assert "2026-03-16 (<5)" in page.inner_text("#weekly-hidden")
    assert not page.locator("#cohort-chart").is_visible()
    assert page.locator("#cohorts-suppression").is_visible()
    assert page.locator(".chart-table caption").count() == 2
    assert page.evaluate(CAPTIONS_CUT) == []

    # A program not started yet: nothing to draw, so no blank boxes; the tables say so.
    page.goto(f"{base}/programs/{made['upcoming']}/")
    assert "Nobody joined in this range." in page.inner_text("#cohort-title + .chart-with-table")
    assert "No session yet." in page.inner_text("#weekly-title + .chart-with-table")
    assert not page.locator("#weekly-chart").is_visible()
    assert not page.locator("#cohort-chart").is_visible()
    context.close()
