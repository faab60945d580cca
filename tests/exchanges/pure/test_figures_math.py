import datetime as dt
from collections import Counter

from exchanges.pure.figures_math import every_week, histogram_median, ratio


def test_ratio_is_none_when_there_is_nothing_to_divide_by():
    assert ratio(1, 3) == 0.3333 and ratio(0, 0) is None


def test_the_median_of_a_histogram_is_the_middle_value_or_the_mean_of_two():
    assert histogram_median(Counter({3: 1, 10: 1, 1: 1})) == 3
    assert histogram_median(Counter({2: 2, 8: 2})) == 5
    assert histogram_median(Counter()) is None


def test_every_week_runs_monday_to_monday_from_the_first_week_to_the_last():
    first, last = dt.date(2026, 12, 2), dt.date(2026, 12, 17)  # a Wednesday, a Thursday
    assert every_week([], first=first, last=last) == [
        dt.date(2026, 11, 30), dt.date(2026, 12, 7), dt.date(2026, 12, 14)
    ]
    assert every_week([dt.date(2026, 12, 7)], first=None, last=last) == [
        dt.date(2026, 12, 7), dt.date(2026, 12, 14)
    ]
    assert every_week([], first=None, last=last) == []
