import datetime as dt

from exchanges.pure.attended_history import AttendedHistory

T = dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def test_the_previous_start_under_the_same_key():
    history = AttendedHistory([("a", T + 2 * HOUR, 7), ("a", T, 3), ("b", T + HOUR, 5)])
    assert history.before("a", T, 3) is None
    assert history.before("a", T + 2 * HOUR, 7) == T
    assert history.before("b", T + HOUR, 5) is None
    assert history.before("missing", T, 1) is None


def test_sessions_at_one_instant_follow_their_ids():
    history = AttendedHistory([("a", T, 9), ("a", T, 4)])
    assert history.before("a", T, 4) is None
    assert history.before("a", T, 9) == T


def test_a_session_not_attended_takes_the_last_one_before_it():
    history = AttendedHistory([("a", T, 2), ("a", T + 2 * HOUR, 6)])
    assert history.before("a", T + HOUR, 4) == T
    assert history.before("a", T + 3 * HOUR, 1) == T + 2 * HOUR
