"""The public transparency register, as a page and as JSON (no login)."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from exchanges.selectors.register import (
    DEFINITIONS,
    DELETED_DATA_NOTE,
    FIGURES,
    LABELS,
    SUPPRESSION_NOTE,
    register_json,
    register_page,
    transparency_register,
)


@require_safe
def transparency(request):
    number = (request.GET.get("page") or "1").lstrip("0") or "0"
    # A number past the last page shows the last; anything else is not a page number.
    if not (number.isascii() and number.isdigit() and number != "0"):
        return render(request, "exchanges/transparency_bad_page.html", status=400)
    # Past any last page, and short enough for int() (which refuses over 4300 digits).
    number = min(int(number[:10]), 10**9)
    register = transparency_register()
    context = {
        "register": register,
        "page": register_page(register=register, number=number),
        "figures": [(name, LABELS[name], DEFINITIONS[name]) for name in FIGURES],
        "figure_names": FIGURES,
        "suppression_note": SUPPRESSION_NOTE,
        "deleted_data_note": DELETED_DATA_NOTE,
    }
    return render(request, "exchanges/transparency.html", context)


# The figures are brought up to date every five minutes; the JSON holds nobody's data, so
# any cache may keep it that long (the page is not shared: it carries a CSRF token).
@cache_control(public=True, max_age=300)
@require_safe
def transparency_json(request):
    return JsonResponse(
        register_json(transparency_register()), json_dumps_params={"ensure_ascii": False}
    )
