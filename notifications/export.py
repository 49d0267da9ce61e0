"""Notifications' part of a member's export (`accounts.export`, registered in
`wagtail_hooks.py`): what they follow (threads, topics, cohorts), at which level, and their
email choices. A thread is named only while the member may still read it; a cohort is named
always, as the member followed it while they belonged."""

from accounts.export import Section
from forum.permissions import can_read_question

from . import services
from .models import Follow

FOLLOW_COLUMNS = ("kind", "id", "title", "level", "since")
EMAIL_COLUMNS = ("own_posts", "mentions", "watched", "digest")


def _follow(user, follow: Follow) -> dict:
    if follow.topic is not None:
        kind, pk, title = "topic", follow.topic_id, follow.topic.name
    elif follow.cohort is not None:
        kind, pk, title = "cohort", follow.cohort_id, follow.cohort.name
    else:
        question = follow.question
        kind, pk = "question", question.pk
        title = question.title if can_read_question(user, question) else ""
    return {
        "kind": kind,
        "id": pk,
        "title": title,
        "level": follow.level,
        "since": follow.created_at.isoformat(),
    }


def following(user) -> dict[str, Section]:
    """Two queries, however much the member follows."""
    follows = (
        Follow.objects.filter(user=user)
        .select_related("question", "topic", "cohort")
        .defer("question__body", "question__body_html")
        .order_by("created_at", "pk")
    )
    chosen = services.email_settings(user)
    return {
        "follows": Section(FOLLOW_COLUMNS, [_follow(user, follow) for follow in follows]),
        "email_settings": Section(
            EMAIL_COLUMNS, [{column: getattr(chosen, column) for column in EMAIL_COLUMNS}]
        ),
    }
