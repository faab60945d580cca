"""Who may sign in where: adults with their e-mail address, pupils only on /join/.

Pupils' accounts carry a synthetic address nobody knows, but the adults' login must
refuse them even if it leaked, so both e-mail backends skip pupils. A pupil is signed
in by ``services.pupils.pupil_login`` (code, name and password) and ``login()`` with
:class:`PupilBackend`, which only restores such sessions.

Every backend restores a session's user with the viewer's zone joined (see
``selectors.viewer_zone``). Sessions store the backend's dotted path, so the classes keep
their names and module: sessions made before still restore.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ObjectDoesNotExist

from exchanges.selectors.viewer_zone import users_with_zone


class ZoneJoinedMixin:
    """``get_user`` (what the auth middleware calls on every request) loads the user with
    their participant and its city, so the page's zone costs no query of its own."""

    def get_user(self, user_id):
        try:
            user = users_with_zone().get(pk=user_id)
        except ObjectDoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        try:
            user = await users_with_zone().aget(pk=user_id)
        except ObjectDoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class AdultModelBackend(ZoneJoinedMixin, ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and not getattr(user, "is_pupil", False)


class AdultAllauthBackend(ZoneJoinedMixin, AuthenticationBackend):
    """allauth's e-mail login without pupils (refused like a wrong password: allauth
    would otherwise send a pupil whose check failed to its "account inactive" page)."""

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        return None if user is not None and user.is_pupil else user

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return None if user is not None and user.is_pupil else user

    async def aget_user(self, user_id):
        user = await super().aget_user(user_id)
        return None if user is not None and user.is_pupil else user


class PupilBackend(ZoneJoinedMixin, ModelBackend):
    """Restores pupils' sessions; it never authenticates credentials itself."""

    def authenticate(self, request, **credentials):
        return None

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and getattr(user, "is_pupil", False)
