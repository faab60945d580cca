from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from exchanges.selectors.notifications import notifications_page
from exchanges.services.notifications import notifications_mark_read


@login_required
def notifications(request):
    page = notifications_page(user=request.user, number=request.GET.get("page"))
    notifications_mark_read(user=request.user, ids=[n.pk for n in page.object_list])
    return render(request, "exchanges/notifications.html", {"page": page})
