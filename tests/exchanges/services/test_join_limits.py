"""Wrong tries on /join/ counted per address and per code, in fixed windows."""

import time

import pytest
from django.core.cache import cache

from exchanges.services.join_limits import (
    MAX_FAILURES_PER_CODE,
    MAX_FAILURES_PER_IP,
    join_blocked,
    join_failure_record,
)


@pytest.fixture(autouse=True)
def _fresh():
    cache.clear()
    yield
    cache.clear()


def test_an_address_is_blocked_after_its_limit_and_others_are_not():
    for _ in range(MAX_FAILURES_PER_IP - 1):
        join_failure_record(ip="192.0.2.1")
    assert not join_blocked(ip="192.0.2.1", code=None)
    join_failure_record(ip="192.0.2.1")
    assert join_blocked(ip="192.0.2.1", code=None)
    assert not join_blocked(ip="192.0.2.2", code=None)


def test_a_code_is_blocked_after_failures_from_many_addresses():
    for n in range(MAX_FAILURES_PER_CODE):
        join_failure_record(ip=f"198.51.100.{n}", code="ABCDEFGH")
    assert join_blocked(ip="203.0.113.1", code="ABCDEFGH")
    assert not join_blocked(ip="203.0.113.1", code="HGFEDCBA")


def test_the_window_expires(monkeypatch):
    monkeypatch.setattr("exchanges.services.join_limits.WINDOW_SECONDS", 1)
    for _ in range(MAX_FAILURES_PER_IP):
        join_failure_record(ip="192.0.2.5")
    assert join_blocked(ip="192.0.2.5", code=None)
    time.sleep(1.5)
    assert not join_blocked(ip="192.0.2.5", code=None)
