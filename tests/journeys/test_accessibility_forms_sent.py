"""Accessible, continued (issue 13): axe-core finds no serious or critical violation on the
pages test_accessibility_pages.py does not open: allauth's pages after a step (e-mail
sent, password reset asked, log out), every other full-page form sent back with its
errors (each with its error summary), and a page a successful form redirects to, with its
message focused. Same world, same checks."""

import pytest

from tests.journeys.live import PageWalk, browser_page, open_settled, run_script
from tests.journeys.test_accessibility_pages import WORLD, _url

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(600)]

PAGES = {
    "anonymous": [
        ("e-mail sent", "account_email_verification_sent", {}),
        ("password reset sent", "account_reset_password_done", {}),
    ],
    "participant": [
        ("log out", "account_logout", {}),
    ],
}

# (role, page, URL name, URL kwargs, submit button, where the browser lands, what it shows)
SENT = [
    ("participant", "teacher application, with errors", "teacher_apply", {},
     "main form button[type=submit]", ".error-summary"),
    ("participant", "change password, with errors", "account_change_password", {},
     "main form button[type=submit]", ".error-summary"),
    ("participant", "deleting the account, with errors", "account_delete", {},
     "main form button[type=submit]", ".error-summary"),
    ("pupil", "password, with errors", "pupil_password", {},
     "main form button[type=submit]", ".error-summary"),
    ("teacher", "wall, a post with errors", "wall", {"exchange_id": "exchange"},
     ".wall-compose form button[type=submit]", ".error-summary"),
    ("officer", "program form, with errors", "program_new", {},
     "main form button >> nth=-1", ".error-summary"),
    ("pupil", "interests saved", "pupil_interests", {},
     "main form button >> nth=-1", "#messages"),
]


def test_pages_after_a_step_and_forms_sent_back_have_no_serious_violation(live_platform,
                                                                        browser):
    base = live_platform.url
    made = run_script(live_platform.env, WORLD)
    roles = {role for role in PAGES} | {sent[0] for sent in SENT}
    pages = {role: browser_page(browser, base, made, role) for role in roles}
    walk = PageWalk()
    for role, listed in PAGES.items():
        for label, name, args in listed:
            url = _url(made, name, args)
            walk.visit(pages[role], base + url, f"{role}: {label} ({url})", stays=False)
    for role, label, name, args, button, shown in SENT:
        page = pages[role]
        open_settled(page, base + _url(made, name, args))
        page.evaluate("() => document.querySelectorAll('form').forEach(f => f.noValidate = true)")
        with page.expect_navigation():
            page.click(button)
        page.wait_for_load_state("networkidle")
        # The page shows what it was sent back with, and the focus is there.
        page.wait_for_function("s => document.activeElement.matches(s)", arg=shown,
                               timeout=5000)
        walk.check(page, f"{role}: {label} ({page.url.removeprefix(base)})")
    walk.assert_clean()
