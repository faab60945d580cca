from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate

from exchanges.realtime import signals as socket_signals


def _ensure_roles(sender, **kwargs):
    from exchanges.services.roles import roles_ensure

    roles_ensure()


class ExchangesConfig(AppConfig):
    name = "exchanges"
    verbose_name = "Exchanges"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # After migrate, so the permissions the groups need exist.
        post_migrate.connect(_ensure_roles, sender=self)
        # Logout and password changes close the user's open room sockets.
        socket_signals.connect()
        # (Imported here: the module reads models, which exist only once apps are ready.)
        from exchanges.middleware import account_language_remember
        from exchanges.services.wall import wall_image_files_wire

        # A wall image's file goes with its row, however the row goes.
        wall_image_files_wire()

        user_logged_in.connect(
            account_language_remember, dispatch_uid="jumelage.account_language"
        )
