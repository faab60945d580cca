"""Every path by which a matching run's counts reach an officer (the program page, the
rows htmx polls, the audit log) hides the same counts of 1 to 4 people, and still shows
that the run happened and how it ended."""

import re

import pytest
from django.urls import reverse

from exchanges.models import MatchRun
from tests.exchanges.matching_fixtures import coventry_dresden, program_next_monday
from tests.factories import officer_of

pytestmark = pytest.mark.django_db

SMALL = '<abbr title="a count from 1 to 4">&lt;5</abbr>'
WORKED_OUT = '<abbr title="hidden so that a small count cannot be worked out">—</abbr>'


@pytest.fixture
def program():
    return program_next_monday([coventry_dresden()[2]])


@pytest.fixture
def officer_client(client, program):
    client.force_login(officer_of(program))
    return client


def _run(program, **counts) -> MatchRun:
    return MatchRun.objects.create(program=program, status="done", seconds=1.25, **counts)


@pytest.fixture
def runs(program):
    """Many matched; 3 of 40 left unmatched; 2 pairs (4 people) of 30; a failed run."""
    return {
        "many": _run(program, participants_count=60, candidate_edges=300, pairs_count=25,
                     matched_places=50, unmatched_count=10, total_score=20.5),
        "few_left": _run(program, participants_count=40, candidate_edges=120, pairs_count=17,
                         matched_places=34, unmatched_count=3, total_score=13.25,
                         parameters={"pairs_dropped": 2}),
        "few_matched": _run(program, participants_count=30, candidate_edges=20, pairs_count=2,
                            matched_places=4, unmatched_count=26, total_score=1.75),
        "failed": MatchRun.objects.create(program=program, status="failed", error="boom"),
    }


def _cells(html: str, run: MatchRun) -> list[str]:
    """The run's row as its cells' markup (the status cell's notes left out)."""
    row = re.search(rf'<tr data-run-status="\w+"><td>{run.pk}</td>(.*?)</tr>', html, re.S)
    assert row, run.pk
    cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    return [cells[0].split("<br>")[0].strip(), *cells[1:]]


def _paths(client, program) -> dict[str, str]:
    url = reverse("program_detail", args=[program.slug])
    return {"page": client.get(url).content.decode(),
            "poll": client.get(url, HTTP_HX_REQUEST="true").content.decode()}


def test_each_path_hides_a_runs_small_counts_and_keeps_the_rest(officer_client, program,
                                                                  runs):
    MatchRun.objects.create(program=program)  # queued: the page polls
    for path, html in _paths(officer_client, program).items():
        assert _cells(html, runs["many"])[1:7] == ["60", "300", "25", "50", "10", "20.50"], path
        few_left = _cells(html, runs["few_left"])
        # The run happened and ended; its pool of 40 says nothing about the 3.
        assert few_left[0] == "Done" and few_left[7] == "1.25", path
        assert few_left[1] == "40", path
        assert few_left[2:7] == [WORKED_OUT, WORKED_OUT, WORKED_OUT, SMALL, WORKED_OUT], path
        few_matched = _cells(html, runs["few_matched"])
        assert few_matched[1] == "30", path
        assert few_matched[3] == SMALL and few_matched[4] == SMALL, path
        assert "13.25" not in html and "1.75" not in html, path
        # A hidden run's left-out pairs are no side door to its counts.
        assert "not proposed" not in html, path
        assert _cells(html, runs["failed"])[0] == "Failed", path
        assert 'id="runs-suppression"' in html, path


def test_the_audit_log_hides_what_the_page_hides(officer_client, runs):
    html = officer_client.get(reverse("audit_log")).content.decode()
    assert "25 pairs proposed from 60 participants" in html
    assert "— pairs proposed from 40 participants (&lt;5: a count of 1 to 4 people" in html
    assert "&lt;5 pairs proposed from 30 participants" in html
    assert "17 pair" not in html and "2 pairs" not in html


def test_a_runs_left_out_pairs_show_when_nothing_of_it_is_hidden(officer_client, program,
                                                                runs):
    runs["many"].parameters = {"pairs_dropped": 7}  # at least 5 people
    runs["many"].save()
    for path, html in _paths(officer_client, program).items():
        assert "7 more not proposed: people left, paused or moved during the run" in html, path


def test_one_match_in_a_status_is_hidden_as_two_people(officer_client, program, runs):
    from tests.factories import MatchFactory

    twinning = program.twinnings.get()
    MatchFactory(program=program, twinning=twinning, run=runs["many"])
    MatchFactory.create_batch(7, program=program, twinning=twinning, run=runs["many"],
                              status="active")  # 7 matches: at least 5 people
    for path, html in _paths(officer_client, program).items():
        counts = re.search(r'<p id="runs-counts">(.*?)</p>', html, re.S).group(1)
        assert f"Proposed {SMALL}" in counts, path
        assert "active 7" in counts and "ended 0" in counts, path
