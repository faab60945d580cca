"""Accessible (issue 13): the chat room with the keyboard alone, and its live region.

Nora and Bruno, an active tandem, each in real Chromium against a real server and a real
WebSocket. Nora loads older history, skips past it to the composer (the skip link) and
sends (Enter, and the Send button); Bruno reaches her message with Shift+Tab, corrects it
(the form takes the focus, Escape cancels, Enter sends) and reports it, pressing only
keys: no click. The message list is an ARIA log that announces what arrives, kept silent
while older history is loaded above it.
"""

import time

import pytest

from tests.journeys.axe import axe_run, describe, serious
from tests.journeys.live import run_script, signed_in_context

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.timeout(300)]

OLDER = 55  # more than a page of history (50): "Load older messages" is there
WRONG = "Ich habe gestern ins Kino gegangen"
RIGHT = "Ich bin gestern ins Kino gegangen"
REASON = "testing the report form"

SETUP = f"""
import json
from django.conf import settings
from exchanges.models import Message
from tests.exchanges.scheduling_fixtures import active_match

match = active_match()
nora, bruno = match.participant_a.user, match.participant_b.user
for i in range({OLDER}):
    Message.objects.create(room=match.room, author=(nora, bruno)[i % 2], body=f"old {{i}}",
                           client_id=f"old-{{i}}")
print(json.dumps({{"room": match.room.pk, "cookie": settings.SESSION_COOKIE_NAME,
                  "nora": session(nora), "bruno": session(bruno)}}))
"""

REPORTED = """
import json
from exchanges.models import Report
print(json.dumps([[r.message.body, r.reporter.display_name, r.reason]
                  for r in Report.objects.select_related("message", "reporter")]))
"""

# Records, for each change of the message list, whether the log would announce it then.
WATCH_LOG = """() => {
  window.logChanges = [];
  const log = document.getElementById("room-log");
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.classList && node.classList.contains("room-message")) {
          window.logChanges.push([node.querySelector(".message-body").textContent,
                                  log.getAttribute("aria-live")]);
        }
      }
    }
  }).observe(document.getElementById("room-messages"), {childList: true});
}"""


def _room(browser, base, made, who):
    # bypass_csp lets the test inject axe-core (an inline script) into the room page.
    context = signed_in_context(browser, base, made["cookie"], made[who], bypass_csp=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{base}/rooms/{made['room']}/")
    page.wait_for_selector("#room-connection[data-state=connected]")
    page.evaluate(WATCH_LOG)
    return page


def _focused(page, selector: str) -> bool:
    return page.locator(selector).evaluate_all("(els) => els.includes(document.activeElement)")


def _press_until(page, key: str, selector: str, limit: int = 80) -> None:
    """Presses ``key`` (Tab or Shift+Tab) until the focus is on ``selector``."""
    for _ in range(limit):
        if _focused(page, selector):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{key} never reached {selector}")


def _focus_visible(page) -> bool:
    return page.evaluate("""() => {
      const el = document.activeElement, style = getComputedStyle(el);
      return el.matches(':focus-visible') && style.outlineStyle !== 'none'
        && parseFloat(style.outlineWidth) >= 2;
    }""")


def _wait_for(what, check, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} never happened")
        time.sleep(0.3)


def test_send_correct_and_report_with_the_keyboard_alone(live_platform, browser):
    base = live_platform.url
    made = run_script(live_platform.env, SETUP)
    nora = _room(browser, base, made, "nora")
    bruno = _room(browser, base, made, "bruno")

    log = nora.locator("#room-log")
    assert log.get_attribute("role") == "log"
    assert log.get_attribute("aria-live") == "polite"
    assert log.get_attribute("aria-relevant") == "additions"
    assert log.get_attribute("aria-label")
    assert nora.locator("#room-log #room-messages .room-message").count() == 50

    # Older history, by keyboard: loaded above the list with the log silent, and the
    # focus, whose button goes away, lands on the oldest message.
    _press_until(nora, "Tab", "#load-older")
    assert _focus_visible(nora)
    nora.keyboard.press("Enter")
    nora.wait_for_selector(".room-message:has-text('old 0')")
    assert nora.locator("#load-older").is_hidden()
    assert _focused(nora, "#room-messages > .room-message:first-child")
    assert nora.evaluate("window.logChanges").count(["old 0", "off"]) == 1
    assert all(live == "off" for _body, live in nora.evaluate("window.logChanges"))
    assert log.get_attribute("aria-live") == "polite"

    # Back past the history to the composer: the skip link, shown when focused.
    _press_until(nora, "Shift+Tab", "a.skip-link[href='#room-body']")
    assert nora.locator("a.skip-link[href='#room-body']").is_visible()
    nora.keyboard.press("Enter")
    assert _focused(nora, "#room-body")

    # Text that draws nothing (a zero-width space) is not sent, as blank text is not.
    before = nora.locator(".room-message").count()
    nora.keyboard.insert_text("\u200b")
    nora.keyboard.press("Enter")
    assert nora.locator(".room-message").count() == before
    nora.fill("#room-body", "")

    # Nora sends with Enter, then with the Send button; the focus stays in the composer.
    nora.keyboard.type("Hallo Bruno")
    nora.keyboard.press("Enter")
    bruno.wait_for_selector(".room-message:has-text('Hallo Bruno')")
    assert _focused(nora, "#room-body")
    nora.keyboard.type(WRONG)
    nora.keyboard.press("Tab")
    assert _focused(nora, "#room-composer button[type=submit]")
    assert _focus_visible(nora)
    nora.keyboard.press("Enter")
    bruno.wait_for_selector(f".room-message:has-text('{WRONG}')")
    assert _focused(nora, "#room-body")
    assert nora.input_value("#room-body") == ""
    # What arrived live was announced (the log was polite when it went in).
    assert ["Hallo Bruno", "polite"] in bruno.evaluate("window.logChanges")
    assert [WRONG, "polite"] in bruno.evaluate("window.logChanges")

    # Bruno goes back from his composer to Nora's message and opens the correction form.
    message = f".room-message:has-text('{WRONG}')"
    _press_until(bruno, "Tab", "a.skip-link[href='#room-body']")
    bruno.keyboard.press("Enter")
    assert _focused(bruno, "#room-body")
    _press_until(bruno, "Shift+Tab", f"{message} button[data-action=correct]")
    assert _focus_visible(bruno)
    # The button is read with the message it corrects.
    described = bruno.get_attribute(f"{message} button[data-action=correct]", "aria-describedby")
    assert bruno.inner_text(f"#{described}") == WRONG
    bruno.keyboard.press("Enter")
    assert _focused(bruno, f"{message} form[data-form=correct] [name=corrected]")
    assert bruno.input_value(f"{message} form[data-form=correct] [name=corrected]") == WRONG
    bruno.keyboard.press("Escape")  # cancels: no form, the focus back on the button
    assert bruno.locator(f"{message} form[data-form=correct]").count() == 0
    assert _focused(bruno, f"{message} button[data-action=correct]")
    bruno.keyboard.press("Space")  # a button opens with Space too
    assert _focused(bruno, f"{message} form[data-form=correct] [name=corrected]")
    found = describe("room with the correction form", serious(axe_run(bruno)))
    assert not found, "\n".join(found)
    bruno.keyboard.press("Control+A")
    bruno.keyboard.type(RIGHT)
    bruno.keyboard.press("Enter")
    assert _focused(bruno, f"{message} button[data-action=correct]")
    nora.wait_for_selector(f"{message} .correction-text:has-text('{RIGHT}')")
    bruno.wait_for_selector(f"{message} .correction-text:has-text('{RIGHT}')")

    # Then he reports it: the next button, its form, a reason, Enter.
    bruno.keyboard.press("Tab")
    assert _focused(bruno, f"{message} button[data-action=report]")
    bruno.keyboard.press("Enter")
    assert _focused(bruno, f"{message} form[data-form=report] input")
    bruno.keyboard.type(REASON)
    bruno.keyboard.press("Enter")
    # The thanks is a status, not an error.
    bruno.wait_for_selector("#room-note[role=status]:has-text('reported to the moderators')")
    assert bruno.locator("#room-error").is_hidden()
    # The message offers no second report: "Reported" in its place holds the focus.
    assert bruno.locator(f"{message} button[data-action=report]").count() == 0
    assert _focused(bruno, f"{message} .message-reported:has-text('Reported')")
    reports = _wait_for("the report", lambda: run_script(live_platform.env, REPORTED))
    assert reports == [[WRONG, "Bruno", REASON]]

    # Nora's own messages, new and old, offer her nothing to correct or report.
    assert nora.locator(f"{message} button[data-action]").count() == 0
    assert nora.locator(".room-message:has-text('old 0') button[data-action]").count() == 0
    assert nora.locator(".room-message:has-text('old 53') button[data-action]").count() == 2


def test_a_report_without_a_reason_is_sent_and_thanked(live_platform, browser):
    # The reason is optional (the field is not required, the server stores ""), but the
    # page dropped a report sent without one: the form closed, nothing went, nothing said.
    base = live_platform.url
    made = run_script(live_platform.env, SETUP)
    bruno = _room(browser, base, made, "bruno")
    earlier = _room(browser, base, made, "bruno")  # a second tab, open before the report
    message = ".room-message:has-text('old 52')"  # Nora's
    # The second tab has its report form open when the first tab reports.
    earlier.focus(f"{message} button[data-action=report]")
    earlier.keyboard.press("Enter")
    assert _focused(earlier, f"{message} form[data-form=report] input")
    bruno.focus(f"{message} button[data-action=report]")
    bruno.keyboard.press("Enter")
    assert _focused(bruno, f"{message} form[data-form=report] input")
    bruno.keyboard.press("Enter")
    bruno.wait_for_selector("#room-note[role=status]:has-text('reported to the moderators')")
    assert _focused(bruno, f"{message} .message-reported:has-text('Reported')")
    reports = _wait_for("the report", lambda: run_script(live_platform.env, REPORTED))
    assert reports == [["old 52", "Bruno", ""]]
    # The other tab hears it: its form (whose report would be refused) goes, "Reported"
    # takes its place and the focus; only the tab that reported says thank you.
    earlier.wait_for_selector(f"{message} .message-reported:has-text('Reported')")
    assert earlier.locator(f"{message} form[data-form=report]").count() == 0
    assert earlier.locator(f"{message} button[data-action=report]").count() == 0
    assert _focused(earlier, f"{message} .message-reported")
    assert "reported to the moderators" not in earlier.locator("#room-note").inner_text()
    # A reload says it was reported, from the database, with no control to report again.
    bruno.reload()
    bruno.wait_for_selector("#room-connection[data-state=connected]")
    assert bruno.locator(f"{message} .message-reported:has-text('Reported')").count() == 1
    assert bruno.locator(f"{message} button[data-action=report]").count() == 0
    assert run_script(live_platform.env, REPORTED) == [["old 52", "Bruno", ""]]


def test_a_pasted_nul_character_is_left_out_not_refused_in_english(live_platform, browser):
    # The server refuses a text holding NUL (a malformed frame, in the protocol's English:
    # "body must not contain NUL characters"); a paste can carry one, invisible, and the
    # message then stayed unsent under that English sentence.
    base = live_platform.url
    # No old history here: the 55 messages of SETUP, written just now, count against
    # the sending limit.
    made = run_script(live_platform.env, SETUP.replace(f"range({OLDER})", "range(0)"))
    nora = _room(browser, base, made, "nora")
    bruno = _room(browser, base, made, "bruno")
    nora.focus("#room-body")
    nora.keyboard.insert_text("Guten\u0000 Morgen")
    nora.keyboard.press("Enter")
    bruno.wait_for_selector(".room-message:has-text('Guten Morgen')")
    message = ".room-message:has-text('Guten Morgen')"
    bruno.focus(f"{message} button[data-action=correct]")
    bruno.keyboard.press("Enter")
    bruno.keyboard.press("Control+A")
    bruno.keyboard.insert_text("Guten\u0000 Tag")
    bruno.keyboard.press("Enter")
    nora.wait_for_selector(f"{message} .correction-text:has-text('Guten Tag')")
    errors = [page.inner_text("#room-error") for page in (nora, bruno)
              if page.locator("#room-error").is_visible()]
    assert errors == []
