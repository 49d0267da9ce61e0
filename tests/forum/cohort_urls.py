"""The site's URLs, and a stand-in for the cohort space's address ("cohorts:cohort", which
badges link to) while the cohort pages are not on this branch; once they are, this is the
site's URLs alone."""

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as site

urlpatterns = list(site)
if not any(getattr(pattern, "namespace", None) == "cohorts" for pattern in site):
    space = [path("<slug:slug>/", lambda request, slug: HttpResponse(slug), name="cohort")]
    urlpatterns.append(path("cohorts/", include((space, "cohorts"))))
