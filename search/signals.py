"""What changes the search index: threads (the forum services tell, with the threads' ids)
and pages (Wagtail's signals). Each only queues the objects after commit (``search.queue``)."""

from django.db.models.signals import post_delete, post_save
from haystack import connections
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from forum.signals import threads_changed

from .queue import QUESTION, enqueue_after_commit


def _threads_changed(sender, question_ids=(), **kwargs) -> None:
    enqueue_after_commit(QUESTION, question_ids)


def _indexed_pages() -> set[str]:
    """The labels of the page models a search index holds ("cms.guidepage" …)."""
    models = connections["default"].get_unified_index().get_indexed_models()
    return {model._meta.label_lower for model in models if issubclass(model, Page)}


def _queue_pages(rows) -> None:
    indexed = _indexed_pages()
    by_model: dict[str, list[int]] = {}
    for pk, app_label, model in rows:
        if (label := f"{app_label}.{model}") in indexed:
            by_model.setdefault(label, []).append(pk)
    for label, pks in by_model.items():
        enqueue_after_commit(label, pks)


def _queue_subtree(page: Page) -> None:
    """The page and every page under it: publishing, unpublishing, moving or restricting a
    page changes what may be found beneath it too."""
    _queue_pages(
        Page.objects.descendant_of(page, inclusive=True).values_list(
            "pk", "content_type__app_label", "content_type__model"
        )
    )


def _page_changed(sender, instance=None, **kwargs) -> None:
    if isinstance(instance, Page):
        _queue_subtree(instance)


def _page_deleted(sender, instance=None, **kwargs) -> None:
    if isinstance(instance, Page):
        meta = type(instance)._meta
        _queue_pages([(instance.pk, meta.app_label, meta.model_name)])


def _restriction_changed(sender, instance=None, **kwargs) -> None:
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        _queue_subtree(page)


def connect() -> None:
    threads_changed.connect(_threads_changed, dispatch_uid="search.threads")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_page_changed, dispatch_uid=f"search.pages.{id(signal)}")
    post_delete.connect(_page_deleted, dispatch_uid="search.pages.deleted")
    for signal in (post_save, post_delete):
        signal.connect(
            _restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"search.restrictions.{id(signal)}",
        )
