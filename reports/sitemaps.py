"""`/sitemap.xml` (issue 17): an index of sections, each paged at `Sitemap.limit` (50,000)
URLs, so it keeps working past that many threads.

- "questions": public threads (`Question.objects.public()`: no members-only, cohort-only,
  hidden, held or merged one), their `lastmod` the thread's last activity;
- "pages": Wagtail's own sitemap (`wagtail.contrib.sitemaps`): every live page under no view
  restriction (guides, toolkits, events, topic pages and the indexes), each at its full URL.

URLs are on the site's one public address (`core.sites.base_url`), as Wagtail's page URLs
are (`core.sites.follow_base_url`), whatever host the crawler asked.
"""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from core.sites import base_url
from forum.models import Question


class QuestionSitemap(Sitemap):
    def items(self):
        # Paged by primary key: a stable order that the paginator's OFFSET reads by index.
        return Question.objects.public().only("pk", "last_activity_at").order_by("pk")

    def lastmod(self, item: Question):
        return item.last_activity_at

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(base_url()).scheme

    def get_domain(self, site=None) -> str:
        return urlsplit(base_url()).netloc


SITEMAPS = {"questions": QuestionSitemap, "pages": PageSitemap}
