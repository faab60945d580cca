"""Who may sign in where: adults with their e-mail address, pupils only on /join/.

Pupils' accounts carry a synthetic address nobody knows, but the adults' login must
refuse them even if it leaked, so both e-mail backends skip pupils. A pupil is signed
in by ``services.pupils.pupil_login`` (code, name and password) and ``login()`` with
:class:`PupilBackend`, which only restores such sessions.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend


class AdultModelBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and not getattr(user, "is_pupil", False)


class AdultAllauthBackend(AuthenticationBackend):
    """allauth's e-mail login without pupils (refused like a wrong password: allauth
    would otherwise send a pupil whose check failed to its "account inactive" page)."""

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        return None if user is not None and user.is_pupil else user

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return None if user is not None and user.is_pupil else user


class PupilBackend(ModelBackend):
    """Restores pupils' sessions; it never authenticates credentials itself."""

    def authenticate(self, request, **credentials):
        return None

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and getattr(user, "is_pupil", False)
