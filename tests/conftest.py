import pytest


@pytest.fixture
def password():
    return "correct-horse-battery"
