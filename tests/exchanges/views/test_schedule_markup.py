"""The schedule page's markup: no form inside a paragraph (invalid HTML: the browser
closes the paragraph), and each session row's buttons say which session they act on."""

import datetime as dt
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from exchanges.models import Session
from tests.exchanges.scheduling_fixtures import scheduled_match

pytestmark = pytest.mark.django_db


class _Page(HTMLParser):
    """Forms opened inside a <p>, and the text of every button and link of the rows."""

    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.forms_in_p = 0
        self.names: list[str] = []
        self._name: list[str] | None = None
        self._row = False

    def handle_starttag(self, tag, attrs):
        if tag == "form" and "p" in self.open:
            self.forms_in_p += 1
        if tag == "li" and (dict(attrs).get("id") or "").startswith("session-"):
            self._row = True
        if self._row and tag in ("button", "a", "label"):
            self._name = []
        if tag not in ("input", "br", "meta", "link"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open.pop() != tag:
                pass
        if self._name is not None and tag in ("button", "a", "label"):
            self.names.append(" ".join("".join(self._name).split()))
            self._name = None
        if tag == "li":
            self._row = False

    def handle_data(self, data):
        if self._name is not None:
            self._name.append(data)


def test_rows_buttons_are_told_apart_and_no_form_sits_in_a_paragraph(client):
    match, sessions = scheduled_match()
    for session in sessions[:2]:
        Session.objects.filter(pk=session.pk).update(
            move_to=session.starts_at + dt.timedelta(days=1),
            move_proposed_by=match.participant_b,
        )
    client.force_login(match.participant_a.user)
    page = _Page()
    page.feed(client.get(reverse("match_schedule", args=[match.pk])).content.decode())
    assert page.forms_in_p == 0
    counts = Counter(page.names)
    assert [name for name, count in counts.items() if count > 1] == []
    for word in ("Cancel this session", "Propose", "Confirm", "Decline"):
        assert sum(name.startswith(f"{word} (session on") for name in page.names) >= 2


@pytest.mark.parametrize("language", ["de", "ja"])
def test_a_session_is_called_off_in_the_sessions_words_not_a_forms_cancel(client, language):
    # "Cancel" alone leaves a form (キャンセル, Abbrechen); a session that will not take
    # place is called off (中止, absagen), as the confirmation and notices say.
    match, sessions = scheduled_match()
    user = match.participant_a.user
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    page = _Page()
    page.feed(client.get(reverse("match_schedule", args=[match.pk])).content.decode())
    with translation.override(language):
        called_off, leave_form = gettext("Cancel this session"), gettext("Cancel")
    assert called_off != leave_form
    cancels = [name for name in page.names if name.startswith(called_off)]
    assert len(cancels) == len([s for s in sessions if s.starts_at > timezone.now()])
    assert not [name for name in page.names if name.startswith(leave_form)]
