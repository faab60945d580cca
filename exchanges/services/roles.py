"""The three roles as Django groups.

The groups carry no model permissions: the Django admin is for superusers only, and the
platform's pages check the role (group) and scope what they show themselves. Running
this again strips any permissions an older release gave the groups.
"""

from django.contrib.auth.models import Group

from exchanges.models import Role


def roles_ensure() -> None:
    """Create the groups, without model permissions (idempotent)."""
    for role in Role.values:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.clear()
