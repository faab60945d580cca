"""The officer dashboard's rows by city and by twinning follow the register's small-count
rule: a class of one pupil does not show that pupil's attendance in its city's row."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.models import Program, Session
from exchanges.services.attendance import attendance_join, attendance_leave
from exchanges.services.class_attendance import class_sessions_settle_finished
from exchanges.services.metrics import metrics_refresh
from tests.exchanges.class_exchange_fixtures import active_exchange
from tests.exchanges.lifecycle_fixtures import make_officer
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def _row(html: str, name: str) -> str:
    found = re.search(rf'<tr><th scope="row">{re.escape(name)}</th>(.*?)</tr>', html)
    assert found, name
    return found.group(1)


def test_a_one_pupil_class_does_not_show_its_pupils_attendance_in_its_city_row(client):
    exchange, pupils_a, (only,) = active_exchange(8, 1)
    program = ProgramFactory(twinnings=[exchange.twinning], kind=Program.Kind.CLASSROOM)
    exchange.program = program
    exchange.save(update_fields=["program"])
    start = timezone.now() - dt.timedelta(days=3)
    Session.objects.create(exchange=exchange, starts_at=start, minutes=45)
    for person in (pupils_a[0], only):
        attendance_join(room=exchange.room, user_id=person.user_id, at=start)
        attendance_leave(room=exchange.room, user_id=person.user_id,
                         at=start + dt.timedelta(minutes=30))
    class_sessions_settle_finished(now=timezone.now())
    metrics_refresh(full=True)
    client.force_login(make_officer(program))
    html = client.get(reverse("program_detail", args=[program.slug])).content.decode()

    alone = _row(html, exchange.classroom_b.city.name)
    assert "100" not in alone  # the one pupil came: 100 % attendance, 1 active
    cells = re.findall(r"<td>(.*?)</td>", alone)
    assert cells and all("&lt;5" in cell or "—" in cell for cell in cells)
    assert "&lt;5" in cells[0]  # participants: a count from 1 to 4
    # Its complement too: the program's totals less the other city would give it away.
    assert all("—" in cell or "&lt;5" in cell
               for cell in re.findall(r"<td>(.*?)</td>",
                                      _row(html, exchange.classroom_a.city.name)))
    assert 'id="rows-suppression"' in html and "public register" in html
