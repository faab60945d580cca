"""What a user is on the platform, read once per request for the header, the
dashboard routing and the pages that depend on it."""

from dataclasses import dataclass

from exchanges.models import Role


@dataclass(frozen=True)
class Roles:
    """The roles of one user; ``names`` are the Role values of their groups."""

    names: frozenset[str]
    is_superuser: bool = False
    is_pupil: bool = False

    def __contains__(self, role: str) -> bool:
        return role in self.names

    @property
    def is_officer(self) -> bool:
        return Role.OFFICER in self.names

    @property
    def is_teacher(self) -> bool:
        return Role.TEACHER in self.names

    @property
    def sees_programs(self) -> bool:
        """Officers and superusers run programs."""
        return self.is_officer or self.is_superuser

    @property
    def is_staff_role(self) -> bool:
        """Teachers, officers and superusers work on the platform without a participant
        profile of their own."""
        return self.is_officer or self.is_teacher or self.is_superuser


ANONYMOUS = Roles(names=frozenset())


def user_roles(*, user) -> Roles:
    """The user's roles (one query, remembered on the user object for the request)."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_jumelage_roles", None)
    if cached is None:
        cached = Roles(
            names=frozenset(user.groups.values_list("name", flat=True)),
            is_superuser=user.is_superuser,
            is_pupil=user.is_pupil,
        )
        user._jumelage_roles = cached
    return cached
