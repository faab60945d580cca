"""The rows by twinning and by city are one table, not two: a twinning's participants (and
matched, completing people) are its two cities' together, so a city's hidden count is no
secret when its twinning and its other city are shown. The complementary rule works on
the relations that hold: the cities add up to the totals; a twinning is its cities'
people (a city in two twinnings counts in both, so the twinnings do not add up to the
totals of distinct people)."""

from types import SimpleNamespace

import pytest

from exchanges.selectors.metrics.definitions import KEYS, RATES
from exchanges.selectors.metrics.small_rows import figures_hidden


def _row(id_, **counts) -> dict:
    row = {key: None if key in RATES else 0 for key in KEYS}
    return {**row, "id": id_, "name": str(id_), **counts}


def _figures(cities: dict[int, dict], twinnings: dict[int, tuple[int, int]],
             key="participants", active=None) -> dict:
    """Figures as ``metrics()`` adds them up: a twinning's people are its cities' people
    (``active``: per twinning, people active in it)."""
    totals = _row(0, **{k: sum(c.get(k, 0) for c in cities.values())
                        for k in ("participants", "matched", "completion",
                                  "active_participants")})
    by_city = [_row(pk, **counts) for pk, counts in cities.items()]
    by_twinning = [
        _row(pk, **{k: sum(cities[c].get(k, 0) for c in {a, b})
                    for k in ("participants", "matched", "completion")},
             active_participants=(active or {}).get(pk, 0))
        for pk, (a, b) in twinnings.items()]
    zero = {"retained": 0, "attended": 0}
    return {"totals": totals, "by_city": by_city, "by_twinning": by_twinning,
            "twinnings": [SimpleNamespace(pk=pk, city_a_id=a, city_b_id=b)
                          for pk, (a, b) in twinnings.items()],
            "rate_counts": {"totals": zero, "by_city": [zero] * len(by_city),
                            "by_twinning": [zero] * len(by_twinning)}}


def _given_away(figures: dict, hidden: dict, key: str) -> list[str]:
    """Hidden counts of 1 to 4 that a reader works out as a shown twinning less its other
    shown city, or the shown totals less the other shown cities (a count hidden beside
    them may be worked out: it is no small count)."""
    city = {row["id"]: (row[key], key in flags)
            for row, flags in zip(figures["by_city"], hidden["by_city"], strict=True)}
    found = []
    for t, row, flags in zip(figures["twinnings"], figures["by_twinning"],
                             hidden["by_twinning"], strict=True):
        cities = {t.city_a_id, t.city_b_id}
        secret = [c for c in cities if city[c][1]]
        if key not in flags and len(secret) == 1 and 1 <= city[secret[0]][0] <= 4:
            found.append(f"city {secret[0]} = twinning {t.pk} less its other city")
    if key not in hidden["totals"] and sum(h for _, h in city.values()) == 1:
        found.append("a city = the totals less the others")
    return found


def test_a_hidden_city_is_not_its_twinning_less_the_other_city():
    # 3 in city 1; the next smallest city (10, of another twinning) is hidden beside it,
    # which leaves 3 = 53 (twinning 1) less 50 (city 2).
    figures = _figures({1: {"participants": 3}, 2: {"participants": 50},
                        3: {"participants": 10}, 4: {"participants": 40}},
                       {1: (1, 2), 2: (3, 4)})
    hidden = figures_hidden(figures)
    assert hidden["by_city"][0]["participants"] == "small"
    assert _given_away(figures, hidden, "participants") == []


def test_a_city_in_two_twinnings_links_them():
    # London (1) in two twinnings; Düsseldorf (2) has 3.
    figures = _figures({1: {"participants": 20}, 2: {"participants": 3},
                        3: {"participants": 10}, 4: {"participants": 30}},
                       {1: (1, 2), 2: (1, 3), 3: (4, 3)})
    hidden = figures_hidden(figures)
    assert hidden["by_city"][1]["participants"] == "small"
    assert _given_away(figures, hidden, "participants") == []


def test_a_small_matched_count_is_not_its_twinning_less_the_other_city():
    people = {"participants": 40, "active_participants": 20}
    figures = _figures({1: {**people, "matched": 3}, 2: {**people, "matched": 30},
                        3: {**people, "matched": 10}, 4: {**people, "matched": 20}},
                       {1: (1, 2), 2: (3, 4)}, active={1: 40, 2: 40})
    hidden = figures_hidden(figures)
    assert hidden["by_city"][0]["matched"] == "small"
    assert _given_away(figures, hidden, "matched") == []
    assert "participants" not in hidden["by_city"][0]  # the row itself stays


def test_rows_that_give_nothing_away_keep_their_figures():
    figures = _figures({1: {"participants": 30}, 2: {"participants": 50},
                        3: {"participants": 10}, 4: {"participants": 40}},
                       {1: (1, 2), 2: (3, 4)})
    hidden = figures_hidden(figures)
    assert hidden["by_city"] == [{}] * 4 and hidden["by_twinning"] == [{}] * 2


@pytest.mark.django_db
def test_the_export_gives_no_hidden_city_away_through_its_twinning(client):
    """The real thing: people joining four cities of two twinnings, the summaries
    refreshed, the officer's metrics.json read."""
    import datetime as dt

    from django.urls import reverse

    from exchanges.services.metrics import metrics_refresh
    from tests.exchanges.lifecycle_fixtures import make_officer
    from tests.exchanges.metrics_fixtures import at
    from tests.factories import CityFactory, ParticipantFactory, ProgramFactory, TwinningFactory

    a, b, c, d = (CityFactory() for _ in range(4))
    t1, t2 = TwinningFactory(city_a=a, city_b=b), TwinningFactory(city_a=c, city_b=d)
    program = ProgramFactory(start_date=dt.date(2026, 3, 1), twinnings=[t1, t2])
    for city, n in ((a, 3), (b, 6), (c, 5), (d, 7)):
        for day in range(1, n + 1):
            ParticipantFactory(city=city, onboarded_at=at(3, day)).programs.add(program)
    metrics_refresh(full=True, now=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    client.force_login(make_officer(program))
    body = client.get(reverse("program_metrics_json", args=[program.slug]),
                      {"from": "2026-03-01", "to": "2026-05-31"}).json()
    city = {row["id"]: row["participants"] for row in body["by_city"]}
    twinning = {row["id"]: row["participants"] for row in body["by_twinning"]}
    assert city[a.pk] is None and body["participants"] == 21
    # Neither twinning 1 less city b, nor the totals less the other cities, gives a's 3.
    assert twinning[t1.pk] is None or city[b.pk] is None, (twinning, city)
    assert None in (city[b.pk], city[c.pk], city[d.pk]), city
