"""The three roles as Django groups with their model permissions."""

from django.contrib.auth.models import Group, Permission

from exchanges.models import Role

_ROLE_PERMISSIONS = {
    Role.PARTICIPANT: [],
    Role.TEACHER: [
        "add_classroom", "change_classroom", "view_classroom",
        "add_classroomexchange", "view_classroomexchange",
        "view_report", "change_report",
    ],
    Role.OFFICER: [
        "view_twinning", "change_twinning",
        "add_program", "change_program", "view_program",
        "add_matchrun", "view_matchrun", "view_match",
        "view_participant", "view_session", "view_report", "change_report",
        "view_auditevent",
    ],
}


def roles_ensure() -> None:
    """Create the groups and give them their permissions (idempotent)."""
    for role, codenames in _ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = Permission.objects.filter(
            content_type__app_label="exchanges", codename__in=codenames
        )
        group.permissions.set(permissions)
