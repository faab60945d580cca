import pytest
from django.contrib.auth.models import Group, Permission

from exchanges.models import Role
from exchanges.services.roles import roles_ensure

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group_without_model_permissions():
    roles_ensure()
    for role in Role.values:
        assert not Group.objects.get(name=role).permissions.exists()


def test_roles_ensure_strips_permissions_an_older_release_granted():
    roles_ensure()
    officers = Group.objects.get(name=Role.OFFICER)
    officers.permissions.add(
        *Permission.objects.filter(codename__in=["view_report", "change_program"])
    )
    roles_ensure()
    assert not officers.permissions.exists()
