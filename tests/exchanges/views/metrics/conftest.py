"""The officer's pages on the hand-built program of tests/exchanges/metrics_fixtures.py,
signed in as an officer of it, and on a classroom program."""

import pytest

from exchanges.services.metrics import metrics_refresh
from tests.exchanges.class_exchange_fixtures import exchange_in_program
from tests.exchanges.metrics_fixtures import build_dataset
from tests.factories import officer_of


@pytest.fixture
def data():
    return build_dataset()


@pytest.fixture
def officer_client(client, data):
    client.force_login(officer_of(data.program))
    return client


@pytest.fixture
def classroom_program():
    """A classroom program with one active exchange of five pupils, its figures computed."""
    program, *_ = exchange_in_program(3, 2)
    metrics_refresh(full=True)
    return program
