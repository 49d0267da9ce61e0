"""Keep cached navigation and visitors' cached pages (`cms.caching`) in step with the page
tree (`core.caching.PAGES`). "Featured in" links on threads, and the record of which pages
quote which threads, follow pages in `cms.promotion`."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.caching import PAGES, bump
from forum.signals import threads_changed

from . import promotion
from .context_processors import forget_links


def _page_changed(sender, instance=None, **kwargs) -> None:
    if isinstance(instance, Page):
        forget_links()
        bump(PAGES)


def _restriction_changed(sender, **kwargs) -> None:
    """A page became private, or public again: no visitor's cached page may still show it."""
    bump(PAGES)


def _connect(*, on_page, on_restriction, uid: str) -> None:
    """``on_page`` hears a page published, unpublished, moved or deleted;
    ``on_restriction`` a view restriction added, changed or removed."""
    for signal in (page_published, page_unpublished, post_page_move, post_delete):
        signal.connect(on_page, dispatch_uid=f"{uid}.{id(signal)}")
    for signal in (post_save, post_delete):
        signal.connect(
            on_restriction,
            sender=PageViewRestriction,
            dispatch_uid=f"{uid}.restriction.{id(signal)}",
        )


def connect() -> None:
    _connect(on_page=_page_changed, on_restriction=_restriction_changed, uid="cms.visitor-pages")
    _connect(
        on_page=promotion.guide_changed,
        on_restriction=promotion.restriction_changed,
        uid="cms.featured-in",
    )
    for signal in (page_published, page_unpublished):
        signal.connect(promotion.quotes_changed, dispatch_uid=f"cms.quotes.{id(signal)}")
    threads_changed.connect(promotion.threads_changed, dispatch_uid="cms.quoted-threads")
