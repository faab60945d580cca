"""Close a user's open room sockets, in every process, when the session that opened them
stops being valid: on logout, on any change of the password, when the account is
deactivated and when it is deleted (a pupil removed by the teacher must not go on
reading the class room).

A socket is authenticated once, at its handshake; without this a socket opened before
the logout could keep posting. Each socket is in its user's group
(``exchanges.realtime.broadcast.user_group``), which ``close_user_sockets`` reaches
through the channel layer after commit; the sockets close with 4401.
"""

from allauth.account import signals as account_signals
from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_delete, post_save

from exchanges.realtime.broadcast import close_user_sockets


def _on_logout(sender, request=None, user=None, **kwargs):
    if user is not None and user.pk is not None:
        close_user_sockets(user_id=user.pk)


def _on_password_change(sender, request=None, user=None, **kwargs):
    if user is not None and user.pk is not None:
        close_user_sockets(user_id=user.pk)


def _on_user_saved(sender, instance, created, **kwargs):
    # AbstractBaseUser.set_password() keeps the raw password in ``_password`` until the
    # save completes: a save that carries one is a password change, whichever page or
    # command made it (the admin, ``changepassword``), not only allauth's.
    # A deactivated account (the admin) is logged out of every page: of its sockets too.
    if not created and (getattr(instance, "_password", None) is not None
                        or not instance.is_active):
        close_user_sockets(user_id=instance.pk)


def _on_user_deleted(sender, instance, **kwargs):
    close_user_sockets(user_id=instance.pk)


def connect() -> None:
    """Wire the receivers (from ExchangesConfig.ready)."""
    user_logged_out.connect(_on_logout, dispatch_uid="jumelage.sockets.logout")
    for name in ("password_changed", "password_set", "password_reset"):
        getattr(account_signals, name).connect(
            _on_password_change, dispatch_uid=f"jumelage.sockets.{name}"
        )
    post_save.connect(_on_user_saved, sender=settings.AUTH_USER_MODEL,
                      dispatch_uid="jumelage.sockets.password")
    post_delete.connect(_on_user_deleted, sender=settings.AUTH_USER_MODEL,
                        dispatch_uid="jumelage.sockets.deleted")
