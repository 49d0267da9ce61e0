"""Keep cached navigation and visitors' cached pages (`cms.caching`) in step with the page
tree and the forum, and a thread's cached page in step with the guides promoted from it
("Featured in <guide>", `forum.thread`)."""

from django.db.models import F
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from forum.signals import threads_changed

from .caching import content_changed
from .context_processors import forget_links


def _page_changed(sender, instance=None, **kwargs) -> None:
    if isinstance(instance, Page):
        forget_links()
        content_changed()


def _touch_threads(question_ids) -> None:
    """A new version for each thread: its cached layers (and the visitors' page) are
    keyed on it, so the next view reads its featured guides again."""
    from forum.models import Question

    if question_ids:
        Question.objects.filter(pk__in=question_ids).update(version=F("version") + 1)


def _guide_changed(sender, instance=None, **kwargs) -> None:
    """A page was published, unpublished, moved or deleted: when it is a guide promoted
    from a thread, or holds such guides (whose addresses follow its slug and place), the
    threads' "Featured in" links may change."""
    from .models import GuidePage

    if not isinstance(instance, Page):
        return
    if isinstance(instance, GuidePage):  # deleting a guide lands here too
        _touch_threads([instance.source_question_id] if instance.source_question_id else [])
    elif kwargs.get("signal") is post_delete:
        return  # a deleted page's guides are deleted too, each telling
    elif not instance.is_leaf() or instance.specific_class is GuidePage:  # a move
        _touch_threads(_promoted_from(instance))


def _promoted_from(page: Page) -> list[int]:
    """The threads of the guides at or under ``page``."""
    from .models import GuidePage

    guides = GuidePage.objects.descendant_of(page, inclusive=True)
    return list(
        guides.filter(source_question__isnull=False).values_list("source_question", flat=True)
    )


def _restriction_changed(sender, instance=None, **kwargs) -> None:
    """A page became private, or public again: the threads whose guides are at or under
    it gain or lose their "Featured in" link."""
    content_changed()
    page = Page.objects.filter(pk=instance.page_id).only("path", "depth").first()
    if page is not None:  # else the page is being deleted, and its guides' deletion tells
        _touch_threads(_promoted_from(page))


def connect() -> None:
    threads_changed.connect(content_changed, dispatch_uid="cms.visitor-pages.threads")
    for signal in (page_published, page_unpublished, post_page_move, post_delete):
        signal.connect(_page_changed, dispatch_uid=f"cms.navigation.{id(signal)}")
        signal.connect(_guide_changed, dispatch_uid=f"cms.featured-in.{id(signal)}")
    for signal in (post_save, post_delete):
        signal.connect(
            _restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"cms.featured-in.restriction.{id(signal)}",
        )
