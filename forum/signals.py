"""What the forum tells the rest of the site."""

from django.dispatch import Signal, receiver

from core.caching import CONTENT, bump

# A thread changed (asked, answered, edited, moderated, its bylines rewritten). Sent once the
# change has committed (`core.events.send_after_commit`; a change rolled back sends nothing)
# with ``question_ids``, the threads that changed, and ``readers_changed``: True when the
# change may change who may read them or whom they name (hidden or shown again, another
# audience, deleted; an author's name replaced or erased), which no cached page may go on
# showing. Receivers take **kwargs, so more may be said later.
threads_changed = Signal()


@receiver(threads_changed, dispatch_uid="forum.visitor-pages")
def _visitors_lists_stale(sender, *, readers_changed: bool, **kwargs) -> None:
    """Visitors' cached pages that list threads (`core.caching.CONTENT`) keep up with new
    answers and votes within a minute; a change in who may read a thread, or whom it names,
    reaches them at once."""
    if readers_changed:
        bump(CONTENT)


# Someone wrote in a thread or accepted an answer: what people may be told of (the
# notifications app). Sent once the change has committed, with ``activity`` (one of
# ACTIVITIES), ``question_id``, ``actor_id`` (who did it) and ``post_id``: the new answer's
# or comment's primary key, the accepted answer's, None for a new question. Receivers take
# **kwargs, so more may be said later.
thread_activity = Signal()
ASKED, ANSWERED, COMMENTED, ACCEPTED = "asked", "answered", "commented", "accepted"

# Flags on a post were acted on (issue 15): sent once committed, with ``event`` (HELD: hidden
# pending review; UPHELD or DISMISSED: a moderator decided), ``flag_ids`` (the flags it
# concerns), ``question_id`` and ``post``: (kind, pk) of the question, answer or comment.
moderation = Signal()
HELD, UPHELD, DISMISSED = "held", "upheld", "dismissed"
ACTIVITIES = (ASKED, ANSWERED, COMMENTED, ACCEPTED)

# A moderator merged the thread ``question_id`` into ``into_id`` (`services.merge_questions`):
# its answers, comments and votes are the other thread's now. Unlike the two above, sent
# inside the merge's transaction, as `accounts.signals` are: what higher apps keep about the
# merged thread (who follows it, inbox items pointing at it) must move with the merge or
# not at all, or followers would be left on a thread no one reads. Receivers only write to
# the database and raise to refuse the merge; anything slow they queue after commit.
threads_merged = Signal()
