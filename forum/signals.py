"""What the forum tells the rest of the site."""

from django.dispatch import Signal

# A thread changed (asked, answered, edited, moderated, its bylines rewritten): pages that
# list threads, such as the CMS home and topic pages, are stale. Sent after the change is
# written, inside its transaction, with ``question_ids``: the threads that changed.
threads_changed = Signal()
