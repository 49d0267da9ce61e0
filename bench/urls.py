"""The project's URLs plus the baseline every benchmark figure is divided by (a bare
Django view that goes through the same middleware and returns a few bytes), a way to
measure a CMS page with every cache emptied first, and which worker process answers (so
the client can hold a connection to each)."""

import os

from django.core.cache import cache
from django.http import HttpResponse
from django.urls import include, path
from wagtail.views import serve

BARE_PATH = "/bench/bare/"
COLD_PREFIX = "/bench/cold/"
PID_PATH = "/bench/pid/"


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


def pid(request):
    return HttpResponse(str(os.getpid()), content_type="text/plain")


def cold(request, path: str = ""):
    """The CMS page at /<path> after emptying the cache: what a visitor's first request
    after a change costs (no page, fragment or navigation cache). The cache is emptied
    again afterwards, so the page it stored is not served to the next request."""
    cache.clear()
    response = serve(request, path)
    response.render()
    cache.clear()
    return response


urlpatterns = [
    path(BARE_PATH.strip("/") + "/", bare),
    path(PID_PATH.strip("/") + "/", pid),
    path(COLD_PREFIX.strip("/") + "/", cold),
    path(COLD_PREFIX.strip("/") + "/<path:path>", cold),
    path("", include("config.urls")),
]
