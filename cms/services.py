"""State changes of the editorial layer that reach beyond one page: the topic pages that
follow the taxonomy. Promoting a thread into a guide lives in `cms.promotion`."""

from django.db import transaction
from django.utils.translation import gettext as _

from forum.models import Topic

from .models import HomePage, TopicIndexPage, TopicPage


@transaction.atomic
def sync_topic_pages() -> int:
    """Make sure /topics/ exists with one published page per taxonomy topic (slug = the
    topic's slug); returns how many topic pages were created. Editors' intros are kept."""
    home = HomePage.objects.first()
    if home is None:
        return 0
    index = TopicIndexPage.objects.child_of(home).first()
    if index is None:
        index = TopicIndexPage(
            title=_("Topics"),
            slug="topics",
            intro=_("Every topic Canvass covers, with its guides, toolkits, events and questions."),
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    have = set(TopicPage.objects.values_list("topic_id", flat=True))
    created = 0
    for topic in Topic.objects.exclude(pk__in=have).order_by("position", "name"):
        page = TopicPage(title=topic.name, slug=topic.slug, topic=topic)
        index.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    return created
