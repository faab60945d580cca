"""On a 360 px phone the profile's language and time-window rows stack their fields; a
line between rows shows where one ends, so a "remove" box reads as its own row's (they
ran together: row two's "I…" sat right under row one's "remove")."""

import pytest

from tests.journeys.steps import newcomer_profile_page

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(240)]


def test_stacked_rows_are_divided_on_a_phone(live_platform, browser):
    page = newcomer_profile_page(live_platform, browser, viewport={"width": 360, "height": 740})
    for formset in ("lang", "win"):
        page.click(f"button[data-add-form={formset}]")
        rows = page.locator(f"[data-formset={formset}] .formset-row")
        assert rows.count() == 2
        first, second = rows.nth(0).bounding_box(), rows.nth(1).bounding_box()
        assert second["y"] >= first["y"] + first["height"]  # stacked, not side by side
        line = rows.nth(1).evaluate(
            "row => [getComputedStyle(row).borderTopStyle, getComputedStyle(row).borderTopWidth]"
        )
        assert line[0] == "solid" and line[1] != "0px", line
