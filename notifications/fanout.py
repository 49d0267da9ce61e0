"""Who is told of something that happened in a thread, run by the background task
(`tasks.deliver`) once the change has committed, never in the request that made it.

The rules, by what happened (nobody is told of what they did themselves; a thread someone
muted tells them nothing; each person gets one item per event, the first that applies):
- a new answer: the asker ("answered your question", email: own posts), anyone mentioned in
  it, everyone watching the thread;
- a new comment: the author of the post it is on (own posts), anyone mentioned, everyone
  watching the thread;
- an answer accepted: its author (own posts);
- a new question: anyone mentioned in it, everyone watching one of its topics or, for a
  cohort-only question, its cohort (unless they muted another of them, or the cohort).
An item is dated when what it tells of happened. Something that happened more than
EMAIL_WITHIN ago (threads imported with their history, such as the demo's) goes to the
inbox without email: mail about last month is noise.
Asking follows the thread as *watching*; answering and commenting as *normal*, unless the
person chose a level for it already. Mentions reach verified members and experts only, and
everyone is told only of a thread they may read now (`forum.audience`).

The work is a fixed number of queries whatever the number of followers: they are read,
their roles and cohorts loaded, their items and email written in bulk."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.permissions import is_verified_member, load_roles
from cohorts.membership import load_cohorts
from core.email import queue_emails
from forum import audience
from forum import signals as forum_signals
from forum.models import Answer, Comment, Flag, Question, Topic, posts_of_kind

from . import emails, inbox, unread
from .mentions import mentioned
from .models import MENTIONS, OWN_POSTS, WATCHED, EmailSettings, Follow, Kind, Level, Notification
from .services import start_following

EMAIL_WITHIN = datetime.timedelta(days=7)
_FOLLOWS_AS = {
    forum_signals.ASKED: Level.WATCHING,
    forum_signals.ANSWERED: Level.NORMAL,
    forum_signals.COMMENTED: Level.NORMAL,
}


class _Recipients:
    """Who is to be told what: the first offer to each person stands."""

    def __init__(self, *, actor_id: int, muted: set[int]):
        self.excluded = muted | {actor_id}
        self.offers: dict[int, tuple[str, str, Topic | None]] = {}

    def offer(self, user_id: int | None, kind: str, email_kind: str, topic=None) -> None:
        if user_id is None or user_id in self.excluded or user_id in self.offers:
            return
        self.offers[user_id] = (kind, email_kind, topic)

    def offer_mentions(self, text: str) -> None:
        for user in mentioned(text):
            self.offer(user.pk, Kind.MENTION, MENTIONS)

    def may_be_told(self, user, question: Question) -> bool:
        """Only of a thread they may read now; of a mention, only verified members."""
        return audience.may_read(user, question) and (
            self.offers[user.pk][0] != Kind.MENTION or is_verified_member(user)
        )


def _post(activity: str, post_id: int | None):
    if activity == forum_signals.COMMENTED:
        return Comment.objects.select_related("answer").filter(pk=post_id).first()
    if activity in (forum_signals.ANSWERED, forum_signals.ACCEPTED):
        return Answer.objects.filter(pk=post_id).first()
    return None


@transaction.atomic
def deliver(*, activity: str, question_id: int, actor_id: int, post_id: int | None) -> int:
    """Tell whoever should be told of ``activity``; returns how many were. Something
    deleted meanwhile tells no one."""
    question = Question.objects.filter(pk=question_id).first()
    post = _post(activity, post_id)
    if question is None or (post_id is not None and post is None):
        return 0
    if activity in _FOLLOWS_AS:
        start_following(user_ids=[actor_id], question_id=question.pk, level=_FOLLOWS_AS[activity])
    levels = dict(Follow.objects.filter(question=question).values_list("user_id", "level"))
    recipients = _Recipients(
        actor_id=actor_id, muted={pk for pk, level in levels.items() if level == Level.MUTED}
    )
    watchers = [pk for pk, level in levels.items() if level == Level.WATCHING]
    if activity == forum_signals.ANSWERED:
        recipients.offer(question.author_id, Kind.ANSWER, OWN_POSTS)
        recipients.offer_mentions(post.body)
        for pk in watchers:
            recipients.offer(pk, Kind.ANSWER, WATCHED)
    elif activity == forum_signals.COMMENTED:
        recipients.offer((post.answer or question).author_id, Kind.COMMENT, OWN_POSTS)
        recipients.offer_mentions(post.body)
        for pk in watchers:
            recipients.offer(pk, Kind.COMMENT, WATCHED)
    elif activity == forum_signals.ACCEPTED:
        recipients.offer(post.author_id, Kind.ACCEPTED, OWN_POSTS)
    elif activity == forum_signals.ASKED:
        recipients.offer_mentions(f"{question.title}\n{question.body}")
        _offer_watchers(recipients, question)
    # An acceptance is the question's last change; anything else, when the post was written.
    happened = question.updated_at if activity == forum_signals.ACCEPTED else None
    return _notify(question, post, recipients, happened or (post or question).created_at)


def _offer_watchers(recipients: _Recipients, question: Question) -> None:
    """Those watching the question's cohort or one of its topics, the cohort first (its
    item names the cohort, a topic's the topic)."""
    topics = {topic.pk: topic for topic in question.topics.all()}
    followed = Q(topic__in=topics)
    if question.cohort_id is not None:
        followed |= Q(cohort_id=question.cohort_id)
    rows = list(Follow.objects.filter(followed).values_list("user_id", "level", "topic_id"))
    rows.sort(key=lambda row: row[2] is not None)
    muted = {pk for pk, level, _ in rows if level == Level.MUTED}
    for pk, level, topic_id in rows:
        if level == Level.WATCHING and pk not in muted:
            recipients.offer(pk, Kind.NEW_QUESTION, WATCHED, topics.get(topic_id))


def _notify(question: Question, post, recipients: _Recipients, happened) -> int:
    users = list(User.objects.filter(pk__in=recipients.offers, is_active=True))
    load_roles(users)
    load_cohorts(users)
    users = [user for user in users if recipients.may_be_told(user, question)]
    if not users:
        return 0
    notifications = []
    for user in users:
        kind, _, topic = recipients.offers[user.pk]
        notification = Notification(
            recipient=user, kind=kind, question=question, topic=topic, created_at=happened
        )
        if isinstance(post, Answer):
            notification.answer = post
        elif isinstance(post, Comment):
            notification.comment = post
        notifications.append(notification)
    Notification.objects.bulk_create(notifications)
    if timezone.now() - happened <= EMAIL_WITHIN:
        _email(notifications, {pk: offer[1] for pk, offer in recipients.offers.items()})
    unread.forget([user.pk for user in users])
    return len(notifications)


def _email(notifications: list[Notification], email_kinds: dict[int, str]) -> None:
    """Email each recipient whose settings want their kind of email (``email_kinds``, by
    recipient; none for those not in it)."""
    chosen = {
        found.user_id: found
        for found in EmailSettings.objects.filter(
            user_id__in=[n.recipient_id for n in notifications]
        )
    }
    messages = []
    for notification in notifications:
        user = notification.recipient
        email_kind = email_kinds.get(user.pk)
        if email_kind is None or not chosen.get(user.pk, EmailSettings(user=user)).wants(
            email_kind
        ):
            continue
        item = inbox.describe(notification, user)
        if item is not None:
            messages.append(emails.about_item(item, user=user, kind=email_kind))
    queue_emails(messages)


@transaction.atomic
def tell_moderation(*, event: str, flag_ids: list[int], question_id: int, post) -> int:
    """A report's course (`forum.signals.moderation`): the post's author is told that it is
    held, or what a moderator decided (inbox, and email of their own posts); those who
    reported it are told the decision (inbox only). Returns how many were told."""
    kind, pk = post
    target = posts_of_kind(kind).filter(pk=pk).first()
    flags = list(Flag.objects.filter(pk__in=flag_ids).order_by("pk"))
    if target is None or not flags:
        return 0
    about = {"question_id": question_id, **({kind: target} if kind != "question" else {})}
    rows = []
    if target.author_id is not None:
        told = Kind.HELD if event == forum_signals.HELD else Kind.POST_DECIDED
        rows.append(Notification(recipient_id=target.author_id, kind=told, flag=flags[0], **about))
    if event != forum_signals.HELD:
        rows += [
            Notification(recipient_id=flag.flagger_id, kind=Kind.FLAG_DECIDED, flag=flag, **about)
            for flag in flags
            if flag.flagger_id is not None
        ]
    people = User.objects.in_bulk([row.recipient_id for row in rows])
    rows = [row for row in rows if row.recipient_id in people]
    for row in rows:
        row.recipient = people[row.recipient_id]
    Notification.objects.bulk_create(rows)
    _email(rows, {target.author_id: OWN_POSTS} if target.author_id else {})
    unread.forget([row.recipient_id for row in rows])
    return len(rows)
