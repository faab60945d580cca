"""Fixtures shared by the exchanges tests; pytest finds them by name. The builders they
use (``make_match_room``, ``scheduled_match``…) stay importable from the helper modules."""

import pytest
from allauth.account.models import EmailAddress
from asgiref.sync import sync_to_async
from channels import DEFAULT_CHANNEL_LAYER
from channels.layers import InMemoryChannelLayer, channel_layers, get_channel_layer
from django.core.cache import cache
from django.db import connections

from exchanges.services.sessions import session_change_email
from tests.exchanges.chat_fixtures import make_match_room
from tests.exchanges.classroom_fixtures import classroom, teacher, twin_cities
from tests.factories import UserFactory
from tests.processes import service_env


@pytest.fixture
async def fresh_channel_layer():
    """A new channel layer for each test: layers keep locks, queues and Redis pools
    bound to the event loop that first used them, and each test has its own loop."""
    channel_layers.backends.pop(DEFAULT_CHANNEL_LAYER, None)
    layer = get_channel_layer()
    yield layer
    if isinstance(layer, InMemoryChannelLayer):
        await layer.flush()
    elif hasattr(layer, "close_pools"):
        await layer.close_pools()
    channel_layers.backends.pop(DEFAULT_CHANNEL_LAYER, None)
    # Channels' test communicator never closes the database thread's connection.
    await sync_to_async(connections.close_all)()


@pytest.fixture
def match_room(transactional_db):
    """An active match with its open room; (room, user_a, user_b, match)."""
    return make_match_room()


@pytest.fixture
def tasks_run_locally(monkeypatch):
    """Make ``task.delay`` run the task in this process (Celery's ``apply``), so a test
    captures on-commit callbacks and sees what the enqueued task does, without a broker."""
    for task in (session_change_email,):
        monkeypatch.setattr(task, "delay", lambda *a, _t=task, **k: _t.apply(args=a, kwargs=k))


# The chat's process tests (real uvicorn servers: tests/exchanges/chat_servers.py).
@pytest.fixture
def server_env(redis_url, postgres) -> dict:
    return service_env(REDIS_URL=redis_url, JUMELAGE_DISABLE_RATE_LIMITS="1")


@pytest.fixture
def room_ab(db):
    """A match room and its two members; (room, user_a, user_b)."""
    room, user_a, user_b, _ = make_match_room()
    return room, user_a, user_b


@pytest.fixture
def members():
    """A match room whose two users can log in through the real login page (verified
    email addresses); (room, user_a, user_b)."""
    room, user_a, user_b, _ = make_match_room()
    for user in (user_a, user_b):
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return room, user_a, user_b


@pytest.fixture
def fresh_limits():
    """The join and login limits count in the cache: a test starts and ends with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def coventry_class(db):
    """An approved teacher's class in Coventry (twinned with Dresden), no pupils yet."""
    coventry, _, _ = twin_cities()
    return classroom(teacher_user=teacher(), city=coventry)


@pytest.fixture
def root(client, db):
    """A superuser signed in on ``client``: the admin's only users (config/admin_site.py)."""
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return user
