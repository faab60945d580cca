"""A row added on a page that came back with errors starts blank, in real Chromium: the
clone of the last row copied its choices (a language "listed twice" once saved)."""

import pytest

from tests.journeys.steps import newcomer_profile_page

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(240)]


def test_a_row_added_after_an_error_starts_blank(live_platform, browser):
    page = newcomer_profile_page(live_platform, browser)
    page.select_option("#id_lang-0-learning", "1")
    page.select_option("#id_lang-0-code", "de")
    page.select_option("#id_lang-0-level", "B1")
    page.select_option("#id_win-0-weekday", "3")
    page.fill("#id_win-0-start", "18:00")
    page.fill("#id_win-0-end", "20:00")
    with page.expect_navigation():
        page.click("main form button[type=submit].big")  # no city: the page comes back
    assert page.input_value("#id_lang-0-code") == "de"  # what was typed is kept

    page.click("button[data-add-form=lang]")
    page.click("button[data-add-form=win]")
    assert page.input_value("#id_lang-1-code") == ""
    assert page.input_value("#id_lang-1-learning") == "0"
    assert page.input_value("#id_win-1-weekday") == "0"
    assert page.input_value("#id_win-1-start") == ""
    # The row the page came back with is untouched.
    assert page.input_value("#id_lang-0-code") == "de"
    assert page.input_value("#id_win-0-weekday") == "3"
