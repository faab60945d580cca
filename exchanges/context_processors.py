from exchanges.selectors.notifications import unread_count
from exchanges.selectors.roles import user_roles


def navigation(request):
    """What the header needs on every page: the user's roles and unread count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_roles": user_roles(user=user),
        "nav_unread": unread_count(user=user),
    }
