"""The public-records export (issue 17): every question, answer, comment and revision that
the people of one election office (or one person) wrote in a date range, as a ZIP of
`posts.json`, `posts.csv` and a readable `index.html`, for an administrator answering a
public-records request.

Whose posts: an office's export covers the people whose office (`User.jurisdiction`) is
that office now, and everything they wrote in the range. Not the offices copied into
bylines (`Post.author_jurisdiction`): those are copied only when the author shows their
office, and comments and revisions carry none, so they would silently leave out the posts
of officials who keep their office to themselves. Someone who has left the office is
exported by their email address instead.

What is in it: everything they wrote, whoever may read it now, because a records request
covers all of it: members-only and cohort threads (each thread names its audience), posts
hidden by moderators or held for review (marked so), questions asked without their name
(marked, with the name: the record is theirs). Text that moderators redacted is already
"[redacted]" in every stored copy (`forum.services.redact_post`); each post lists its
redactions, when and why, never by whom. What others wrote appears only as the context a
post needs (the question an answer or comment is in, the answer a comment is on), signed
as the thread signs it for members (an anonymous asker unnamed), and not at all when
moderators hid or held it.

The export is recorded in the audit log (`canvass.records.export`) and everyone whose posts
are in it is told, in their inbox and by email, that the site's administrators made it and
for which dates; neither names the administrator nor quotes a post.

Cost: a fixed number of queries whatever the number of posts (the people, the three kinds
of post, the revisions, the redactions). The ZIP is built in memory, which suits exports of
thousands of posts (a post is at most 30 KB); one of an office with years of heavy posting
would want a streamed ZIP and a background task."""

import csv
import datetime
import io
import json
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from accounts.models import Jurisdiction, User
from accounts.permissions import is_administrator
from core.email import queue_emails
from core.sites import base_url
from forum.models import Answer, Comment, Question, Redaction, Revision, Visibility
from forum.permissions import is_signed_anonymously
from forum.templatetags.forum_tags import signed_name
from notifications import unread
from notifications.models import Kind, Notification

LOG_ACTION = "canvass.records.export"
KINDS = ("question", "answer", "comment", "revision")
COLUMNS = (
    "kind",
    "id",
    "thread_id",
    "thread_title",
    "audience",
    "on_kind",
    "on_id",
    "revision_number",
    "created_at",
    "author",
    "signed_anonymously",
    "status",
    "title",
    "body",
    "edit_reason",
    "redactions",
    "url",
)
HIDDEN, HELD, SHOWN = "hidden by moderators", "held for review", "shown"


class RecordsError(ValueError):
    """An export these rules refuse (no office or person, or a range that ends before it
    starts); the message says what to change."""


def check_export_records(user) -> None:
    """Only administrators (with two-factor sign-in) export other people's posts."""
    if not is_administrator(user):
        raise PermissionDenied


@dataclass(frozen=True)
class Export:
    filename: str
    content: bytes
    counts: dict


@dataclass
class Entry:
    """One exported post or revision, with what its row and its place in the HTML need."""

    kind: str
    post: object  # the Question, Answer, Comment or Revision
    thread: Question
    on: object | None  # a comment's post; a revision's post
    author: str
    anonymous: bool
    redactions: list = field(default_factory=list)
    context: "Context | None" = None  # an answer a comment is on, when not exported itself

    @property
    def written(self):
        """The question, answer or comment: the post itself, or the one a revision is of."""
        return self.on if self.kind == "revision" else self.post

    @property
    def status(self) -> str:
        return _status(self.written)


def _status(post) -> str:
    if post.is_hidden:
        return HIDDEN
    if post.held_for_review:
        return HELD
    return SHOWN


def audience_label(question: Question) -> str:
    """Who may read the thread, in words: public, members only, or one cohort by name."""
    if question.visibility == Visibility.COHORT:
        return _("Only %(cohort)s") % {"cohort": question.cohort.name}
    if question.visibility == Visibility.PUBLIC:
        return _("Public")
    return _("Members only")


def _signed(question: Question, writer_id, name: str, *, theirs: bool = True) -> str:
    """The name as the thread signs it for members (`forum_tags.signed_name`), with the
    writer's own name beside an anonymous signature when the export is of their record."""
    return signed_name(question, writer_id, name, {"signed_in": True, "see_asker": theirs})


def _day_bounds(start: datetime.date, end: datetime.date) -> tuple:
    """The range's first and last days, whole, in the site's time zone."""
    first = datetime.datetime.combine(start, datetime.time.min)
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(first), timezone.make_aware(after)


def collect(author_ids: list[int], start: datetime.date, end: datetime.date) -> list[Entry]:
    """What ``author_ids`` wrote from ``start`` to ``end`` (whole days), oldest first: five
    queries at most, whatever its size."""
    since, before = _day_bounds(start, end)
    written = {"created_at__gte": since, "created_at__lt": before}
    by_them = {"author_id__in": author_ids, **written}
    entries = [
        _entry("question", question, question, None, question.author_id, question.author_name)
        for question in Question.objects.filter(**by_them).select_related("cohort")
    ]
    for answer in Answer.objects.filter(**by_them).select_related("question__cohort"):
        entries.append(
            _entry("answer", answer, answer.question, None, answer.author_id, answer.author_name)
        )
    for comment in Comment.objects.filter(**by_them).select_related(
        "question__cohort", "answer__question__cohort"
    ):
        thread = comment.question or comment.answer.question
        on = comment.answer or thread
        entries.append(
            _entry("comment", comment, thread, on, comment.author_id, comment.author_name)
        )
    for revision in Revision.objects.filter(editor_id__in=author_ids, **written).select_related(
        "question__cohort", "answer__question__cohort"
    ):
        post = revision.question or revision.answer
        entries.append(
            _entry(
                "revision", revision, post.thread, post, revision.editor_id, revision.editor_name
            )
        )
    _attach_redactions(entries)
    entries.sort(key=lambda e: (e.post.created_at, KINDS.index(e.kind), e.post.pk))
    return entries


def _entry(kind: str, post, thread: Question, on, writer_id: int | None, name: str) -> Entry:
    return Entry(
        kind,
        post,
        thread,
        on,
        _signed(thread, writer_id, name),
        is_signed_anonymously(thread, writer_id),
    )


def _attach_redactions(entries: list[Entry]) -> None:
    """Every redaction of the entries' posts, in one query."""
    wanted: dict[str, set[int]] = {"question": set(), "answer": set(), "comment": set()}
    for entry in entries:
        wanted[entry.written.kind].add(entry.written.pk)
    condition = Q()
    for kind, pks in wanted.items():
        if pks:
            condition |= Q(**{f"{kind}_id__in": pks})
    if not condition:
        return
    found: dict[tuple[str, int], list[Redaction]] = {}
    for redaction in Redaction.objects.filter(condition):
        for kind in wanted:
            if getattr(redaction, f"{kind}_id"):
                found.setdefault((kind, getattr(redaction, f"{kind}_id")), []).append(redaction)
    for entry in entries:
        entry.redactions = found.get((entry.written.kind, entry.written.pk), [])


def _url(entry: Entry) -> str:
    post = entry.written
    if post.kind == "question":
        return base_url() + post.get_absolute_url()
    anchor = f"#{post.kind}-{post.pk}"
    return base_url() + entry.thread.get_absolute_url() + anchor


def row(entry: Entry) -> dict:
    """An entry as `posts.json` and `posts.csv` give it (redactions as a list; the CSV
    joins them)."""
    post = entry.post
    on = entry.on
    return {
        "kind": entry.kind,
        "id": post.pk,
        "thread_id": entry.thread.pk,
        "thread_title": entry.thread.title,
        "audience": audience_label(entry.thread),
        "on_kind": on.kind if on is not None else "",
        "on_id": on.pk if on is not None else "",
        "revision_number": post.number if entry.kind == "revision" else "",
        "created_at": post.created_at.isoformat(),
        "author": entry.author,
        "signed_anonymously": entry.anonymous,
        "status": entry.status,
        "title": getattr(post, "title", ""),
        "body": post.body,
        "edit_reason": post.reason if entry.kind == "revision" else "",
        "redactions": [
            {"at": redaction.created_at.isoformat(), "reason": redaction.reason}
            for redaction in entry.redactions
        ],
        "url": _url(entry),
    }


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for found in rows:
        redactions = "; ".join(f"{r['at']}: {r['reason']}" for r in found["redactions"])
        writer.writerow({**found, "redactions": redactions})
    return out.getvalue()


@dataclass
class Context:
    """A post by someone else that an exported post needs beside it, as the thread signs
    it; without its text when moderators hid or held it."""

    post: object
    author: str
    status: str
    withheld: bool

    @property
    def body(self) -> str:
        return "" if self.withheld else self.post.body


def threads(entries: list[Entry], author_ids: list[int]) -> list[dict]:
    """The entries grouped by thread (in order of their first entry), each with the
    question, and each comment's answer, as context where they are not entries themselves."""
    authors = set(author_ids)
    grouped: dict[int, dict] = {}
    for entry in entries:
        thread = entry.thread
        found = grouped.setdefault(
            thread.pk, {"thread": thread, "audience": audience_label(thread), "entries": []}
        )
        found["entries"].append(entry)
    for found in grouped.values():
        exported = {(e.post.kind, e.post.pk) for e in found["entries"] if e.kind != "revision"}
        found["question"] = _context(found["thread"], found["thread"], exported, authors)
        for entry in found["entries"]:
            if entry.kind == "comment" and entry.on.kind == "answer":
                entry.context = _context(entry.on, found["thread"], exported, authors)
    return list(grouped.values())


def _context(post, thread: Question, exported: set, authors: set) -> Context | None:
    if (post.kind, post.pk) in exported:
        return None
    theirs = post.author_id in authors
    status = _status(post)
    author = _signed(thread, post.author_id, post.author_name, theirs=theirs)
    # Their own writing is theirs, hidden or not; someone else's hidden text stays out.
    return Context(post, author, status, withheld=status != SHOWN and not theirs)


def subject_label(*, office: Jurisdiction | None, person: User | None) -> str:
    """Whose posts, as the HTML's heading names them: never an email address."""
    return str(office) if office is not None else person.display_name


def build_zip(
    entries: list[Entry], *, author_ids: list[int], meta: dict, subject: str, made_at
) -> bytes:
    rows = [row(entry) for entry in entries]
    html = render_to_string(
        "reports/records/index.html",
        {
            "meta": meta,
            "subject": subject,
            "made_at": made_at,
            "threads": threads(entries, author_ids),
        },
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("posts.json", json.dumps({"export": meta, "posts": rows}, indent=2))
        archive.writestr("posts.csv", _csv(rows))
        archive.writestr("index.html", html)
    return out.getvalue()


def _authors(office: Jurisdiction | None, person: User | None) -> list[User]:
    if person is not None:
        return [person]
    return list(User.objects.filter(jurisdiction=office).order_by("pk"))


@transaction.atomic
def export_records(
    *,
    by,
    start: datetime.date,
    end: datetime.date,
    office: Jurisdiction | None = None,
    person: User | None = None,
) -> Export:
    """Export what the people of ``office``, or ``person``, wrote from ``start`` to ``end``
    (whole days, both included); log it and tell each person whose posts are in it."""
    check_export_records(by)
    if (office is None) == (person is None):
        raise RecordsError(_("Choose an office or one person."))
    if start > end:
        raise RecordsError(_("The range must not end before it starts."))
    people = _authors(office, person)
    author_ids = [p.pk for p in people]
    entries = collect(author_ids, start, end)
    counts = {kind: sum(1 for e in entries if e.kind == kind) for kind in KINDS}
    wrote = {e.post.editor_id if e.kind == "revision" else e.post.author_id for e in entries}
    told = [p for p in people if p.pk in wrote and p.deleted_at is None]
    counts["people"] = len(told)
    made_at = timezone.now()
    meta = {
        "office": {"id": office.pk, "name": str(office)} if office else None,
        "person": {"id": person.pk, "name": person.display_name} if person else None,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "made_at": made_at.isoformat(),
        "counts": counts,
    }
    subject = subject_label(office=office, person=person)
    content = build_zip(entries, author_ids=author_ids, meta=meta, subject=subject, made_at=made_at)
    log(
        instance=office or person,
        action=LOG_ACTION,
        user=by,
        data={k: meta[k] for k in ("office", "person", "start", "end", "counts")},
    )
    tell(told, start=start, end=end, made_at=made_at)
    name = office.slug if office else f"person-{person.pk}"
    return Export(f"public-records-{name}-{start}-{end}.zip", content, counts)


def tell(people: list[User], *, start, end, made_at) -> None:
    """Each person's inbox item (the range as an ISO interval in its note, which
    `notifications.inbox` words) and email: who (the site's administrators), when and for
    which dates, nothing more."""
    interval = f"{start.isoformat()}/{end.isoformat()}"
    Notification.objects.bulk_create(
        Notification(recipient=p, kind=Kind.RECORDS_EXPORTED, note=interval, created_at=made_at)
        for p in people
    )
    unread.forget([p.pk for p in people])
    context = {"start": start, "end": end, "made_at": made_at, "site_url": base_url()}
    queue_emails(
        [
            {
                "to": [p.email],
                "subject": settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
                + render_to_string("reports/records/email_subject.txt", context).strip(),
                "text": render_to_string("reports/records/email.txt", {**context, "user": p}),
            }
            for p in people
        ]
    )
