def navigation(request):
    """What the header needs on every page: the user's roles and unread count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from exchanges.selectors.notifications import unread_count

    roles = set(user.groups.values_list("name", flat=True))
    return {
        "nav_roles": roles,
        "nav_unread": unread_count(user=user),
    }
