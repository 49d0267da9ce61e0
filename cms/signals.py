"""Keep cached navigation in step with the page tree."""

from django.db.models.signals import post_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from .context_processors import forget_links


def _page_changed(sender, instance=None, **kwargs) -> None:
    if isinstance(instance, Page):
        forget_links()


def connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move, post_delete):
        signal.connect(_page_changed, dispatch_uid=f"cms.navigation.{id(signal)}")
