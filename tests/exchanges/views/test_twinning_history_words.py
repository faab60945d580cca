"""Who recorded each status change, and a data file's change in the reader's words: on
the twinning's page, in the audit log and in the public register."""


import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges.services.twinning_lifecycle import twinning_status_from_data, twinning_suspend
from tests.exchanges.lifecycle_fixtures import make_lifecycle_world
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_lifecycle_world()


@pytest.fixture
def root(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def _recorded_by(html: str) -> list[str]:
    """The last cell of each history row."""
    table = html.split('id="history-title"', 1)[1].split("</table>", 1)[0]
    rows = table.split("<tbody>", 1)[1].split("</tr>")[:-1]
    return [row.rsplit("<td>", 1)[1].split("</td>", 1)[0] for row in rows]


def test_a_deleted_officers_change_is_not_shown_as_the_data_files(client, world, root):
    twinning_suspend(twinning=world.twinning, by=world.officer, reason="Council vote",
                     effective=timezone.localdate())
    world.officer.delete()
    html = client.get(reverse("twinning_detail", args=[world.twinning.pk])).content.decode()
    assert _recorded_by(html) == ["deleted user"]


def test_a_data_files_change_is_the_data_files_on_the_page_and_in_the_audit_log(
    client, world, root
):
    twinning_status_from_data(
        twinning=world.twinning, to_status="suspended", effective=timezone.localdate(),
        precision="day", note="Council vote", side="both", source="",
    )
    html = client.get(reverse("twinning_detail", args=[world.twinning.pk])).content.decode()
    assert _recorded_by(html) == ["data file"]
    audit = client.get(reverse("audit_log")).content.decode()
    assert "data file" in audit and "deleted user" not in audit
