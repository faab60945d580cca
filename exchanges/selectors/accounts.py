"""Whether a person may close their own account on the platform's page."""

from django.utils.translation import gettext as _


def own_account_refusal(*, user) -> str:
    """Why ``user`` cannot delete their own account here; "" when they can.

    A pupil's account belongs to their class (their teacher removes it), and teachers',
    officers' and administrators' accounts hold what others rely on (classes and their
    pupils, programs, decisions), so an administrator closes those once it is handed over.
    """
    if user.is_pupil:
        return _("Your teacher removes pupils' accounts: ask them.")
    if user.is_superuser or user.is_officer or user.is_teacher or user.classrooms.exists():
        return _(
            "Accounts of teachers, program officers and administrators are closed by an "
            "administrator, once their classes or programs are handed over."
        )
    return ""
