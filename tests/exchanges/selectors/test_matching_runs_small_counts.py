"""The small-count rule on matching runs (small_rows.runs_hidden): a run's counts of 1 to 4
people are hidden with what would give them back, in the run and across the runs and the
matches' statuses, which add up alike."""

from exchanges.pure.suppression import COMPLEMENTARY, SMALL, suppress_line
from exchanges.selectors.metrics.small_rows import RUN_PEOPLE, runs_hidden

OUTCOME = (*RUN_PEOPLE, "total_score")
NO_MATCHES = dict.fromkeys(("proposed", "active", "declined", "ended"), 0)


def run(pool=60, pairs=25, unmatched=10, candidates=300, dropped=0, already=0) -> dict:
    return {"participants_count": pool, "candidate_edges": candidates, "pairs_count": pairs,
            "matched_places": 2 * pairs, "unmatched_count": unmatched, "total_score": 20.5,
            "pairs_dropped": dropped, "pairs_already_live": already}


def test_a_run_of_many_people_shows_everything():
    assert runs_hidden([run(), run(pool=80, pairs=30, unmatched=20)], NO_MATCHES) == (
        [{}, {}], {})


def test_a_pool_of_one_to_four_hides_every_count_of_the_run():
    flags, _ = runs_hidden([run(pool=3, pairs=1, unmatched=1, candidates=2),
                            run(), run(pool=9, pairs=1, unmatched=7)], NO_MATCHES)
    assert set(flags[0]) == {"participants_count", *OUTCOME}
    assert flags[0]["participants_count"] == SMALL
    assert flags[0]["pairs_count"] == SMALL  # one pair is two people
    assert flags[0]["unmatched_count"] == SMALL
    assert flags[0]["total_score"] == COMPLEMENTARY
    assert flags[1] == {}


def test_a_few_unmatched_hide_what_the_run_did_but_not_its_pool():
    """40 in the pool, 3 left over: the pairs (and places) would give the 3 back as the
    pool less the matched, so they go too; the pool alone gives nothing away."""
    flags, _ = runs_hidden([run(pool=40, pairs=17, unmatched=3), run(pool=30, pairs=2,
                                                                     unmatched=26), run()],
                           NO_MATCHES)
    assert flags[0] == {**dict.fromkeys(OUTCOME, COMPLEMENTARY), "unmatched_count": SMALL}
    assert flags[1]["pairs_count"] == SMALL and flags[1]["matched_places"] == SMALL
    assert "participants_count" not in flags[0]
    assert flags[2] == {}


def test_few_people_matched_into_many_pairs_still_count_as_few():
    """Three people with two places each can make three pairs: six places, but three
    people matched (the pool less the unmatched)."""
    flags, _ = runs_hidden([run(pool=40, pairs=3, unmatched=37), run(pool=30, pairs=2,
                                                                     unmatched=26)],
                           NO_MATCHES)
    assert set(flags[0]) == set(OUTCOME)


def test_pairs_left_out_count_their_people_too():
    flags, _ = runs_hidden([run(dropped=1), run(already=2), run(pool=50, pairs=20, unmatched=10)],
                           NO_MATCHES)
    assert flags[0]["pairs_dropped"] == SMALL and flags[1]["pairs_already_live"] == SMALL
    assert flags[0]["pairs_count"] == COMPLEMENTARY


def test_the_only_hidden_run_gets_a_complement_from_the_matches_counts():
    """Every match is a run's pair in one status: with the statuses and every other run
    shown, one hidden run's pairs are the statuses' sum less the other runs' pairs."""
    runs = [run(pool=40, pairs=17, unmatched=3), run(pairs=25), run(pool=70, pairs=30)]
    statuses = {"proposed": 12, "active": 50, "declined": 7, "ended": 7}
    flags, counts = runs_hidden(runs, statuses)
    assert flags[0]["unmatched_count"] == SMALL
    # The next smallest count beside it goes: the declined (or ended) matches, 7 each
    # (at least 5 people: 4 people make at most 6 pairs).
    assert counts == {"declined": COMPLEMENTARY}
    assert flags[1] == {} and flags[2] == {}


def test_a_complement_run_hides_all_that_it_did():
    runs = [run(pool=40, pairs=17, unmatched=3), run(pairs=25)]
    flags, counts = runs_hidden(runs, dict(NO_MATCHES, active=42))
    assert counts == {}
    assert flags[1] == dict.fromkeys(OUTCOME, COMPLEMENTARY)


def test_up_to_six_matches_in_a_status_may_be_two_to_four_people():
    # A person takes up to 3 partners: 6 matches may be 4 people, 7 are at least 5.
    flags, counts = runs_hidden([run(pairs=25), run(pool=90, pairs=30)],
                                {"proposed": 2, "active": 50, "declined": 6, "ended": 9})
    assert counts == {"proposed": SMALL, "declined": SMALL}  # two hidden: neither follows
    flags, counts = runs_hidden([run(pairs=25), run(pool=90, pairs=30)],
                                {"proposed": 2, "active": 50, "declined": 0, "ended": 9})
    assert counts == {"proposed": SMALL, "ended": COMPLEMENTARY}  # else the runs' less the rest
    assert flags == [{}, {}]


def test_a_line_hides_the_next_smallest_beside_its_only_hidden_cell():
    assert suppress_line([10, 3, 8, 0]) == [None, SMALL, COMPLEMENTARY, None]
    assert suppress_line([10, 3, 2, 0]) == [None, SMALL, SMALL, None]
    assert suppress_line([10, 30, 0], also_hidden=[False, True, False]) == [
        COMPLEMENTARY, COMPLEMENTARY, None]
    assert suppress_line([0, 3]) == [COMPLEMENTARY, SMALL]
    assert suppress_line([3]) == [SMALL]


def test_a_runs_pairs_count_as_the_fewest_people_they_can_be_among():
    """Three proposals of a citizen with three partners are four people: 3 to 6 pairs
    hide as a small count of people, 7 do not."""
    for pairs in (3, 6):
        flags, _ = runs_hidden([run(pool=60, pairs=pairs, unmatched=60 - 2 * pairs)],
                               NO_MATCHES)
        assert flags[0]["pairs_count"] == SMALL, pairs
        assert flags[0]["matched_places"] == SMALL, pairs
    flags, _ = runs_hidden([run(pool=60, pairs=7, unmatched=46)], NO_MATCHES)
    assert flags == [{}]
    flags, _ = runs_hidden([run(candidates=6), run(dropped=5), run(already=4)], NO_MATCHES)
    assert [f.get(k) for f, k in zip(flags, ("candidate_edges", "pairs_dropped",
                                             "pairs_already_live"), strict=True)] == [SMALL] * 3
