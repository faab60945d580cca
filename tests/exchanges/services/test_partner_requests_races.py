"""Two teachers of a pair of classes acting at once (PostgreSQL, two connections): a
request each way, or two crossing requests accepted, give the pair one pending request
and one exchange, as one after the other would."""

import pytest
from django.core.exceptions import ValidationError

from exchanges.models import ClassroomExchange, PartnerRequest
from exchanges.services import partner_requests
from exchanges.services.partner_requests import partner_request_accept, partner_request_create
from tests.exchanges.classroom_fixtures import partner_pair
from tests.exchanges.threads import Pause, race

pytestmark = pytest.mark.django_db(transaction=True)


def _pause_first_call(monkeypatch, name: str) -> Pause:
    """Patch ``partner_requests.<name>`` so that its first caller stops there, its
    transaction open; later callers go through."""
    pause, real, calls = Pause(), getattr(partner_requests, name), []

    def paused(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            pause.here()
        return real(*args, **kwargs)

    monkeypatch.setattr(partner_requests, name, paused)
    return pause


def test_two_teachers_asking_each_other_at_once_make_one_request(postgres, monkeypatch):
    a, b, _ = partner_pair()
    # The explanation is written once the checks have passed, just before the request.
    pause = _pause_first_call(monkeypatch, "suggest")
    outcomes = race(
        ("a_asks", lambda: partner_request_create(from_classroom=a, to_classroom=b,
                                                  by=a.teacher)),
        ("b_asks", lambda: partner_request_create(from_classroom=b, to_classroom=a,
                                                  by=b.teacher)),
        pause=pause,
    )
    assert isinstance(outcomes["a_asks"], PartnerRequest)
    assert isinstance(outcomes["b_asks"], ValidationError)
    assert "answer their request" in str(outcomes["b_asks"])
    assert list(PartnerRequest.objects.filter(status=PartnerRequest.Status.PENDING)
                .values_list("from_classroom", "to_classroom")) == [(a.pk, b.pk)]


def test_two_crossing_requests_accepted_at_once_start_one_exchange(postgres, monkeypatch):
    a, b, _ = partner_pair()
    # Crossing requests, as two teachers asking at once could leave them before.
    to_b = PartnerRequest.objects.create(from_classroom=a, to_classroom=b)
    to_a = PartnerRequest.objects.create(from_classroom=b, to_classroom=a)
    # The room opens once the exchange is created, before the accept commits.
    pause = _pause_first_call(monkeypatch, "room_open")
    outcomes = race(
        ("b_accepts", lambda: partner_request_accept(request=to_b, by=b.teacher)),
        ("a_accepts", lambda: partner_request_accept(request=to_a, by=a.teacher)),
        pause=pause,
    )
    assert isinstance(outcomes["b_accepts"], ClassroomExchange)
    assert isinstance(outcomes["a_accepts"], ValidationError)
    assert "partners already" in str(outcomes["a_accepts"])
    assert ClassroomExchange.objects.count() == 1
    to_a.refresh_from_db()
    assert to_a.status == PartnerRequest.Status.PENDING
