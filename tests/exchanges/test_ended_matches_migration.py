"""Migration 0019 cancels what a block used to leave scheduled for an ended match."""

import datetime as dt
import importlib

import pytest
from django.apps import apps

from exchanges.models import Match, Reminder, Session, SlotProposal
from exchanges.services.sessions import session_move_propose
from exchanges.services.slots import slot_propose
from tests.exchanges.scheduling_fixtures import (
    NOW,
    another_slot,
    beat_materializes,
    scheduled_match,
)

pytestmark = pytest.mark.django_db

migration = importlib.import_module("exchanges.migrations.0020_ended_matches_sessions_cancel")


def test_the_future_of_ended_matches_is_cancelled_and_live_matches_keep_theirs():
    ended, sessions = scheduled_match()
    live, live_sessions = scheduled_match()
    beat_materializes(sessions[:1])
    session_move_propose(session=sessions[1], by=ended.participant_a,
                         new_start=sessions[1].starts_at + dt.timedelta(days=1), now=NOW)
    slot_propose(match=ended, by=ended.participant_a, **another_slot(ended), now=NOW)
    Match.objects.filter(pk=ended.pk).update(status=Match.Status.ENDED)

    migration.forwards(apps, None)

    gone = Session.objects.filter(match=ended)
    assert set(gone.values_list("status", "sequence")) == {("cancelled", 1)}
    assert not gone.filter(move_to__isnull=False).exists()
    assert not Reminder.objects.filter(session__match=ended, cancelled=False).exists()
    assert not SlotProposal.objects.filter(match=ended, status="proposed").exists()
    kept = Session.objects.filter(match=live)
    assert set(kept.values_list("status", "sequence")) == {("scheduled", 0)}
