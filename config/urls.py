from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.urls import offices_urlpatterns
from core.views import health
from forum.urls import people_urlpatterns

# Everyone signs in through allauth, which requires a confirmed address and two-factor where
# set up. Wagtail's own sign-in pages (the admin's, and the one for private pages) would
# accept a password alone, so they send people there instead.
_sign_in = RedirectView.as_view(pattern_name="account_login", query_string=True)

urlpatterns = [
    path("admin/login/", _sign_in, name="admin_sign_in"),
    path("_util/login/", _sign_in, name="private_page_sign_in"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("people/", include(people_urlpatterns)),
    # Where a member's page was; bylines in cached thread pages may still link there.
    path(
        "accounts/people/<int:pk>/",
        RedirectView.as_view(pattern_name="people:person", permanent=True),
        name="person_old_address",
    ),
    path("accounts/", include("accounts.urls")),
    path("offices/", include(offices_urlpatterns)),
    path("accounts/", include("allauth.urls")),
    path("search/", include("search.urls")),
    path("questions/", include("forum.urls")),
    path("cohorts/", include("cohorts.urls")),
    path("notifications/", include("notifications.urls")),
    path("editorial/", include("cms.urls")),
    path("health/", health, name="health"),
    # reports (issue 17): /pulse/, feeds, /sitemap.xml and /robots.txt (reports/urls.py).
    path("", include("reports.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving catches everything else, so it comes last.
urlpatterns.append(path("", include(wagtail_urls)))
