from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from exchanges.selectors.notifications import notifications_recent
from exchanges.services.notifications import notifications_mark_read


@login_required
def notifications(request):
    items = notifications_recent(user=request.user, limit=50)
    notifications_mark_read(user=request.user)
    return render(request, "exchanges/notifications.html", {"items": items})
