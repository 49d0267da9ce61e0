"""Building search queries. The search issue grows this into the ranked, permission-aware
search across forum and CMS; for now it finds published guides."""

from haystack.query import SearchQuerySet

from cms.models import GuidePage
from forum.models import Topic


def search_guides(*, text: str, topic: Topic | None = None) -> SearchQuerySet:
    results = SearchQuerySet().models(GuidePage)
    if text:
        results = results.auto_query(text)
    if topic is not None:
        results = results.filter(topics=topic.slug)
    return results
