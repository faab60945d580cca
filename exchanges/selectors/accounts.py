"""Whether a person may close their own account on the platform's page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from exchanges.selectors.retention import retention_period


def own_account_refusal(*, user) -> str:
    """Why ``user`` cannot delete their own account here; "" when they can.

    A pupil's account belongs to their class (their teacher removes it). Officers' and
    administrators' accounts hold what others rely on (programs, decisions), so an
    administrator closes those once they are handed over. A teacher's classes hold their
    pupils' accounts, so they go first; a teacher without classes deletes her account
    like anyone (with her own tandems, if she is a participant too).
    """
    if user.is_pupil:
        return _("Your teacher removes pupils' accounts: ask them.")
    if user.is_superuser or user.is_officer:
        return _(
            "Accounts of program officers and administrators are closed by an "
            "administrator, once their programs are handed over."
        )
    if user.classrooms.exists():
        return _(
            "You teach classes here, and your pupils' accounts belong to them: first "
            "delete each of your classes on the page Your classes (%(url)s). A class can be "
            "deleted once its exchanges have ended and their pupils' data is deleted "
            "(%(days)s days after the end); to leave sooner, ask an administrator to hand "
            "your classes over to another teacher. Then you can delete your account here."
        ) % {"url": reverse("classes"), "days": retention_period().days}
    return ""
