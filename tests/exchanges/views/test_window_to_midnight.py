"""A window can end at midnight: "22:00–00:00" (or 24:00 typed) is saved, shown again,
and reaches the matching engine as "24:00"; windows still may not run backwards or
overlap."""

import datetime as dt

import pytest
from django.urls import reverse

import matching
from exchanges.models import AvailabilityWindow, Participant
from exchanges.selectors.matching import matching_instance, participants_with_free_capacity
from exchanges.selectors.own_data import own_data
from tests.exchanges.views.test_accounts import onboarding_data
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def _windows(*rows) -> dict:
    data = {"win-TOTAL_FORMS": len(rows)}
    for i, (day, start, end) in enumerate(rows):
        data.update({f"win-{i}-weekday": day, f"win-{i}-start": start, f"win-{i}-end": end})
    return data


@pytest.mark.parametrize("end", ["00:00", "24:00"])
def test_a_window_to_midnight_is_saved_shown_and_sent_to_the_engine(
    client, newcomer, twinning, end
):
    data = onboarding_data(twinning.city_a, **_windows((5, "22:00", end), (6, "00:00", "00:00")))
    response = client.post(reverse("onboarding"), data)
    assert response.status_code == 302, response.content.decode()
    participant = Participant.objects.get(user=newcomer)
    saturday, sunday = participant.availability.order_by("weekday")
    assert (saturday.start, saturday.end, saturday.minutes) == (dt.time(22), dt.time(0), 120)
    assert sunday.minutes == 24 * 60 and str(sunday).endswith("00:00–24:00")

    page = client.get(reverse("profile")).content.decode()
    assert 'name="win-0-end" value="00:00"' in page
    assert "00:00 means midnight, at the end of the day." in page

    program = ProgramFactory(twinnings=[twinning])
    participant.programs.add(program)
    instance = matching_instance(
        program=program, free=participants_with_free_capacity(program=program))
    weekly = instance["participants"][0]["availability"]["weekly"]
    assert {"day": "sat", "start": "22:00", "end": "24:00"} in weekly
    assert {"day": "sun", "start": "00:00", "end": "24:00"} in weekly
    read = matching.instance_from_dict(instance).participants[0].availability.weekly
    assert {(w.day, w.start, w.end) for w in read} == {("sat", 1320, 1440), ("sun", 0, 1440)}

    exported = own_data(user=newcomer)["profile"]["weekly_times"]
    assert {"weekday": 5, "start": "22:00", "end": "24:00"} in exported


@pytest.mark.parametrize(("rows", "said"), [
    (((5, "22:00", "21:00"),), "must end after it starts"),
    (((5, "22:00", "24:30"),), "Enter a valid time"),
    (((5, "22:00", "00:00"), (5, "23:00", "23:30")), "overlap"),
])
def test_backwards_or_overlapping_windows_are_still_refused(
    client, newcomer, twinning, rows, said
):
    response = client.post(reverse("onboarding"), onboarding_data(twinning.city_a,
                                                                  **_windows(*rows)))
    assert response.status_code == 400
    assert said in response.content.decode()
    assert not AvailabilityWindow.objects.exists()
