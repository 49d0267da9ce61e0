"""The project's URLs plus the baseline every benchmark figure is divided by: a bare
Django view that goes through the same middleware and returns a few bytes."""

from django.http import HttpResponse
from django.urls import include, path

BARE_PATH = "/bench/bare/"


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path(BARE_PATH.strip("/") + "/", bare),
    path("", include("config.urls")),
]
