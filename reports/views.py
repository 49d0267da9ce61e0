from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core import caching

from . import pulse as figures


@require_GET
def pulse(request):
    """The public "what officials are asking" page: the same aggregate figures for everyone
    (`reports.pulse`). A visitor's copy is kept for the rest of the hour its figures belong
    to, under the generations every stored page depends on (a thread hidden moves the
    content one on), and served by `core.caching.VisitorPageCacheMiddleware` with no query."""
    now = timezone.now()
    key = caching.page_key(request) if caching.for_visitor(request) and not request.GET else None
    context = {
        "figures": figures.current(now),
        "min_count": figures.MIN_COUNT,
        "growth_days": figures.GROWTH_DAYS,
    }
    response = render(request, "reports/pulse.html", context)
    if key is not None:
        caching.store_page(key, response, figures.seconds_left_in_hour(now))
    return response
