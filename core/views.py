import secrets

from django.core.cache import cache
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .email import outbox_health

PROBE_KEY = "core:health:probe"


def _cache_answers() -> bool:
    """A value stored comes back: false while Redis is unreachable (`core.cache`)."""
    token = secrets.token_hex(8)
    cache.set(PROBE_KEY, token, 60)
    return cache.get(PROBE_KEY) == token


@never_cache
def health(request):
    """For monitoring, not for a load balancer: 503 means that something needs an
    operator (email is failing or waiting, the cache is unreachable), while pages are still
    served. Counts only, so anyone may ask."""
    email = outbox_health()
    cache_ok = _cache_answers()
    ok = email["ok"] and cache_ok
    return JsonResponse(
        {
            "status": "ok" if ok else "failing",
            "email": email,
            "cache": {"ok": cache_ok},
        },
        status=200 if ok else 503,
    )
