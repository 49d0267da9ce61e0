"""Keep cached navigation and visitors' cached pages (`cms.caching`) in step with the page
tree and the forum. "Featured in" links on threads follow guides in `cms.promotion`."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from forum.signals import threads_changed

from . import promotion
from .caching import content_changed
from .context_processors import forget_links


def _page_changed(sender, instance=None, **kwargs) -> None:
    if isinstance(instance, Page):
        forget_links()
        content_changed()


def _restriction_changed(sender, **kwargs) -> None:
    """A page became private, or public again: no visitor's cached page may still show it."""
    content_changed()


def connect() -> None:
    threads_changed.connect(content_changed, dispatch_uid="cms.visitor-pages.threads")
    for signal in (page_published, page_unpublished, post_page_move, post_delete):
        signal.connect(_page_changed, dispatch_uid=f"cms.navigation.{id(signal)}")
    for signal in (post_save, post_delete):
        signal.connect(
            _restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"cms.visitor-pages.restriction.{id(signal)}",
        )
    promotion.connect()
