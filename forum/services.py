"""State changes for the forum. Views, commands and tests call these, never a raw save().

Each function is one transaction, checks the actor's permission through
`forum.permissions` (so every caller obeys the same rules) and bumps the thread's
`version`, which keys the cached question page."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import BadRequest
from django.db import transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.html import escape
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from accounts.permissions import is_verified_official
from cohorts.membership import belongs
from cohorts.models import Cohort
from core.events import send_after_commit
from core.models import OutgoingEmail

from . import audience, limits, permissions, signals
from .models import (
    MAX_TOPICS,
    TITLE_MAX,
    Answer,
    CloseReason,
    Comment,
    Flag,
    FlagReason,
    FlagStatus,
    Question,
    QuestionState,
    Redaction,
    Revision,
    Status,
    Topic,
    Visibility,
    Vote,
)
from .rendering import render_inline_markdown, render_markdown
from .signals import threads_changed


class ForumError(BadRequest):
    """A request that breaks a forum rule; the message is shown to the person. A view that
    does not catch it answers 400 (never 500)."""


@transaction.atomic
def sync_topics(*, taxonomy: dict) -> tuple[int, int]:
    """Create or update topics from the taxonomy document; returns (created, updated).
    Topics missing from the document are kept: questions and pages may still use them."""
    created = updated = 0
    for position, entry in enumerate(taxonomy["tags"]):
        _, was_created = Topic.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "group": entry["group"],
                "group_slug": entry["group_slug"],
                "description": entry["description"],
                "basis": entry["basis"],
                "position": position,
            },
        )
        created += was_created
        updated += not was_created
    return created, updated


def _save_valid(instance):
    """Save after checking the model's own limits (lengths, choices), so callers that skip
    forms (commands, loaders) cannot store what a form would refuse."""
    instance.clean_fields()
    instance.save()
    return instance


def _byline(user) -> dict:
    office = user.jurisdiction
    shown = office if office and user.show_jurisdiction else None
    return {
        "author": user,
        "author_name": user.display_name,
        "author_role": permissions.author_role(user),
        "author_office": str(shown) if shown else "",
        "author_size_band": shown.size_band if shown else "",
        "author_jurisdiction": shown,
        "author_state": office.state_abbr if office else "",
    }


@transaction.atomic
def update_bylines(*, user, hide_office: bool = False, forget: bool = False) -> None:
    """Carry a profile change onto the bylines already copied into ``user``'s posts: their
    current display name, and, with ``hide_office``, no office. ``forget`` (account
    deletion) also detaches the posts from the account. Cached pages are refreshed."""
    mine = {"author": user}
    comments = Comment.objects.filter(**mine)
    answer_pks = {
        *Answer.objects.filter(**mine).values_list("pk", flat=True),
        *comments.filter(answer__isnull=False).values_list("answer", flat=True),
    }
    thread_pks = {
        *Question.objects.filter(**mine).values_list("pk", flat=True),
        *comments.filter(question__isnull=False).values_list("question", flat=True),
        *Answer.objects.filter(pk__in=answer_pks).values_list("question", flat=True),
    }
    changes = {"author_name": user.display_name} | ({"author": None} if forget else {})
    post_changes = changes | (
        {"author_office": "", "author_size_band": "", "author_jurisdiction": None}
        if hide_office
        else {}
    )
    Question.objects.filter(**mine).update(**post_changes)
    Answer.objects.filter(**mine).update(**post_changes)
    comments.update(**changes)
    Revision.objects.filter(editor=user).update(editor_name=user.display_name)
    _bump_answers(*answer_pks)
    Question.objects.filter(pk__in=thread_pks).update(version=F("version") + 1)
    send_after_commit(threads_changed, Question, question_ids=thread_pks, readers_changed=True)


@transaction.atomic
def touch_threads(*, question_ids) -> None:
    """Something another app shows inside these threads' cached pages changed (a guide
    featuring them was published, moved or unpublished): new versions, so their cached
    layers and visitors' pages are rendered again. Nothing in the threads themselves
    changed, so nothing is announced."""
    question_ids = [pk for pk in question_ids if pk is not None]
    if question_ids:
        Question.objects.filter(pk__in=question_ids).update(version=F("version") + 1)


def _touch(question: Question, *, activity: bool = True, readers_changed: bool = False) -> None:
    """Mark the thread changed: new version (cache keys) and, usually, latest activity.
    ``readers_changed``: who may read it changed (see `signals.threads_changed`)."""
    changes = {"version": F("version") + 1}
    if activity:
        changes["last_activity_at"] = timezone.now()
    Question.objects.filter(pk=question.pk).update(**changes)
    send_after_commit(
        threads_changed, Question, question_ids=[question.pk], readers_changed=readers_changed
    )


def _announce(activity: str, *, question: Question, actor, post=None) -> None:
    """Tell those who may want to know (`signals.thread_activity`), once this commits."""
    send_after_commit(
        signals.thread_activity,
        Question,
        activity=activity,
        question_id=question.pk,
        actor_id=actor.pk,
        post_id=post.pk if post is not None else None,
    )


def _bump_answers(*pks: int) -> None:
    """Mark answers changed: new versions for their cached fragments."""
    Answer.objects.filter(pk__in=pks).update(version=F("version") + 1)


def _record_revision(*, post: Question | Answer, editor, reason: str) -> Revision:
    last = post.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return Revision.objects.create(
        **{post.kind: post},
        number=last + 1,
        title=getattr(post, "title", ""),
        body=post.body,
        editor=editor,
        editor_name=editor.display_name,
        reason=reason,
    )


def _set_states(question: Question, states: list[str]) -> None:
    question.states.all().delete()
    QuestionState.objects.bulk_create(
        QuestionState(question=question, state=state) for state in sorted(set(states))
    )


def _check_audience(visibility: str, cohort: Cohort | None) -> None:
    """A cohort-only thread names its cohort, and no other thread names one."""
    if visibility not in Visibility.values:
        raise ForumError("Choose who may read the thread.")
    if (visibility == Visibility.COHORT) != (cohort is not None):
        raise ForumError("Choose the cohort whose members may read the thread.")


def _check_topics(topics: list[Topic]) -> None:
    if not 1 <= len(topics) <= MAX_TOPICS:
        raise ForumError("Choose between one and five topics.")


@transaction.atomic
def ask_question(
    *,
    author,
    title: str,
    body: str,
    topics: list[Topic],
    states: list[str],
    visibility: str,
    cohort: Cohort | None = None,
    is_anonymous: bool = False,
) -> Question:
    """Ask a question of ``visibility``'s audience; a cohort-only one (`Visibility.COHORT`)
    names its ``cohort``, which the asker must belong to (`cohorts.membership.belongs`:
    moderators read every cohort's threads, but ask only into their own)."""
    permissions.check_ask(author)
    _check_topics(topics)
    _check_audience(visibility, cohort)
    if cohort is not None and not belongs(author, cohort):
        raise ForumError("You can ask only into a cohort your office or you belong to.")
    _check_posting_rate(author, limits.QUESTION)
    if not states and author.jurisdiction:
        states = [author.jurisdiction.state_abbr]
    question = _save_valid(
        Question(
            title=title.strip(),
            body=body,
            body_html=render_markdown(body),
            visibility=visibility,
            cohort=cohort,
            is_anonymous=is_anonymous,
            **_byline(author),
        )
    )
    question.topics.set(topics)
    _set_states(question, states)
    _record_revision(post=question, editor=author, reason="Original question")
    send_after_commit(threads_changed, Question, question_ids=[question.pk], readers_changed=False)
    _announce(signals.ASKED, question=question, actor=author)
    return question


@transaction.atomic
def edit_question(
    *,
    question: Question,
    editor,
    title: str,
    body: str,
    topics: list[Topic],
    states: list[str],
    reason: str,
) -> Question:
    permissions.check_edit(editor, question)
    _check_topics(topics)
    changed = (title.strip(), body) != (question.title, question.body)
    if changed:
        question.title = title.strip()
        question.body = body
        question.body_html = render_markdown(body)
        question.clean_fields()
        question.save(update_fields=["title", "body", "body_html", "updated_at"])
        _record_revision(post=question, editor=editor, reason=reason)
    question.topics.set(topics)
    if states:
        _set_states(question, states)
    _touch(question)
    return question


@transaction.atomic
def post_answer(*, question: Question, author, body: str) -> Answer:
    permissions.check_answer(author, question)
    _check_posting_rate(author, limits.ANSWER)
    answer = _save_valid(
        Answer(question=question, body=body, body_html=render_markdown(body), **_byline(author))
    )
    _record_revision(post=answer, editor=author, reason="Original answer")
    Question.objects.filter(pk=question.pk).update(answer_count=F("answer_count") + 1)
    if author.pk != question.author_id:
        Question.objects.filter(pk=question.pk, first_answered_at=None).update(
            first_answered_at=answer.created_at
        )
    _touch(question)
    _announce(signals.ANSWERED, question=question, actor=author, post=answer)
    return answer


@transaction.atomic
def edit_answer(*, answer: Answer, editor, body: str, reason: str) -> Answer:
    permissions.check_edit(editor, answer)
    if body != answer.body:
        answer.body = body
        answer.body_html = render_markdown(body)
        answer.clean_fields()
        answer.version = F("version") + 1
        answer.save(update_fields=["body", "body_html", "version", "updated_at"])
        answer.refresh_from_db(fields=["version"])
        _record_revision(post=answer, editor=editor, reason=reason)
        _touch(answer.question)
    return answer


@transaction.atomic
def add_comment(
    *, author, body: str, question: Question | None = None, answer: Answer | None = None
) -> Comment:
    if (question is None) == (answer is None):
        raise ForumError("A comment belongs to exactly one question or answer.")
    thread = question or answer.thread
    permissions.check_read_post(author, answer or question)
    permissions.check_comment(author, thread)
    _check_posting_rate(author, limits.COMMENT)
    comment = _save_valid(
        Comment(
            question=question,
            answer=answer,
            body=body,
            body_html=render_inline_markdown(body),
            author=author,
            author_name=author.display_name,
            author_role=permissions.author_role(author),
        )
    )
    if answer is not None:
        _bump_answers(answer.pk)
    _touch(thread)
    _announce(signals.COMMENTED, question=thread, actor=author, post=comment)
    return comment


def _recount_score(post: Question | Answer) -> int:
    score = post.votes.aggregate(total=Coalesce(Sum("value"), 0))["total"]
    type(post).objects.filter(pk=post.pk).update(score=score)
    post.score = score
    return score


@transaction.atomic
def cast_vote(*, user, post: Question | Answer, value: int) -> int:
    """Vote +1 or -1 on a post, or 0 to take a vote back. Voting the same way twice
    changes nothing. Returns the post's new score."""
    if value not in (-1, 0, 1):
        raise ForumError("A vote is up, down or withdrawn.")
    permissions.check_vote(user, post)
    existing = Vote.objects.select_for_update().filter(user=user, **{post.kind: post}).first()
    if existing is None and value == 0:
        return post.score
    if existing is not None and existing.value == value:
        return post.score
    if value == 0:
        existing.delete()
    elif existing is None:
        Vote.objects.create(user=user, value=value, **{post.kind: post})
    else:
        existing.value = value
        existing.save(update_fields=["value"])
    score = _recount_score(post)
    if isinstance(post, Answer):
        _bump_answers(post.pk)
    _touch(post.thread, activity=False)
    return score


@transaction.atomic
def accept_answer(*, question: Question, answer: Answer | None, by) -> Question:
    """Accept ``answer`` (replacing any earlier choice), or withdraw acceptance with None."""
    permissions.check_accept(by, question)
    if answer is not None and (
        answer.question_id != question.pk or answer.is_hidden or answer.held_for_review
    ):
        raise ForumError("That answer does not belong to this question.")
    # Decide from the stored row, not from an object that may have been loaded earlier.
    previous = (
        Question.objects.select_for_update()
        .values_list("accepted_answer_id", flat=True)
        .get(pk=question.pk)
    )
    if previous == (answer.pk if answer else None):
        question.accepted_answer_id = previous
        return question
    question.accepted_answer = answer
    question.accepted_at = timezone.now() if answer else None
    question.save(update_fields=["accepted_answer", "accepted_at", "updated_at"])
    _bump_answers(*[pk for pk in (previous, answer.pk if answer else None) if pk])
    _touch(question)
    if answer is not None:
        _announce(signals.ACCEPTED, question=question, actor=by, post=answer)
    return question


def _set_status(
    question: Question, status: str, *, reason: str = "", duplicate_of: Question | None = None
) -> Question:
    question.status = status
    question.close_reason = reason
    question.duplicate_of = duplicate_of
    question.save(update_fields=["status", "close_reason", "duplicate_of", "updated_at"])
    _touch(question, activity=False)
    return question


@transaction.atomic
def close_question(
    *, question: Question, by, reason: str, duplicate_of: Question | None = None
) -> Question:
    permissions.check_moderate(by)
    if reason not in CloseReason.values:
        raise ForumError("Choose a reason for closing.")
    if reason == CloseReason.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == question.pk:
            raise ForumError("Say which other question this one duplicates.")
    else:
        duplicate_of = None
    _set_status(question, Status.CLOSED, reason=reason, duplicate_of=duplicate_of)
    duplicate_pk = duplicate_of.pk if duplicate_of else None
    _log_moderation(question, "close", by, {"reason": reason, "duplicate_of": duplicate_pk})
    return question


@transaction.atomic
def reopen_question(*, question: Question, by) -> Question:
    permissions.check_moderate(by)
    if question.status == Status.OPEN:
        return question
    was = question.status
    _set_status(question, Status.OPEN)
    _log_moderation(question, "reopen", by, {"status_was": was})
    return question


@transaction.atomic
def lock_question(*, question: Question, by) -> Question:
    """Lock a thread: no new answers, comments, votes or edits but by moderators."""
    permissions.check_moderate(by)
    if question.status == Status.LOCKED:
        return question
    was = question.status
    _set_status(question, Status.LOCKED)
    _log_moderation(question, "lock", by, {"status_was": was})
    return question


@transaction.atomic
def hide_post(*, post: Question | Answer | Comment, by, hidden: bool = True):
    """Hide a question, answer or comment from everyone but moderators (or show it again).
    It stays in the database for the record."""
    permissions.check_moderate(by)
    if post.is_hidden == hidden:
        return post
    _show(post, held=post.held_for_review, hidden=hidden)
    _log_moderation(post, "hide" if hidden else "unhide", by, {"question": post.thread.pk})
    return post


# ---- flags and the moderation queue (issue 15) ----------------------------------------------
# A flag on a personal-information or security-sensitive detail from a verified official, or
# flags from three different members, hide the post pending review (`held_for_review`): its
# author and moderators still read it, and an edit by the author leaves it held. A moderator
# upholds the flags (the post is hidden, or shown again once edited or redacted) or dismisses
# them (shown again). The author and the flaggers are told (`signals.moderation`).

CONTAINING_REASONS = (FlagReason.PERSONAL, FlagReason.SECURITY)
FLAGS_TO_HOLD = 3


def _flags_on(post):
    return Flag.objects.filter(**{post.kind: post})


def _moderated(event: str, post, flag_ids: list[int]) -> None:
    send_after_commit(
        signals.moderation,
        Flag,
        event=event,
        flag_ids=flag_ids,
        question_id=post.thread.pk,
        post=(post.kind, post.pk),
    )


def _show(post, *, held: bool, hidden: bool | None = None) -> None:
    """Hold a post for review or release it (and hide it, with ``hidden``), keeping the
    thread's count of answers everyone sees and its caches right."""
    was_shown = not post.is_hidden and not post.held_for_review
    post.held_for_review = held
    fields = ["held_for_review"]
    if hidden is not None:
        post.is_hidden = hidden
        fields.append("is_hidden")
    type(post).objects.filter(pk=post.pk).update(
        **{field: getattr(post, field) for field in fields}
    )
    thread = post.thread
    if isinstance(post, Answer):
        shown = not post.is_hidden and not post.held_for_review
        if shown != was_shown:
            Question.objects.filter(pk=thread.pk).update(
                answer_count=F("answer_count") + (1 if shown else -1)
            )
        if post.is_hidden:
            Question.objects.filter(pk=thread.pk, accepted_answer=post).update(
                accepted_answer=None, accepted_at=None
            )
        _bump_answers(post.pk)
    elif isinstance(post, Comment) and post.answer_id:
        _bump_answers(post.answer_id)
    _touch(thread, activity=False, readers_changed=isinstance(post, Question))


@transaction.atomic
def flag_post(*, post, by, reason: str, note: str = "") -> Flag:
    """Report ``post`` (a question, answer or comment); it may be held at once."""
    permissions.check_flag(by, post)
    if post.author_id == by.pk:
        raise ForumError("You cannot report your own post.")
    if reason not in FlagReason.values:
        raise ForumError("Choose a reason.")
    note = note.strip()
    if reason == FlagReason.OTHER and not note:
        raise ForumError("Say what is wrong, so a moderator knows what to look for.")
    if _flags_on(post).filter(flagger=by, status=FlagStatus.OPEN).exists():
        raise ForumError("You have reported this already; a moderator will look at it.")
    flag = _save_valid(Flag(flagger=by, reason=reason, note=note, **{post.kind: post}))
    if reason == FlagReason.SECURITY:
        Question.objects.filter(pk=post.thread.pk).update(security_flagged=True)
    flaggers = _flags_on(post).filter(status=FlagStatus.OPEN).values("flagger").distinct()
    contain = (reason in CONTAINING_REASONS and is_verified_official(by)) or (
        flaggers.count() >= FLAGS_TO_HOLD
    )
    if contain and not post.is_hidden and not post.held_for_review:
        _show(post, held=True)
        _moderated(signals.HELD, post, [flag.pk])
    return flag


def _decide(post, *, by, note: str, status: str, action: str, **shown) -> list[int]:
    permissions.check_moderate(by)
    flags = _flags_on(post).filter(status=FlagStatus.OPEN)
    flag_ids = list(flags.values_list("pk", flat=True))
    if not flag_ids:
        raise ForumError("There are no open flags on this post.")
    flags.update(status=status, decided_by=by, decided_at=timezone.now(), decision_note=note)
    _show(post, held=False, **shown)
    log(
        instance=post.thread,
        action=action,
        user=by,
        data={"post": [post.kind, post.pk], "flags": flag_ids, "note": note},
    )
    return flag_ids


@transaction.atomic
def uphold_flags(*, post, by, note: str, hide: bool = True) -> list[int]:
    """The flags on ``post`` were right: hide it (or, once a moderator has edited or
    redacted what was wrong, ``hide=False`` shows it again). Returns the flags decided."""
    if not note.strip():
        raise ForumError("Say why: the author and the flaggers are told.")
    flag_ids = _decide(
        post,
        by=by,
        note=note.strip(),
        status=FlagStatus.UPHELD,
        action="canvass.forum.flag_uphold",
        hidden=True if hide else post.is_hidden,
    )
    _moderated(signals.UPHELD, post, flag_ids)
    return flag_ids


@transaction.atomic
def dismiss_flags(*, post, by, note: str = "") -> list[int]:
    """The flags on ``post`` were wrong: it is shown again."""
    flag_ids = _decide(
        post,
        by=by,
        note=note.strip(),
        status=FlagStatus.DISMISSED,
        action="canvass.forum.flag_dismiss",
    )
    thread = post.thread
    security = Flag.objects.filter(reason=FlagReason.SECURITY).exclude(status=FlagStatus.DISMISSED)
    in_thread = Q(question=thread) | Q(answer__question=thread) | Q(comment__question=thread)
    in_thread |= Q(comment__answer__question=thread)
    if not security.filter(in_thread).exists():
        Question.objects.filter(pk=thread.pk).update(security_flagged=False)
    _moderated(signals.DISMISSED, post, flag_ids)
    return flag_ids


# ---- moderator verbs and their audit log (issue 15) ----
# Every service a moderator acts through writes Wagtail's audit log (`canvass.forum.*`,
# named in `wagtail_hooks.FORUM_LOG_ACTIONS`) inside its transaction, so no door changes
# forum content without a record, and no record outlives a change rolled back. A request
# that changes nothing logs nothing.


def _log_moderation(instance, verb: str, by, data: dict) -> None:
    log(instance=instance, action=f"canvass.forum.{verb}", user=by, data=data)


@transaction.atomic
def change_audience(
    *, question: Question, visibility: str, by, reason: str, cohort: Cohort | None = None
) -> Question:
    """Make a thread public, members-only or cohort-only (``cohort``: any cohort, as
    moderators read every cohort's threads). Who may read it changes at once: cached pages,
    lists and search stop showing it to those outside its new audience."""
    permissions.check_moderate(by)
    _check_audience(visibility, cohort)
    reason = reason.strip()
    if not reason:
        raise ForumError("Say why the audience changes: it goes on the record.")
    # Decide from the stored row, as accept_answer does.
    stored = Question.objects.select_for_update().values_list("visibility", "cohort_id")
    visibility_was, cohort_was = stored.get(pk=question.pk)
    was = audience.of_thread(Question(visibility=visibility_was, cohort_id=cohort_was))
    question.visibility, question.cohort = visibility, cohort
    now = audience.of_thread(question)
    if was == now:
        return question
    question.save(update_fields=["visibility", "cohort", "updated_at"])
    _touch(question, activity=False, readers_changed=True)
    _log_moderation(question, "audience", by, {"from": was, "to": now, "reason": reason})
    return question


# ---- redaction (issue 15) ----

REDACTED = "[redacted]"


class RedactionError(ForumError):
    """A redaction refused, naming the form field (``text`` or ``reason``) it is about."""

    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.field = field


def _redacted(value: str, text: str) -> str:
    return value.replace(text, REDACTED)


def _redacted_data(value, text: str):
    """A log entry's data with ``text`` replaced in every string it holds."""
    if isinstance(value, str):
        return _redacted(value, text)
    if isinstance(value, list):
        return [_redacted_data(item, text) for item in value]
    if isinstance(value, dict):
        return {key: _redacted_data(item, text) for key, item in value.items()}
    return value


def _redact_copies(post: Question | Answer | Comment, text: str) -> None:
    """Replace ``text`` where the database copied it from ``post``: email waiting in the
    outbox (its HTML part holds it escaped), the audit log's earlier entries about the post
    (their label is the title), and flags' notes on it."""
    escaped = escape(text)
    waiting = OutgoingEmail.objects.filter(
        Q(subject__contains=text) | Q(text__contains=text) | Q(html__contains=escaped)
    )
    for email in waiting:
        email.subject = _redacted(email.subject, text)
        email.text = _redacted(email.text, text)
        email.html = email.html.replace(escaped, REDACTED).replace(text, REDACTED)
        email.save(update_fields=["subject", "text", "html"])
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(post), object_id=str(post.pk)
    )
    for entry in entries:
        entry.label = _redacted(entry.label, text)
        entry.data = _redacted_data(entry.data, text)
        entry.save(update_fields=["label", "data"])
    for flag in post.flags.all():
        flag.note = _redacted(flag.note, text)
        flag.decision_note = _redacted(flag.decision_note, text)
        flag.save(update_fields=["note", "decision_note"])


def _check_redaction(post, revisions: list[Revision], *, text: str, reason: str) -> None:
    if not text.strip():
        raise RedactionError("Give the text to remove.", field="text")
    if text in REDACTED:
        raise RedactionError(
            "That text is part of the mark that replaces redacted text.", field="text"
        )
    if not reason.strip():
        raise RedactionError("Say why the text is removed.", field="reason")
    if text in reason:
        raise RedactionError(
            "The reason is shown to readers: it must not repeat the text.", field="reason"
        )
    held = [getattr(post, "title", ""), post.body]
    for revision in revisions:
        held += [revision.title, revision.body]
    if not any(text in value for value in held):
        raise RedactionError(
            "That text is not in this post or in any of its revisions.", field="text"
        )
    titles = [getattr(post, "title", ""), *(revision.title for revision in revisions)]
    if any(len(_redacted(title, text)) > TITLE_MAX for title in titles):
        raise RedactionError(
            "Marking that text as redacted would make the title too long: choose more of the "
            "text around it.",
            field="text",
        )


@transaction.atomic
def redact_post(*, post: Question | Answer | Comment, text: str, reason: str, by) -> Redaction:
    """Remove ``text`` from a post and from every revision of it, each occurrence replaced
    by "[redacted]", and from what the database copied of it (`_redact_copies`). The record
    (`Redaction`, the audit log) says who did it, when and why, never what was removed. The
    thread is announced as changed with ``readers_changed``, so the search index, visitors'
    cached pages and lists forget the text at once rather than when they expire."""
    permissions.check_moderate(by)
    post = type(post).objects.select_for_update().get(pk=post.pk)
    kind = post._meta.model_name
    revisions = [] if isinstance(post, Comment) else list(post.revisions.all())
    reason = reason.strip()
    _check_redaction(post, revisions, text=text, reason=reason)
    post.body = _redacted(post.body, text)
    if isinstance(post, Comment):
        post.body_html = render_inline_markdown(post.body)
    else:
        post.body_html = render_markdown(post.body)
    changes = {"body": post.body, "body_html": post.body_html}
    if isinstance(post, Question):
        post.title = changes["title"] = _redacted(post.title, text)
    # An update, not a validated save: what is left may be shorter than a post may be.
    type(post).objects.filter(pk=post.pk).update(**changes)
    for revision in revisions:
        revision.title = _redacted(revision.title, text)
        revision.body = _redacted(revision.body, text)
        revision.reason = _redacted(revision.reason, text)
    Revision.objects.bulk_update(revisions, ["title", "body", "reason"])
    _redact_copies(post, text)
    redaction = Redaction.objects.create(
        **{kind: post}, moderator=by, moderator_name=by.display_name, reason=reason
    )
    log(
        instance=post,
        action="canvass.forum.redact",
        user=by,
        data={"kind": kind, "post": post.pk, "reason": reason},
    )
    answer_pk = post.pk if isinstance(post, Answer) else getattr(post, "answer_id", None)
    if answer_pk:
        _bump_answers(answer_pk)
    thread = post.thread if not isinstance(post, Comment) else (post.question or post.answer.thread)
    _touch(thread, activity=False, readers_changed=True)
    return redaction


# ---- posting limits (issue 15) ----


class PostingTooSoon(ForumError):
    """Refused by the posting limits (`limits`); the message says when the person may post
    again, which is also ``until``."""

    def __init__(self, refusal: limits.Refusal):
        super().__init__(refusal.message)
        self.until = refusal.until


def _check_posting_rate(author, kind: str) -> None:
    refusal = limits.refusal(author, kind)
    if refusal is not None:
        raise PostingTooSoon(refusal)


# ---- merge duplicates (issue 15) ----


def _asker_wrote_in(question: Question) -> bool:
    """Whether the asker wrote an answer or comment in their own thread, which their thread
    signs without their name when they asked so (`permissions.is_signed_anonymously`)."""
    asker = question.author_id
    if asker is None:
        return False
    return (
        Answer.objects.filter(question=question, author_id=asker).exists()
        or Comment.objects.filter(question=question, author_id=asker).exists()
        or Comment.objects.filter(answer__question=question, author_id=asker).exists()
    )


def _check_merge(question: Question, into: Question, by) -> None:
    if question.pk == into.pk:
        raise ForumError("A question cannot be merged into itself.")
    if question.merged_into_id is not None:
        raise ForumError("This question was merged into another already.")
    if into.merged_into_id is not None:
        raise ForumError("That question was merged into another: merge into that one.")
    permissions.check_read_question(by, question)
    permissions.check_read_question(by, into)
    if not audience.may_merge_into(question, into):
        raise ForumError(
            "Its answers would reach people who may not read them there: a hidden question, "
            "or a members-only one into a public thread, is not merged. Close it as a "
            "duplicate instead."
        )
    # Moved into a thread someone else asked, what the asker wrote without their name
    # would be signed with it.
    if question.is_anonymous and _asker_wrote_in(question):
        raise ForumError(
            "Its asker wrote in it without their name, which the other thread would show. "
            "Close it as a duplicate instead."
        )


@transaction.atomic
def merge_questions(*, question: Question, into: Question, by, reason: str) -> Question:
    """Merge the duplicate ``question`` into its canonical thread ``into``: its answers,
    comments (on it and on its answers) and votes move there, and whoever follows it follows
    ``into`` (`signals.threads_merged`). ``into`` keeps its own accepted answer; the
    duplicate's acceptance is dropped. A person who voted on both questions keeps their vote
    on ``into``. The duplicate is then read by no one (`audience.may_read`) and its address
    redirects to ``into``. Returns ``into``."""
    permissions.check_moderate(by)
    reason = reason.strip()
    if not reason:
        raise ForumError("Say why the questions are merged.")
    # Both rows locked, in one order, so two moderators merging the pair each way at once
    # cannot both succeed.
    locked = Question.objects.select_for_update().filter(pk__in=[question.pk, into.pk])
    rows = {row.pk: row for row in locked.order_by("pk")}
    if question.pk not in rows or into.pk not in rows:
        raise Http404
    question, into = rows[question.pk], rows[into.pk]
    _check_merge(question, into, by)

    moved_answers = list(question.answers.values_list("pk", flat=True))
    question.answers.update(question=into)
    _bump_answers(*moved_answers)
    question.comments.update(question=into)
    # One vote per person on a post: the canonical's stays; nor does anyone vote on their
    # own question.
    duplicate_votes = question.votes.all()
    duplicate_votes.filter(user__in=into.votes.values("user")).delete()
    duplicate_votes.filter(user=into.author_id).delete()
    duplicate_votes.update(question=into)
    # Threads merged into this one earlier redirect straight to the canonical.
    Question.objects.filter(merged_into=question).update(merged_into=into)

    into.answer_count += question.answer_count
    into.last_activity_at = max(into.last_activity_at, question.last_activity_at)
    answered = [at for at in (into.first_answered_at, question.first_answered_at) if at]
    into.first_answered_at = min(answered, default=None)
    into.version += 1
    into.save(
        update_fields=[
            "answer_count",
            "last_activity_at",
            "first_answered_at",
            "version",
            "updated_at",
        ]
    )
    _recount_score(into)
    question.merged_into = into
    question.accepted_answer = None
    question.accepted_at = None
    question.answer_count = 0
    question.version += 1
    question.save(
        update_fields=[
            "merged_into",
            "accepted_answer",
            "accepted_at",
            "answer_count",
            "version",
            "updated_at",
        ]
    )
    _recount_score(question)

    signals.threads_merged.send(sender=Question, question_id=question.pk, into_id=into.pk)
    log(
        instance=into,
        action="canvass.forum.merge",
        user=by,
        data={"merged": question.pk, "title": question.title, "reason": reason},
    )
    # Who may read both changed (the duplicate: no one), and the bylines moved ones show.
    send_after_commit(
        threads_changed, Question, question_ids=[question.pk, into.pk], readers_changed=True
    )
    return into
