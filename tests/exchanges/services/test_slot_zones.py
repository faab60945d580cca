"""slot_propose refuses an anchor zone zoneinfo cannot load, whoever calls it (issue 11)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from exchanges.models import SlotProposal
from exchanges.services.slots import slot_propose
from tests.exchanges.scheduling_fixtures import NOW, active_match

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("zone", ["Europe", "Europe/" * 60, "../../etc/passwd", "Mars/Base"])
def test_a_zone_zoneinfo_cannot_load_is_refused(zone):
    match = active_match()
    with pytest.raises(ValidationError, match="known time zone"):
        slot_propose(match=match, by=match.participant_b, weekday=0,
                     local_start=dt.time(18), anchor_tz=zone, now=NOW)
    assert not SlotProposal.objects.exists()
