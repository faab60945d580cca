from django.conf import settings

from exchanges.selectors.notifications import unread_count
from exchanges.selectors.participants import has_participant_profile
from exchanges.selectors.roles import user_roles
from exchanges.views.javascript_catalogue import javascript_catalogue_url


def navigation(request):
    """What the header needs on every page: the language switcher's languages, the user's
    roles and unread count."""
    # As settings name them, each in itself ({% get_available_languages %} would translate
    # them into the page's language, where a reader may not find theirs).
    context = {
        "interface_languages": settings.LANGUAGES,
        # A callable: worked out only by a template that uses it (base.html).
        "javascript_catalogue_url": lambda: javascript_catalogue_url(request),
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    roles = user_roles(user=user)
    return {
        **context,
        "nav_roles": roles,
        "nav_unread": unread_count(user=user),
        # Staff have a profile only if they joined as participants too (one query, and
        # only for them).
        "nav_shows_profile": lambda: not user.is_pupil and (
            not roles.is_staff_role or has_participant_profile(user=user)),
    }
