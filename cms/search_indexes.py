from haystack import indexes

from .models import GuidePage


class GuidePageIndex(indexes.SearchIndex, indexes.Indexable):
    """Published, public guides. Drafts and private pages never reach the index."""

    text = indexes.CharField(document=True, use_template=True)
    title = indexes.CharField(model_attr="title")
    summary = indexes.CharField(model_attr="summary")
    url = indexes.CharField(model_attr="url", indexed=False)
    topics = indexes.MultiValueField(faceted=True)

    def get_model(self):
        return GuidePage

    def index_queryset(self, using=None):
        return self.get_model().objects.live().public().prefetch_related("topics")

    def prepare_topics(self, obj: GuidePage) -> list[str]:
        return [topic.slug for topic in obj.topics.all()]
