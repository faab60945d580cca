from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        """What ``manage.py createsuperuser`` calls. Whoever runs it owns the server, so
        the address counts as verified: the account signs in at once, without following
        a link from the console first (e-mail verification is mandatory for everyone else)."""
        extra.update(is_staff=True, is_superuser=True)
        user = self._create(email, password, **extra)
        EmailAddress.objects.using(self._db).update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        return user


class Role(models.TextChoices):
    PARTICIPANT = "participant", "Participant"
    TEACHER = "teacher", "Teacher"
    OFFICER = "officer", "Program officer"


class User(AbstractUser):
    """A person who signs in with an e-mail address (there are no usernames).

    Roles are Django groups named after :class:`Role`; officers are made in the admin.
    """

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(max_length=80, blank=True, verbose_name=_("display name"))
    # Pupils join through a teacher's class code and never give an e-mail address.
    is_pupil = models.BooleanField(default=False, verbose_name=_("pupil"))
    # A pupil whose teacher printed a one-time password sets their own at next login.
    must_set_password = models.BooleanField(default=False, verbose_name=_("must set password"))
    # The interface language they chose (or signed up in): pages follow it on any device,
    # and e-mails and notifications are written in it. Empty: the browser's, English by mail.
    language = models.CharField(
        _("interface language"), max_length=8, blank=True, default="", choices=settings.LANGUAGES
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def public_name(self) -> str:
        return self.display_name or self.email.split("@")[0]

    def has_role(self, role: str) -> bool:
        # Uses the prefetched groups when the caller loaded them.
        return any(group.name == role for group in self.groups.all())

    @property
    def is_teacher(self) -> bool:
        return self.has_role(Role.TEACHER)

    @property
    def is_officer(self) -> bool:
        return self.has_role(Role.OFFICER)
