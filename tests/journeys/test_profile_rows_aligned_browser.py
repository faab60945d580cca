"""Wider than a phone a profile row's inputs stand on one line: the end time's help under
its input ("00:00 means midnight…") lifted that input above the row's day and start (the
row lined its fields up at their bottoms). From 700 px the "remove" box sits beside the
inputs; narrower it wraps under its own row, and a line divides the rows."""

import pytest

from tests.journeys.steps import newcomer_profile_page

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(240)]

ROWS = {
    "win": ["#id_win-0-weekday", "#id_win-0-start", "#id_win-0-end"],
    "lang": ["#id_lang-0-learning", "#id_lang-0-code", "#id_lang-0-level"],
}


@pytest.mark.parametrize("width", [1280, 640])
def test_a_rows_inputs_line_up_and_the_remove_box_stays_with_its_row(
        live_platform, browser, width):
    page = newcomer_profile_page(live_platform, browser,
                                 viewport={"width": width, "height": 900})
    for formset, inputs in ROWS.items():
        page.click(f"button[data-add-form={formset}]")
        boxes = [page.locator(selector).bounding_box() for selector in inputs]
        tops = [round(box["y"]) for box in boxes]
        assert max(tops) - min(tops) <= 1, (formset, tops)
        remove = page.locator(f"#id_{formset}-0-DELETE").bounding_box()
        middle = remove["y"] + remove["height"] / 2
        next_row = page.locator(inputs[0].replace("-0-", "-1-")).bounding_box()
        if width >= 700:  # one line: the box beside the inputs
            assert boxes[0]["y"] <= middle <= boxes[0]["y"] + boxes[0]["height"], (
                formset, remove, boxes[0])
        # Beside or wrapped, the box is above the next row's label, and on a wrapped row a
        # line divides the rows.
        assert middle < next_row["y"] - 20, (formset, remove, next_row)
        if width < 700:
            line = page.locator(f"[data-formset={formset}] .formset-row").nth(1).evaluate(
                "row => getComputedStyle(row).borderTopStyle")
            assert line == "solid"
