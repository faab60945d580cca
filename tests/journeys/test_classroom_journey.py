"""Two teachers' classroom exchange in real Chromium, from the class form to a hidden
message.

Alice (Coventry) and Bernd (Dresden), approved teachers, each create a class; a pupil of
each joins with the class code; Alice asks Bernd's class to be partners and Bernd accepts;
Alice proposes the pupil pairs and both confirm; Amelia writes to her partner Jonas in
their pair's room and Bernd, reading as a moderator, hides the message: it disappears
from Jonas's screen at once and stays hidden after a reload.
"""

import datetime as dt
import re

import pytest

from tests.journeys.steps import assert_in_language, person, submit, wait_connected

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(420)]

PUPIL_PASSWORD = "owl-and-pussycat-42"


def _create_class(platform, page, lang, *, name, city, speaks, learns, hours):
    """The class form as a teacher fills it; returns (class id, join code)."""
    page.goto(f"{platform.url}/classes/new/")
    assert_in_language(page, lang, "Create a class", within="main")
    page.fill("#id_name", name)
    page.fill("#id_school", f"{city} School")
    city_value = page.eval_on_selector(
        "#id_city", "(s, city) => [...s.options].find(o => o.text.includes(city)).value", city)
    page.select_option("#id_city", city_value)
    page.fill("#id_age_min", "12")
    page.fill("#id_age_max", "13")
    page.fill("#id_size", "24")
    page.select_option("#id_lang-0-learning", "0")
    page.select_option("#id_lang-0-code", speaks)
    page.select_option("#id_lang-0-level", "native")
    if not page.locator("#id_lang-1-code").count():
        page.click("button[data-add-form=lang]")
    page.select_option("#id_lang-1-learning", "1")
    page.select_option("#id_lang-1-code", learns)
    page.select_option("#id_lang-1-level", "A2")
    for i, (weekday, start, end) in enumerate(hours):
        if not page.locator(f"#id_win-{i}-weekday").count():
            page.click("button[data-add-form=win]")
        page.select_option(f"#id_win-{i}-weekday", str(weekday))
        page.fill(f"#id_win-{i}-start", start)
        page.fill(f"#id_win-{i}-end", end)
    today = dt.date.today()
    page.fill("#id_term_start", today.isoformat())
    page.fill("#id_term_end", (today + dt.timedelta(days=110)).isoformat())
    page.check("#id_consent")
    submit(page, "main form.profile-form")
    page.wait_for_url(re.compile(r"/classes/\d+/$"))
    classroom_id = int(re.search(r"/classes/(\d+)/$", page.url).group(1))
    code = page.inner_text("#join-code .join-code strong").strip()
    assert re.fullmatch(r"[A-Z0-9]{8}", code), code
    return classroom_id, code


def _pupil_joins(platform, browser, lang, code, name):
    page = person(browser, lang).new_page()
    page.goto(f"{platform.url}/join/")
    assert_in_language(page, lang, "Join your class", within="#pupil-join")
    page.fill("#id_join-code", code)
    page.fill("#id_join-display_name", name)
    page.fill("#id_join-password", PUPIL_PASSWORD)
    submit(page, "#pupil-join form")
    page.wait_for_url(re.compile(r"/dashboard/$"))
    assert name in page.inner_text("main h1")
    assert_in_language(page, lang, "Partner classes")
    return page


@pytest.mark.parametrize("lang", ["en", "fr", "ja"])
def test_two_teachers_run_a_class_exchange_and_a_teacher_hides_a_message(
    lang, live_platform, browser, shot
):
    made = live_platform.call("two_teachers")
    alice = live_platform.login(person(browser, lang), made["teacher_a"])
    class_a, code_a = _create_class(
        live_platform, alice, lang, name="7B German", city="Coventry", speaks="en", learns="de",
        hours=[(1, "13:00", "15:15"), (3, "13:00", "15:15")])
    shot(alice, "alice-class-created")
    bernd = live_platform.login(person(browser, lang), made["teacher_b"])
    class_b, code_b = _create_class(
        live_platform, bernd, lang, name="Klasse 7c", city="Dresden", speaks="de", learns="en",
        hours=[(1, "15:00", "17:00"), (3, "15:00", "17:00")])
    assert code_a != code_b

    amelia = _pupil_joins(live_platform, browser, lang, code_a, "Amelia K.")
    jonas = _pupil_joins(live_platform, browser, lang, code_b, "Jonas M.")
    assert "7B German" in amelia.inner_text("#pupil-class")
    assert not amelia.locator("#pupil-exchanges a[href^='/rooms/']").count()
    shot(amelia, "amelia-joined")
    for teacher, classroom, pupil in ((alice, class_a, "Amelia K."), (bernd, class_b, "Jonas M.")):
        teacher.goto(f"{live_platform.url}/classes/{classroom}/")
        assert pupil in teacher.inner_text("#pupils")

    # Alice asks Bernd's class; Bernd accepts.
    alice.goto(f"{live_platform.url}/classes/{class_a}/partners/")
    suggestion = alice.locator(f"#suggestion-{class_b}")
    assert "Klasse 7c" in suggestion.inner_text()
    suggestion.locator("input[name=message]").fill("Hello from Coventry!")
    suggestion.locator("form button").click()
    alice.wait_for_load_state()
    shot(alice, "alice-asked")
    bernd.goto(f"{live_platform.url}/classes/")
    request = bernd.locator("#requests-received li[id^=request-]")
    assert "7B German" in request.inner_text()
    assert "Hello from Coventry!" in request.inner_text()
    assert_in_language(bernd, lang, "Requests from partner classes", "Exchanges")
    request.locator("form[action$='/accept/'] button:not([formaction])").click()
    bernd.wait_for_selector("#exchanges a[href$='/pairs/']")
    shot(bernd, "bernd-accepted")
    jonas.reload()
    assert "7B German" in jonas.inner_text("#pupil-exchanges")

    # Pairs: Alice proposes, both confirm; the pair gets its room.
    alice.goto(f"{live_platform.url}/classes/")
    alice.click("#exchanges a[href$='/pairs/']")
    assert_in_language(alice, lang, "Propose pairs", within="#no-pairing")
    alice.locator("#no-pairing form button").click()
    alice.wait_for_selector("#pairing[data-status=proposed]")
    groups = alice.inner_text("#groups")
    assert "Amelia K." in groups and "Jonas M." in groups
    alice.locator("form[action$='/pairs/confirm/'] button").click()
    alice.wait_for_selector("#pairing[data-status=proposed]")
    bernd.click("#exchanges a[href$='/pairs/']")
    bernd.locator("form[action$='/pairs/confirm/'] button").click()
    bernd.wait_for_selector("#pairing[data-status=confirmed]")
    shot(bernd, "pairs-confirmed")
    pair_room = bernd.get_attribute("#groups li a[href^='/rooms/']", "href")
    assert pair_room

    # Amelia writes in the pair's room; Jonas reads it live; Bernd hides it.
    for pupil in (amelia, jonas):
        pupil.goto(f"{live_platform.url}/dashboard/")
        assert pupil.locator(f"#rooms-card a[href='{pair_room}']").count() == 1
        pupil.goto(live_platform.url + pair_room)
        wait_connected(pupil)
        assert pupil.locator(".room-watched-banner").count() == 1  # teachers read here
    bernd.goto(live_platform.url + pair_room)
    wait_connected(bernd)
    assert bernd.locator("#room-composer").count() == 0  # moderators read only

    text = "Hallo Jonas, du bist doof"
    amelia.fill("#room-body", text)
    amelia.press("#room-body", "Enter")
    jonas.locator(".room-message", has_text=text).wait_for()
    message = bernd.locator(".room-message", has_text=text)
    message.wait_for()
    shot(jonas, "jonas-reads")
    bernd.once("dialog", lambda dialog: dialog.accept())
    message.locator("button[data-action=hide]").click()
    jonas.locator(".room-message.hidden-message").wait_for()
    amelia.locator(".room-message.hidden-message").wait_for()
    assert text not in jonas.inner_text("#room-messages")
    shot(jonas, "jonas-message-hidden")
    jonas.reload()
    wait_connected(jonas)
    assert jonas.locator(".room-message.hidden-message").count() == 1
    assert text not in jonas.content()
    assert_in_language(jonas, lang, "This message was hidden by a teacher.",
                       within=".room-message.hidden-message")
