"""The admin's tabular inlines (templates/admin/edit_inline/tabular.html): every column's
heading has words a screen reader reads out (axe's "empty-table-header"), and a row has
a cell under each heading."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from exchanges.models import Twinning, TwinningStatusChange
from tests.factories import ParticipantFactory, TwinningFactory

pytestmark = pytest.mark.django_db


class _Inlines(HTMLParser):
    """Per inline group (by its id): the text of each heading of its table shown (a
    hidden field's is left out: it is not shown, nor read out), and how many cells each
    row of the table has, headings included."""

    def __init__(self):
        super().__init__()
        self.headings: dict[str, list[str]] = {}
        self.cells: dict[str, list[int]] = {}
        self._group: str | None = None
        self._heading: list[str] | None = None
        self._hidden = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "div" and "inline-group" in classes:
            self._group = attrs["id"]
            self.headings[self._group], self.cells[self._group] = [], []
        elif self._group and tag == "tr":
            self.cells[self._group].append(0)
        elif self._group and tag in ("th", "td") and self.cells[self._group]:
            self.cells[self._group][-1] += 1
            if tag == "th":
                self._heading, self._hidden = [], "hidden" in classes

    def handle_endtag(self, tag):
        if tag == "th" and self._heading is not None:
            if not self._hidden:
                self.headings[self._group].append(" ".join("".join(self._heading).split()))
            self._heading = None
        elif tag == "table":
            self._group = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading.append(data)


def _inlines(client, url: str) -> _Inlines:
    response = client.get(url)
    assert response.status_code == 200
    found = _Inlines()
    found.feed(response.content.decode())
    return found


def test_a_participants_languages_and_windows_name_every_column(client, root):
    participant = ParticipantFactory()
    found = _inlines(client, reverse("admin:exchanges_participant_change",
                                     args=[participant.pk]))
    assert found.headings == {
        # The first column holds each saved row's name (and its hidden keys).
        "languages-group": ["Participant's language", "Language", "Level", "Learning",
                            "Delete?"],
        "availability-group": ["Availability window", "Weekday", "Start", "End", "Delete?"],
    }
    for group, rows in found.cells.items():
        # A heading row, two languages or five windows, and the empty form to copy.
        assert len(rows) > 2 and len(set(rows)) == 1, (group, rows)


def test_a_twinnings_read_only_history_has_no_column_left_without_a_name(client, root):
    twinning = TwinningFactory(status=Twinning.Status.SUSPENDED)
    TwinningStatusChange.objects.create(
        twinning=twinning, from_status=Twinning.Status.ACTIVE,
        to_status=Twinning.Status.SUSPENDED, effective=dt.date(2022, 3, 1))
    found = _inlines(client, reverse("admin:exchanges_twinning_change", args=[twinning.pk]))
    [(group, headings)] = found.headings.items()
    # Nothing is deleted or added here: no column for it.
    assert headings[0] == "Twinning status change" and "Delete?" not in headings
    assert all(headings), headings
    assert len(found.cells[group]) == 2 and len(set(found.cells[group])) == 1


def test_rows_that_cannot_be_deleted_but_added_keep_a_named_column_to_remove_one(
        client, root, monkeypatch):
    """Django's inlines.js puts a "Remove" link in the last cell of each row added on the
    page: that column stays, named as the link is."""
    from exchanges.admin.people import LanguageInline

    monkeypatch.setattr(LanguageInline, "can_delete", False)
    participant = ParticipantFactory()
    found = _inlines(client, reverse("admin:exchanges_participant_change",
                                     args=[participant.pk]))
    assert found.headings["languages-group"] == [
        "Participant's language", "Language", "Level", "Learning", "Remove"]
    assert len(set(found.cells["languages-group"])) == 1
    assert found.headings["availability-group"][-1] == "Delete?"
