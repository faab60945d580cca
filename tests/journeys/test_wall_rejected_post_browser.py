"""A post its teacher did not publish stays on the wall for its author and their teacher,
marked so: its name, class and date must stay readable (WCAG contrast), not faded below
it. The pages are rendered by Django and laid out by Chromium with the site's own style
sheets, then checked by axe."""

import pytest

from exchanges.services.wall import wall_post_create, wall_post_decide
from tests.exchanges.class_exchange_fixtures import active_exchange
from tests.exchanges.wall_fixtures import client_for
from tests.journeys.axe import axe_run, describe, serious
from tests.journeys.test_class_room_phone import _laid_out_offline

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture
def wall_pages(db):
    """The wall as the author and as their teacher see it, with a post not published."""
    exchange, pupils_a, _ = active_exchange(2, 2)
    author = pupils_a[0].user
    post = wall_post_create(exchange=exchange, author=author, text="My street")
    wall_post_decide(post=post, by=exchange.classroom_a.teacher, approve=False)
    pages = {}
    for who, user in (("pupil", author), ("teacher", exchange.classroom_a.teacher)):
        response = client_for(user).get(f"/exchanges/{exchange.pk}/wall/")
        assert response.status_code == 200 and "wall-rejected" in response.content.decode()
        pages[who] = _laid_out_offline(response.content.decode())
    return pages


def test_a_post_not_published_keeps_readable_contrast(wall_pages, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems = []
    for who, html in wall_pages.items():
        page.set_content(html)
        problems += describe(f"{who}'s wall", serious(axe_run(page)))
    page.close()
    assert not problems, "\n".join(problems)
