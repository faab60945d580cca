"""The officer's list of programs counts each program's participants under the
small-count rule its page follows: 1 to 4 shows "<5"."""

import re

import pytest
from django.urls import reverse

from exchanges.services.accounts import account_delete
from exchanges.services.metrics import metrics_refresh
from tests.exchanges.lifecycle_fixtures import make_officer
from tests.factories import ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.django_db

SMALL = '<abbr title="a count from 1 to 4">&lt;5</abbr>'


def _participants_cell(html: str, program) -> str:
    row = re.search(rf'<tr><td><a href="{reverse("program_detail", args=[program.slug])}">'
                    r"(.*?)</tr>", html, re.S)
    assert row, program.slug
    return re.findall(r"<td>(.*?)</td>", row.group(1), re.S)[4]


def test_a_program_of_one_to_four_participants_shows_no_count(client):
    few, many, empty = ProgramFactory(), ProgramFactory(), ProgramFactory()
    for program, n in ((few, 3), (many, 6)):
        for _ in range(n):
            ParticipantFactory().programs.add(program)
    metrics_refresh(full=True)
    officer = make_officer(few)
    many.officers.add(officer)
    empty.officers.add(officer)
    client.force_login(officer)
    html = client.get(reverse("program_list")).content.decode()
    assert _participants_cell(html, few) == SMALL
    assert _participants_cell(html, many) == "6"
    assert _participants_cell(html, empty) == "0"
    assert 'id="programs-suppression"' in html


def test_the_list_counts_a_programs_participants_as_its_page_does_after_accounts_close(
    client, password,
):
    # The page's past figures keep counting the people who closed their account since
    # (services/metrics_kept.py): the list says the same number, not one fewer each.
    program = ProgramFactory()
    people = [ParticipantFactory() for _ in range(6)]
    for person in people:
        person.programs.add(program)
    metrics_refresh(full=True)
    account_delete(user=people[0].user, password=password)
    client.force_login(make_officer(program))
    page = client.get(reverse("program_metrics_json", args=[program.slug])).json()
    assert page["participants"] == 6
    html = client.get(reverse("program_list")).content.decode()
    assert _participants_cell(html, program) == "6"
