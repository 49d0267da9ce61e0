"""Keep cached navigation and visitors' cached pages (`cms.caching`) in step with the page
tree; the forum moves the content generation on for threads itself (`forum.signals`).
"Featured in" links on threads follow guides in `cms.promotion`."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.caching import CONTENT, bump

from . import promotion
from .context_processors import forget_links


def _page_changed(sender, instance=None, **kwargs) -> None:
    if isinstance(instance, Page):
        forget_links()
        bump(CONTENT)


def _restriction_changed(sender, **kwargs) -> None:
    """A page became private, or public again: no visitor's cached page may still show it."""
    bump(CONTENT)


def connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move, post_delete):
        signal.connect(_page_changed, dispatch_uid=f"cms.navigation.{id(signal)}")
    for signal in (post_save, post_delete):
        signal.connect(
            _restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"cms.visitor-pages.restriction.{id(signal)}",
        )
    promotion.connect()
