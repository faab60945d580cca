"""Fixtures of the matching engine's tests."""

import os

import pytest

from matching import lemon_matching


@pytest.fixture
def lemon():
    """LEMON's matching through the native shim, which `make setup` builds where g++ is:
    skipped where it is not built, failed where JUMELAGE_REQUIRE_NATIVE=1 (CI)."""
    if not lemon_matching.available():
        if os.environ.get("JUMELAGE_REQUIRE_NATIVE") == "1":
            pytest.fail(f"{lemon_matching.LIBRARY} is required here (JUMELAGE_REQUIRE_NATIVE=1)")
        pytest.skip("the native matching is not built (make setup with g++)")
    return lemon_matching
