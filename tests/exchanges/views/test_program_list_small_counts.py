"""The officer's list of programs counts each program's participants under the
small-count rule its page follows: 1 to 4 shows "<5"."""

import re

import pytest
from django.urls import reverse

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
    officer = make_officer(few)
    many.officers.add(officer)
    empty.officers.add(officer)
    client.force_login(officer)
    html = client.get(reverse("program_list")).content.decode()
    assert _participants_cell(html, few) == SMALL
    assert _participants_cell(html, many) == "6"
    assert _participants_cell(html, empty) == "0"
    assert 'id="programs-suppression"' in html
