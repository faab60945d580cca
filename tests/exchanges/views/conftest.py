"""Fixtures the profile and sign-up page tests share; a test module's own fixture of the
same name (a twinning of named cities, say) takes precedence."""

import pytest

from exchanges.models import Twinning
from tests.factories import TwinningFactory, UserFactory


@pytest.fixture
def newcomer(client):
    """A signed-in account with no participant profile yet."""
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def twinning():
    return TwinningFactory(status=Twinning.Status.ACTIVE)
