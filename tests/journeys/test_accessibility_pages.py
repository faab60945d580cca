"""Accessible (issue 13): axe-core finds no serious or critical violation on any main page
of any role, in real Chromium against a real server. The same walk checks that each page
loads whole (no request answered with an error, nothing on the console at error level),
has one <h1>, a <title> with words and its language on <html>,
that its cards and grids of cards stand apart and hold what is in them, that no table row
is stretched far beyond what it holds, and that the page is no wider than the window.

The world is the authorization matrix's (``tests/authorization_world.py``: a tandem match
with its room and sessions, two teachers' classes in a live exchange with pairs, class
sessions, a class room and a wall, two officers' programs), built by a script in the
server's own database; each role's browser carries a session made there.
"""

import pytest
from django.urls import reverse

from tests.journeys.axe import AXE_VERSION, axe_run, axe_version, serious
from tests.journeys.live import (
    LANDMARKS,
    MARKED,
    PageWalk,
    browser_page,
    open_settled,
    run_script,
)

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(600)]

WORLD = """
import json
from django.conf import settings
from tests.authorization_world import build_walk_world
from tests.factories import UserFactory

world = build_walk_world()
# A newcomer, signed in with no profile yet: the welcome is theirs (an onboarded
# participant's /onboarding/ is their profile).
newcomer = UserFactory()
print(json.dumps({
    "cookie": settings.SESSION_COOKIE_NAME,
    "sessions": {role: session(user) for role, user in world.users.items() if user}
    | {"newcomer": session(newcomer)},
    "ids": world.ids,
}, default=str))
"""

# role -> (page, URL name, URL kwarg -> world key); every page a role comes to, as the
# navigation and the dashboards link them.
PAGES = {
    "anonymous": [
        ("home", "home", {}),
        ("transparency register", "transparency", {}),
        ("log in", "account_login", {}),
        ("sign up", "account_signup", {}),
        ("password reset", "account_reset_password", {}),
        ("pupils' join", "join", {}),
    ],
    "newcomer": [
        ("welcome", "onboarding", {}),
    ],
    "participant": [
        ("home", "home", {}),
        ("dashboard", "dashboard", {}),
        ("profile", "profile", {}),
        ("schedule", "match_schedule", {"match_id": "match"}),
        ("room", "room_detail", {"room_id": "room"}),
        ("notifications", "notifications", {}),
        ("teacher application", "teacher_apply", {}),
        ("change password", "account_change_password", {}),
        ("e-mail addresses", "account_email", {}),
        ("deleting the account", "account_delete", {}),
    ],
    "pupil": [
        ("pupil's dashboard", "dashboard", {}),
        ("class room", "room_detail", {"room_id": "class_room"}),
        ("wall", "wall", {"exchange_id": "exchange"}),
        ("interests", "pupil_interests", {}),
        ("password", "pupil_password", {}),
        ("notifications", "notifications", {}),
    ],
    "teacher": [
        ("dashboard", "dashboard", {}),
        ("classes", "classes", {}),
        ("new class", "classroom_create", {}),
        ("class", "classroom_detail", {"classroom_id": "classroom"}),
        ("class form", "classroom_edit", {"classroom_id": "classroom"}),
        ("partner finder", "partner_finder", {"classroom_id": "spare_classroom"}),
        ("pupil's interests", "pupil_interests_by_teacher",
         {"classroom_id": "classroom", "pupil_id": "pupil"}),
        ("removing a pupil", "pupil_remove", {"classroom_id": "classroom", "pupil_id": "pupil"}),
        ("deleting a class", "classroom_delete", {"classroom_id": "spare_classroom"}),
        ("pairing", "pupil_pairing", {"exchange_id": "exchange"}),
        ("class sessions", "class_sessions", {"exchange_id": "exchange"}),
        ("class room (moderator)", "room_detail", {"room_id": "class_room"}),
        ("wall", "wall", {"exchange_id": "exchange"}),
        ("calendar", "teacher_calendar", {}),
        ("notifications", "notifications", {}),
    ],
    "officer": [
        ("dashboard", "dashboard", {}),
        ("programs", "program_list", {}),
        ("program dashboard", "program_detail", {"slug": "slug"}),
        ("program form (new)", "program_new", {}),
        ("program form (edit)", "program_edit", {"slug": "slug"}),
        ("twinnings", "twinning_list", {}),
        ("twinning", "twinning_detail", {"twinning_id": "twinning"}),
        ("audit", "audit_log", {}),
        ("teacher applications", "teacher_applications", {}),
        ("notifications", "notifications", {}),
    ],
    "superuser": [
        ("dashboard", "dashboard", {}),
        ("programs", "program_list", {}),
        ("program dashboard", "program_detail", {"slug": "slug"}),
        ("twinnings", "twinning_list", {}),
        ("audit", "audit_log", {}),
        ("admin", "admin:index", {}),
        ("admin: twinnings", "admin:exchanges_twinning_changelist", {}),
        ("admin: a twinning", "admin:exchanges_twinning_change", {"object_id": "twinning"}),
    ],
}

# Pages checked again on a phone's width: those with tables, panels, long forms and the room.
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 720}  # Playwright's default
NARROW = {
    "anonymous": ["home", "transparency register"],
    "newcomer": ["welcome"],
    "participant": ["dashboard", "profile", "schedule", "room"],
    "pupil": ["class room", "wall"],
    "teacher": ["new class", "class", "class form", "pairing", "class sessions",
                "partner finder"],
    "officer": ["programs", "program dashboard", "twinnings", "twinning", "audit"],
    "superuser": ["admin: a twinning"],
}

# Pages as a form sends them back: (role, page, URL name, URL kwargs, the form's submit
# button). Forms are sent empty (the browser's own checks off), to show their errors;
# the teacher's login cards are what the class page's button answers.
SENT = [
    ("anonymous", "sign up, with errors", "account_signup", {}, "main form button[type=submit]"),
    ("anonymous", "log in, with errors", "account_login", {}, "main form button[type=submit]"),
    ("anonymous", "pupils' join, with errors", "join", {}, "main form button[type=submit]"),
    ("participant", "profile, sent empty", "profile", {}, "main form button[type=submit]"),
    ("teacher", "new class, with errors", "classroom_create", {},
     "main form button[type=submit] >> nth=-1"),
    ("teacher", "login cards", "classroom_detail", {"classroom_id": "classroom"},
     "form[action$='/pupils/cards/'] button"),
]


def test_axe_is_the_vendored_version():
    assert axe_version() == AXE_VERSION


def test_the_check_fails_on_an_inaccessible_page(browser):
    """The checker can fail: a page with a nameless button and a low-contrast paragraph."""
    page = browser.new_page()
    page.set_content('<html><body><main><button></button>'
                     '<p style="color:#ccc;background:#fff">faint</p></main></body></html>')
    found = {v["id"] for v in serious(axe_run(page))}
    assert {"button-name", "color-contrast", "html-has-lang"} <= found
    page.close()


def test_the_marker_check_fails_on_a_numbered_plain_list(browser):
    page = browser.new_page()
    page.set_content('<html lang="en"><body><main><ol class="plain"><li>A post</li></ol>'
                     '<ul class="plain" style="list-style:none"><li>fine</li></ul>'
                     '</main></body></html>')
    assert page.evaluate(MARKED) == ["a plain list's item shows a marker: A post"]
    page.close()


def test_the_landmark_check_fails_on_a_page_without_them(browser):
    page = browser.new_page()
    page.set_content("<html><head><title> </title></head><body><h1>A</h1><h1>B</h1>"
                     "</body></html>")
    assert page.evaluate(LANDMARKS) == ["2 <h1> elements", "an empty <title>",
                                         "no lang on <html>"]
    page.close()


def _skip_link_problems(page, where: str) -> list[str]:
    """The first Tab lands on a visible link to the content, which takes the focus there."""
    page.keyboard.press("Tab")
    first = page.locator("a.skip-link[href='#main']")
    focused = first.count() == 1 and first.evaluate("(link) => link === document.activeElement")
    if not (focused and first.is_visible()):
        return [f"{where} | skip link | the first Tab does not show the skip link"]
    page.keyboard.press("Enter")
    if not page.evaluate("() => document.activeElement.id === 'main'"):
        return [f"{where} | skip link | the focus does not move to the content"]
    return []


def _accept(dialog) -> None:
    dialog.accept()


def _url(made: dict, name: str, args: dict) -> str:
    return reverse(name, kwargs={k: made["ids"][v] for k, v in args.items()})


def test_every_main_page_of_every_role_has_no_serious_violation(live_platform, browser):
    base = live_platform.url
    made = run_script(live_platform.env, WORLD)
    walk = PageWalk()
    pages = {role: browser_page(browser, base, made, role) for role in PAGES}
    for role, listed in PAGES.items():
        for label, name, args in listed:
            url = _url(made, name, args)
            walk.visit(pages[role], base + url, f"{role}: {label} ({url})")
            if not name.startswith("admin:"):  # the admin has a skip link of its own
                walk.problems += _skip_link_problems(pages[role], f"{role}: {label} ({url})")
    # On a phone's width, where wide tables and panels scroll inside themselves.
    for role, labels in NARROW.items():
        pages[role].set_viewport_size(PHONE)
        for label, name, args in PAGES[role]:
            if label in labels:
                url = _url(made, name, args)
                # Django's admin scrolls the page past its inline tables by our choice
                # (static/css/admin.css): only ours are held to the window's width.
                walk.visit(pages[role], base + url,
                           f"{role}: {label}, {PHONE['width']} px wide ({url})",
                           stays=False, wide_ok=name.startswith("admin:"))
        pages[role].set_viewport_size(DESKTOP)
    # Last, as they change things (the cards reset the pupils' passwords).
    for role, label, name, args, button in SENT:
        page = pages[role]
        open_settled(page, base + _url(made, name, args))
        page.evaluate("() => document.querySelectorAll('form').forEach(f => f.noValidate = true)")
        # A form that asks first (data-confirm: the class's cards reset every password)
        # is answered yes.
        page.on("dialog", _accept)
        with page.expect_navigation():
            page.click(button)
        page.remove_listener("dialog", _accept)
        page.wait_for_load_state("networkidle")
        walk.check(page, f"{role}: {label} ({page.url.removeprefix(base)})")
    walk.assert_clean()


def test_the_narrow_pass_names_listed_pages():
    for role, labels in NARROW.items():
        listed = {label for label, _name, _args in PAGES[role]}
        assert set(labels) <= listed, f"{role}: {set(labels) - listed} are not in PAGES"
