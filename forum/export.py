"""The forum's part of a member's export (`accounts.export`, registered in
`wagtail_hooks.py`): every question, answer and comment they wrote, hidden ones too, since
they are still theirs. It goes to the member alone, so what others see signed "a verified
official in <state>" is in it too, marked `asked_anonymously`: a question they asked
without their name, and what they wrote in its thread."""

from accounts.export import Section
from core.sites import base_url

from .models import Answer, Comment, Question
from .permissions import can_read_question, is_signed_anonymously

POST_COLUMNS = (
    "kind",
    "id",
    "question_id",
    "question_title",
    "created_at",
    "visibility",
    "asked_anonymously",
    "hidden_by_moderators",
    "body",
    "url",
)


def _post(user, kind: str, post, question: Question) -> dict:
    return {
        "kind": kind,
        "id": post.pk,
        "question_id": question.pk,
        # Someone else's thread is named only while the member may still read it (an
        # expired official keeps their own words, not members-only titles).
        "question_title": (
            question.title if post is question or can_read_question(user, question) else ""
        ),
        "created_at": post.created_at.isoformat(),
        "visibility": question.visibility,
        "asked_anonymously": is_signed_anonymously(question, user.pk),
        "hidden_by_moderators": post.is_hidden,
        "body": post.body,
        "url": base_url() + question.get_absolute_url(),
    }


def posts(user) -> dict[str, Section]:
    """The member's posts, oldest first (three queries, whatever they wrote)."""
    rows = [_post(user, "question", q, q) for q in Question.objects.filter(author=user)]
    rows += [
        _post(user, "answer", a, a.question)
        for a in Answer.objects.filter(author=user).select_related("question")
    ]
    rows += [
        _post(user, "comment", c, c.question or c.answer.question)
        for c in Comment.objects.filter(author=user).select_related("question", "answer__question")
    ]
    rows.sort(key=lambda row: (row["created_at"], row["kind"], row["id"]))
    return {"posts": Section(POST_COLUMNS, rows)}
