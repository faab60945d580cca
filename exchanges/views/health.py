from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from exchanges.pure.client_ip import is_direct_loopback
from exchanges.selectors.health import health_report


def _may_see_details(request) -> bool:
    """Hosts, engines, latencies and errors are for superusers and for probes on this
    machine that no proxy relayed; the public learns the status only."""
    user = request.user
    return (user.is_active and user.is_superuser) or is_direct_loopback(request)


@require_GET
@never_cache
def healthz(request):
    report = health_report()
    status = 200 if report["status"] == "ok" else 503
    if not _may_see_details(request):
        report = {"status": report["status"]}
    return JsonResponse(report, status=status)
