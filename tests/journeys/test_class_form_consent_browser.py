"""The class form's consent box sits at the start of its line under its label, as every
other box of the site's forms, not centred in the field's width where nothing ties it to
the sentence it confirms. The page is rendered by Django and laid out by Chromium with the
site's own style sheets, on a desktop and a phone."""

import pytest

from tests.exchanges.classroom_fixtures import teacher, twin_cities
from tests.exchanges.wall_fixtures import client_for
from tests.journeys.test_class_room_phone import _laid_out_offline

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture
def class_form_page(db):
    twin_cities()  # the form lists cities with an active twinning
    response = client_for(teacher()).get("/classes/new/")
    assert response.status_code == 200 and 'id="id_consent"' in response.content.decode()
    return _laid_out_offline(response.content.decode())


@pytest.mark.parametrize("width", [1280, 390])
def test_the_consent_box_starts_its_line_under_its_label(class_form_page, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.set_content(class_form_page)
    box = page.locator("#id_consent").bounding_box()
    label = page.locator("label[for=id_consent]").bounding_box()
    page.close()
    # Stretched to the field's width, Chromium draws the box in the middle of it.
    assert box["width"] <= 32 and abs(box["x"] - label["x"]) <= 4, (box, label)
