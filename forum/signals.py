"""What the forum tells the rest of the site."""

from django.dispatch import Signal, receiver

from core.caching import CONTENT, bump

# A thread changed (asked, answered, edited, moderated, its bylines rewritten): pages that
# list threads, such as the CMS home and topic pages, are stale. Sent with
# ``question_ids``, the threads that changed, once the change has committed
# (`core.events.send_after_commit`); a change rolled back sends nothing.
threads_changed = Signal()


@receiver(threads_changed, dispatch_uid="forum.visitor-pages")
def _visitors_pages_stale(sender, **kwargs) -> None:
    """Visitors' cached pages that show other threads are stale: a question page's similar
    questions, the CMS pages that list threads (`core.caching`)."""
    bump(CONTENT)
