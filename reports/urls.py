from django.urls import path
from wagtail.contrib.sitemaps import views as wagtail_sitemap_views

from . import feeds, views
from .sitemaps import SITEMAPS

app_name = "reports"


def _feed(route: str, name: str, feed: type) -> list:
    """A feed as RSS 2.0 at ``route`` and as Atom at ``route``atom/."""
    return [
        path(route, feed(), name=f"{name}_rss"),
        path(f"{route}atom/", feeds.atom(feed)(), name=f"{name}_atom"),
    ]


# web (issue 17): feeds, the sitemap and robots.txt, at the site's root (config/urls.py).
# The sitemap is an index of sections (`sitemaps.SITEMAPS`), each paged with ?p=; not
# cached, so a thread made members-only a moment ago is not listed.
urlpatterns = [
    *_feed("feeds/questions/", "questions_feed", feeds.QuestionFeed),
    *_feed("feeds/topics/<slug:slug>/", "topic_feed", feeds.TopicQuestionFeed),
    *_feed("feeds/states/<str:state>/", "state_feed", feeds.StateQuestionFeed),
    *_feed("feeds/library/", "library_feed", feeds.LibraryFeed),
    *_feed("feeds/events/", "events_feed", feeds.EventFeed),
    path(
        "sitemap.xml",
        wagtail_sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "reports:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        wagtail_sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("pulse/", views.pulse, name="pulse"),
]
