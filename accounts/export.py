"""A member's own data, for their records or a public-records request: the profile, every
question, answer and comment they wrote (hidden ones too: they are still theirs) and their
verification requests. One collection, written as JSON or as a ZIP of CSV files."""

import csv
import io
import json
import zipfile

from django.conf import settings
from django.utils import timezone

from forum.models import Answer, Comment, Question
from forum.permissions import can_read_question

from .models import User

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
REQUEST_COLUMNS = ("created_at", "office", "role", "how_to_confirm", "status", "reviewer_note")


def _url(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _post(user: User, kind: str, post, question: Question) -> dict:
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
        "asked_anonymously": question.is_anonymous if kind == "question" else False,
        "hidden_by_moderators": post.is_hidden,
        "body": post.body,
        "url": _url(question.get_absolute_url()),
    }


def collect(user: User) -> dict:
    """Everything exported for ``user`` (four queries, whatever they wrote)."""
    posts = [_post(user, "question", q, q) for q in Question.objects.filter(author=user)]
    posts += [
        _post(user, "answer", a, a.question)
        for a in Answer.objects.filter(author=user).select_related("question")
    ]
    posts += [
        _post(user, "comment", c, c.question or c.answer.question)
        for c in Comment.objects.filter(author=user).select_related("question", "answer__question")
    ]
    posts.sort(key=lambda row: (row["created_at"], row["kind"], row["id"]))
    return {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "job_title": user.job_title,
            "office": str(user.jurisdiction) if user.jurisdiction else "",
            "office_phone": user.office_phone,
            "bio": user.bio,
            "show_job_title": user.show_job_title,
            "show_jurisdiction": user.show_jurisdiction,
            "verified_until": user.verified_until.isoformat() if user.verified_until else "",
            "joined": user.date_joined.isoformat(),
        },
        "posts": posts,
        "verification_requests": [
            {
                "created_at": r.created_at.isoformat(),
                "office": str(r.jurisdiction),
                "role": r.get_role_display(),
                "how_to_confirm": r.how_to_confirm,
                "status": r.get_status_display(),
                "reviewer_note": r.reason,
            }
            for r in user.verification_requests.select_related("jurisdiction")
        ],
    }


def as_json(data: dict) -> bytes:
    return json.dumps(data, indent=2, ensure_ascii=False).encode()


def _csv(rows: list[dict], columns) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def as_zip(data: dict) -> bytes:
    """profile.csv (field, value), posts.csv and verification_requests.csv."""
    profile = [{"field": key, "value": value} for key, value in data["profile"].items()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("profile.csv", _csv(profile, ("field", "value")))
        archive.writestr("posts.csv", _csv(data["posts"], POST_COLUMNS))
        archive.writestr(
            "verification_requests.csv", _csv(data["verification_requests"], REQUEST_COLUMNS)
        )
    return buffer.getvalue()
