from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.models import User
from cohorts.membership import belongs
from cohorts.models import Cohort
from forum import permissions as forum_permissions
from forum.models import Question, Topic

from . import emails, inbox, services
from .forms import (
    CohortLevelForm,
    EmailSettingsForm,
    FollowForm,
    FollowLevelsForm,
    TopicLevelForm,
)
from .models import DIGEST, MENTIONS, OWN_POSTS, WATCHED, Follow, Level, Notification

# What each kind of email is, in the words of the unsubscribe page.
EMAIL_KIND_NAMES = {
    OWN_POSTS: gettext_lazy("email about answers and comments on your questions and posts"),
    MENTIONS: gettext_lazy("email when someone mentions you"),
    WATCHED: gettext_lazy("email about what you watch"),
    DIGEST: gettext_lazy("the digest of new questions in the topics and cohorts you follow"),
}
# What following a thread at each level means, said beside the button and after a change.
FOLLOW_MESSAGES = {
    Level.WATCHING: gettext_lazy(
        "You follow this thread: you hear of every new answer and comment."
    ),
    Level.NORMAL: gettext_lazy(
        "You hear of this thread only what concerns you: answers to your question, "
        "comments on your posts, mentions of you."
    ),
    Level.MUTED: gettext_lazy("This thread is muted: you hear nothing of it."),
}


def follow_panel(request, question) -> list[str]:
    """The Follow/Unfollow box beside a thread (`forum.hooks.THREAD_PANELS`), for anyone
    signed in (the thread page has checked they may read it): one query, their level."""
    if not request.user.is_authenticated:
        return []
    level = (
        Follow.objects.filter(user=request.user, question=question)
        .values_list("level", flat=True)
        .first()
    ) or Level.NORMAL
    return [
        render_to_string(
            "notifications/includes/follow_panel.html",
            {"question": question, "level": level, "explanation": FOLLOW_MESSAGES[level]},
            request=request,
        )
    ]


@login_required
def inbox_page(request):
    items, next_before = inbox.page(request.user, before=request.GET.get("before"))
    return render(
        request,
        "notifications/inbox.html",
        {"items": items, "next_before": next_before, "paged": "before" in request.GET},
    )


@login_required
def open_item(request, pk: int):
    """Follow an inbox item's link: it is marked read, and the reader taken to it."""
    notification = get_object_or_404(
        inbox.for_inbox(Notification.objects.filter(recipient=request.user)), pk=pk
    )
    item = inbox.describe(notification, request.user)
    if item is None:
        raise Http404
    services.mark_read(user=request.user, notification=notification)
    return redirect(item.url)


@login_required
@require_POST
def mark_all_read(request):
    services.mark_all_read(user=request.user)
    messages.success(request, _("Everything in your inbox is marked as read."))
    return redirect("notifications:inbox")


@login_required
@require_POST
def follow_question(request, pk: int):
    question = get_object_or_404(Question.objects.defer("body", "body_html"), pk=pk)
    # Before the form: a thread one may not read answers 404 whatever was posted.
    forum_permissions.check_read_question(request.user, question)
    form = FollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose watching, normal or muted."))
        return redirect(question)
    follow = services.follow_question(
        user=request.user, question=question, level=form.cleaned_data["level"]
    )
    messages.success(request, FOLLOW_MESSAGES[follow.level])
    return redirect(question)


def topic_panel(request, topic) -> list[str]:
    """The "Follow this topic" box on a topic's questions (`forum.hooks.TOPIC_PANELS`)."""
    if not request.user.is_authenticated:
        return []
    level = (
        Follow.objects.filter(user=request.user, topic=topic)
        .values_list("level", flat=True)
        .first()
    )
    return [
        _follow_box(
            request,
            heading=_("Follow this topic"),
            box_id="topic-follow",
            action=reverse("notifications:follow_topic", args=[topic.slug]),
            form=TopicLevelForm(initial={"level": level or ""}),
        )
    ]


def _follow_box(request, **context) -> str:
    """The box that follows a topic or a cohort at a level: its ``heading``, ``box_id``,
    the ``action`` it posts to and its ``form``."""
    return render_to_string("notifications/includes/follow_box.html", context, request=request)


@login_required
@require_POST
def follow_topic(request, slug: str):
    topic = get_object_or_404(Topic, slug=slug)
    form = TopicLevelForm(request.POST)
    if form.is_valid():
        services.follow_topic(
            user=request.user, topic=topic, level=form.cleaned_data["level"] or None
        )
        messages.success(request, _("Your choice for this topic is saved."))
    else:
        messages.error(request, _("Choose how to follow this topic."))
    # Back to the page the box was on (the topic's page or its list of questions).
    return _back(request) or redirect("forum:topic", slug=topic.slug)


def _back(request):
    """A redirect to the page a box was on (its ``next``), if that is on this site."""
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return None


def cohort_panel(request, cohort) -> str:
    """The "Follow this cohort" box in a cohort's space (`cohorts.hooks.COHORT_PANELS`),
    for its members (moderators who read its threads without belonging see none)."""
    if not belongs(request.user, cohort):
        return ""
    level = (
        Follow.objects.filter(user=request.user, cohort=cohort)
        .values_list("level", flat=True)
        .first()
    )
    return _follow_box(
        request,
        heading=_("Follow this cohort"),
        box_id="cohort-follow",
        action=reverse("notifications:follow_cohort", args=[cohort.slug]),
        form=CohortLevelForm(initial={"level": level or ""}),
    )


@login_required
@require_POST
def follow_cohort(request, slug: str):
    """Only members may follow a cohort; to anyone else it answers as if it did not exist
    (an unlisted cohort is unknown to non-members)."""
    cohort = get_object_or_404(Cohort, slug=slug)
    if not belongs(request.user, cohort):
        raise Http404
    form = CohortLevelForm(request.POST)
    if form.is_valid():
        services.follow_cohort(
            user=request.user, cohort=cohort, level=form.cleaned_data["level"] or None
        )
        messages.success(request, _("Your choice for this cohort is saved."))
    else:
        messages.error(request, _("Choose how to follow this cohort."))
    return _back(request) or redirect("notifications:settings")


@login_required
def email_settings(request):
    """Email choices, a level for every topic, and for each cohort one follows (a former
    member may only stop following it)."""
    user = request.user
    levels = {}
    for topic_id, cohort_id, level in Follow.objects.filter(user=user, question=None).values_list(
        "topic_id", "cohort_id", "level"
    ):
        levels[("topic", topic_id) if topic_id else ("cohort", cohort_id)] = level
    followed_cohorts = [pk for kind, pk in levels if kind == "cohort"]
    data = request.POST if request.method == "POST" else None
    form = EmailSettingsForm(data, instance=services.email_settings(user))
    levels_form = FollowLevelsForm(
        data,
        topics=list(Topic.objects.all()),
        cohorts=list(Cohort.objects.filter(pk__in=followed_cohorts)) if followed_cohorts else [],
        levels=levels,
    )
    if data is not None and form.is_valid() and levels_form.is_valid():
        with transaction.atomic():
            services.update_email_settings(user=user, **form.cleaned_data)
            for name, kind, followed, level in levels_form.changes():
                try:
                    if kind == "topic":
                        services.follow_topic(user=user, topic=followed, level=level)
                    else:
                        services.follow_cohort(user=user, cohort=followed, level=level)
                except services.NotificationError as error:
                    levels_form.add_error(name, str(error))
            if levels_form.errors:
                transaction.set_rollback(True)
        if not levels_form.errors:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:settings")
    return render(
        request, "notifications/settings.html", {"form": form, "levels_form": levels_form}
    )


@csrf_exempt  # RFC 8058: a mail client's one-click POST carries no CSRF token; the
# signed token in the address is the proof, and all it can do is turn email off.
def unsubscribe(request, token: str):
    """Stop one kind of email from a link in it, without signing in. GET asks (a link
    scanner following it changes nothing); POST, from that page or from a mail client's
    one-click unsubscribe, does it."""
    found = emails.read_unsubscribe_token(token)
    user = found and User.objects.filter(pk=found[0], is_active=True).first()
    if not user or found[1] not in EMAIL_KIND_NAMES:
        raise Http404
    done = request.method == "POST"
    if done:
        services.unsubscribe(user=user, kind=found[1])
    return render(
        request,
        "notifications/unsubscribe.html",
        {"kind_name": EMAIL_KIND_NAMES[found[1]], "done": done},
    )
