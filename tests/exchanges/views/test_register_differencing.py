"""The register against differencing: an officer sees their own program's figures per
twinning for any range (a calendar year, or from the start), so a register figure less
theirs is what the other programs on that twinning count. Where that would be 1 to 4,
the register withholds its figure, and no total gives it back."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from exchanges.selectors.metrics import Period, Scope, metrics
from exchanges.selectors.register import SUPPRESSION_NOTE, transparency_register
from exchanges.services.metrics import session_summaries_refresh
from exchanges.services.metrics_participants import participant_summaries_refresh
from tests.exchanges.lifecycle_fixtures import make_officer
from tests.exchanges.views.test_register import (
    LAST,
    YEAR,
    _figures_row,
    _pairs,
    _published,
    _recover_by_subtraction,
)
from tests.factories import ParticipantFactory, ProgramFactory, TwinningFactory

pytestmark = pytest.mark.django_db

HIDDEN = {"value": None, "suppressed": True}


def _refresh(sessions, *programs):
    session_summaries_refresh(session_ids=[s.pk for s in sessions])
    for program in programs:
        participant_summaries_refresh(program_id=program.pk)


def _lone(program, twinning, year: int):
    """Someone with a completed profile in ``year`` who never had a match."""
    person = ParticipantFactory(city=twinning.city_a,
                                onboarded_at=dt.datetime(year, 2, 1, 12, tzinfo=dt.UTC))
    person.programs.add(program)
    return person


def _officer_sees(program, twinning, year: int | None) -> dict:
    """The program's row for ``twinning`` in its officer's JSON export, for a calendar
    year or (None) from the start."""
    client = Client()
    client.force_login(make_officer(program))
    query = {"to": f"{YEAR}-12-31"} if year is None else {
        "from": f"{year}-01-01", "to": f"{year}-12-31"}
    data = client.get(reverse("program_metrics_json", args=[program.slug]), query).json()
    return next(row for row in data["by_twinning"] if row["id"] == twinning.pk)


def _row(data: dict, twinning) -> dict:
    return next(t for t in data["twinnings"] if t["id"] == twinning.pk)


@pytest.fixture
def shared():
    """T: last year 10 people of ``big`` and 3 of ``small`` (one pair and one person who
    never met), this year 6 and 6; U: last year 8 and 6, this year 8 of ``big`` alone."""
    t, u = TwinningFactory(), TwinningFactory()
    big, small = ProgramFactory(twinnings=[t, u]), ProgramFactory(twinnings=[t, u])
    sessions = (
        _pairs(big, t, LAST, 5, 1) + _pairs(small, t, LAST, 1, 1)
        + _pairs(big, t, YEAR, 3, 1) + _pairs(small, t, YEAR, 3, 1)
        + _pairs(big, u, LAST, 4, 1) + _pairs(small, u, LAST, 3, 1)
        + _pairs(big, u, YEAR, 4, 1)
    )
    _lone(small, t, LAST)
    _refresh(sessions, big, small)
    return t, u, big, small


def test_a_twinning_year_an_officer_could_subtract_their_program_from_is_withheld(
    client, shared
):
    t, u, big, _small = shared
    # What big's officer sees for T last year: 10 people, 5 sessions held, by 10 people.
    own = _officer_sees(big, t, LAST)
    assert (own["participants"], own["sessions_held"], own["active_participants"]) == (
        10, 5, 10)
    data = client.get(reverse("transparency_json")).json()
    cells = _row(data, t)["participation"][str(LAST)]
    # 13 less 10 would be small's 3 people; 6 sessions less 5, the one its pair held.
    for figure in ("participants", "sessions_held", "contact_hours"):
        assert cells[figure] == HIDDEN, figure
    register = transparency_register()
    row = next(r for r in register.rows if r.twinning.pk == t.pk)
    assert row.years[LAST]["participants"].reason == "complementary"
    assert row.years[LAST]["sessions_held"].reason == "complementary"
    # The totals give nothing away (each less either program's is 5 or more): published,
    # so the cells beside the withheld one are hidden too, and none can be worked out.
    assert _row(data, t)["participation_all_years"]["participants"]["value"] == 25
    assert data["totals"]["by_year"][str(LAST)]["participants"]["value"] == 27
    assert data["totals"]["all_years"]["participants"]["value"] == 47
    for figure in ("participants", "sessions_held", "contact_hours"):
        assert _recover_by_subtraction(*_published(data, figure)) == {}, figure
    # No twinning's total leaves either program's officer a complement of 1 to 4.
    checked = 0
    for program in shared[2:]:
        for twinning in (t, u):
            shown = _row(data, twinning)["participation_all_years"]["participants"]["value"]
            rest = shown - _officer_sees(program, twinning, None)["participants"]
            assert rest == 0 or rest >= 5, (program, twinning)
            checked += 1
    assert checked == 4


def test_the_page_withholds_it_too_and_says_why(client, shared):
    t, *_ = shared
    html = client.get(reverse("transparency")).content.decode()
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in _figures_row(html, t)]
    # Last year's people, sessions held and hours come first, then this year's, then
    # all years' (25 people, published).
    assert cells[:3] == ["—", "—", "—"]
    assert cells[6] == "25"
    assert "one program" in str(SUPPRESSION_NOTE)


def test_a_person_in_two_programs_counts_once_in_the_register_and_in_each_program(client):
    t = TwinningFactory()
    big, small = ProgramFactory(twinnings=[t]), ProgramFactory(twinnings=[t])
    sessions = _pairs(big, t, LAST, 5, 1) + _pairs(small, t, LAST, 2, 1)
    sessions[0].match.participant_a.programs.add(small)
    _refresh(sessions, big, small)
    # small counts 5 (its 4 and the one of big's; its officer's row is hidden for its 4
    # active people), big 10, the register 14: big's complement is the 4 people outside
    # big, though small counts 5.
    year = Period(dt.date(LAST, 1, 1), dt.date(LAST, 12, 31))
    [small_row] = metrics(scope=Scope(program_ids=(small.pk,)), period=year)["by_twinning"]
    assert small_row["participants"] == 5
    assert _officer_sees(big, t, LAST)["participants"] == 10
    register = transparency_register()
    cell = register.rows[0].years[LAST]["participants"]
    assert (cell.value, cell.reason) == (None, "complementary")
    assert register.rows[0].total["participants"].value is None


def test_a_twinning_with_one_program_publishes_its_figures(client):
    t = TwinningFactory()
    only = ProgramFactory(twinnings=[t])
    ProgramFactory(twinnings=[t])  # on the twinning, with nobody: it tells nothing
    _refresh(_pairs(only, t, LAST, 6, 1), only)
    data = client.get(reverse("transparency_json")).json()
    cells = _row(data, t)["participation"][str(LAST)]
    assert cells["participants"] == {"value": 12, "suppressed": False}
    assert cells["sessions_held"] == {"value": 6, "suppressed": False}
    assert _row(data, t)["participation_all_years"]["participants"]["value"] == 12
    assert data["totals"]["all_years"]["participants"]["value"] == 12


def test_complements_of_five_or_more_are_published(client):
    t = TwinningFactory()
    big, small = ProgramFactory(twinnings=[t]), ProgramFactory(twinnings=[t])
    _refresh(_pairs(big, t, LAST, 5, 1) + _pairs(small, t, LAST, 3, 1), big, small)
    data = client.get(reverse("transparency_json")).json()
    cells = _row(data, t)["participation"][str(LAST)]
    assert cells["participants"] == {"value": 16, "suppressed": False}
    assert cells["sessions_held"] == {"value": 8, "suppressed": False}
    assert cells["contact_hours"] == {"value": 8.0, "suppressed": False}
    assert data["totals"]["all_years"]["participants"] == {"value": 16, "suppressed": False}


def test_a_years_total_an_officer_could_subtract_their_programs_total_from_is_withheld(
    client
):
    # big alone on T, small alone on U: each twinning's cells are one program's, but the
    # year's total over both is not. Last year U's 2 are small and hidden, yet 12 in all
    # less big's own 10 (its officer's total for the year) would give them back.
    t, u = TwinningFactory(), TwinningFactory()
    big, small = ProgramFactory(twinnings=[t]), ProgramFactory(twinnings=[u])
    sessions = (_pairs(big, t, LAST, 5, 1) + _pairs(small, u, LAST, 1, 1)
                + _pairs(big, t, YEAR, 5, 1) + _pairs(small, u, YEAR, 5, 1))
    _refresh(sessions, big, small)
    client.force_login(make_officer(big))
    own = client.get(reverse("program_metrics_json", args=[big.slug]),
                     {"from": f"{LAST}-01-01", "to": f"{LAST}-12-31"}).json()
    assert (own["participants"], own["active_participants"]) == (10, 10)
    client.logout()
    data = client.get(reverse("transparency_json")).json()
    for figure in ("participants", "sessions_held", "contact_hours"):
        assert data["totals"]["by_year"][str(LAST)][figure] == HIDDEN, figure
        assert _recover_by_subtraction(*_published(data, figure)) == {}, figure
    # This year U's 10 are small's alone: 20 less either program's 10 is 10.
    assert data["totals"]["by_year"][str(YEAR)]["participants"]["value"] == 20


def test_a_figure_an_officer_of_several_programs_could_subtract_them_all_from_is_withheld(
    client
):
    # On T last year: 6 people of one, 7 of two, 3 of three. Less any one program's
    # figure, 16 leaves 9 or more; less one and two together, three's 3.
    t = TwinningFactory()
    one, two, three = (ProgramFactory(twinnings=[t]) for _ in range(3))
    sessions = (_pairs(one, t, LAST, 3, 1) + _pairs(two, t, LAST, 3, 1)
                + _pairs(three, t, LAST, 1, 1))
    _lone(two, t, LAST)
    _lone(three, t, LAST)
    _refresh(sessions, one, two, three)
    officer = make_officer(one)
    make_officer(two)
    cells = _row(client.get(reverse("transparency_json")).json(), t)["participation"]
    assert cells[str(LAST)]["participants"] == {"value": 16, "suppressed": False}
    assert cells[str(LAST)]["sessions_held"] == {"value": 7, "suppressed": False}

    two.officers.add(officer)
    seen = [_officer_sees(program, t, LAST) for program in (one, two)]
    assert [s["participants"] for s in seen] == [6, 7]
    data = client.get(reverse("transparency_json")).json()
    for figure in ("participants", "sessions_held", "contact_hours"):
        assert _row(data, t)["participation"][str(LAST)][figure] == HIDDEN, figure
        assert _recover_by_subtraction(*_published(data, figure)) == {}, figure
    shown = [value for value in (
        _row(data, t)["participation_all_years"]["participants"]["value"],
        data["totals"]["by_year"][str(LAST)]["participants"]["value"],
        data["totals"]["all_years"]["participants"]["value"],
    ) if value is not None]
    assert all(not 0 < value - 13 < 5 for value in shown), shown
