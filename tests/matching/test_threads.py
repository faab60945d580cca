"""The engine's worker threads: parts cover the work exactly once, results keep order."""

import time

import pytest

from matching import threads


@pytest.mark.parametrize("workers", [1, 2, 3, 4])
@pytest.mark.parametrize("m", [0, 1, 2, 5, 1001])
def test_parts_cover_the_range_once_in_order(m, workers, monkeypatch):
    monkeypatch.setattr(threads, "WORKERS", workers)
    parts = threads.bounds(m)
    assert len(parts) == workers
    covered = [i for lo, hi in parts for i in range(lo, hi)]
    assert covered == list(range(m))
    sizes = [hi - lo for lo, hi in parts]
    assert max(sizes) - min(sizes) <= 1  # balanced


def test_results_come_back_in_the_order_of_the_items(monkeypatch):
    monkeypatch.setattr(threads, "WORKERS", 4)

    def square_late_first(i):
        time.sleep((20 - i) * 0.002)  # later items finish first
        return i * i

    assert threads.each(square_late_first, range(20)) == [i * i for i in range(20)]


def test_an_error_in_one_item_reaches_the_caller():
    def fail_on_three(i):
        if i == 3:
            raise ValueError("three")
        return i

    with pytest.raises(ValueError, match="three"):
        threads.each(fail_on_three, range(6))
