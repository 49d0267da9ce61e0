"""The moderators' flag queue in the Wagtail admin: posts with open flags, oldest first, and
each post's review page with its flags, its author's record and the decision."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import services as account_services
from accounts.models import User

from . import permissions, services
from .models import Flag, FlagReason, FlagStatus, posts_of_kind

PER_PAGE = 20


def _check_moderator(request) -> None:
    if not permissions.can_moderate(request.user):
        raise PermissionDenied


def waiting_count() -> int:
    """How many posts have open flags (the admin menu's count): one query."""
    return (
        Flag.objects.filter(status=FlagStatus.OPEN)
        .values("question_id", "answer_id", "comment_id")
        .distinct()
        .count()
    )


def _post_key(row) -> tuple[str, int]:
    for kind in ("question", "answer", "comment"):
        if row[f"{kind}_id"] is not None:
            return kind, row[f"{kind}_id"]
    raise ValueError("A flag is on exactly one post.")


def queue(request):
    """The posts with open flags, the longest waiting first: a fixed number of queries
    whatever the queue's length (the page's posts, their flags, their authors' records)."""
    _check_moderator(request)
    waiting = list(
        Flag.objects.filter(status=FlagStatus.OPEN)
        .values("question_id", "answer_id", "comment_id")
        .annotate(oldest=Min("created_at"), flags=Count("pk"))
        .order_by("oldest")[:PER_PAGE]
    )
    keys = [_post_key(row) for row in waiting]
    posts = {
        kind: posts_of_kind(kind).in_bulk([pk for k, pk in keys if k == kind])
        for kind in ("question", "answer", "comment")
    }
    reasons: dict[tuple[str, int], set[str]] = {key: set() for key in keys}
    on_page = Q()
    for kind in posts:
        on_page |= Q(**{f"{kind}_id__in": list(posts[kind])})
    for row in Flag.objects.filter(on_page, status=FlagStatus.OPEN).values(
        "reason", "question_id", "answer_id", "comment_id"
    ):
        reasons[_post_key(row)].add(FlagReason(row["reason"]).label)
    rows = [
        {
            "kind": kind,
            "post": posts[kind][pk],
            "oldest": row["oldest"],
            "flags": row["flags"],
            "reasons": sorted(reasons[(kind, pk)]),
        }
        for row, (kind, pk) in zip(waiting, keys, strict=True)
        if pk in posts[kind]
    ]
    return TemplateResponse(
        request, "forum/admin/flag_queue.html", {"rows": rows, "more": len(waiting) == PER_PAGE}
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("hide", gettext_lazy("Uphold: hide the post")),
            ("keep", gettext_lazy("Uphold: I edited or redacted it; show it again")),
            ("dismiss", gettext_lazy("Dismiss: nothing is wrong; show it again")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Note the author and the reporters see"),
        help_text=gettext_lazy("Required when you uphold. Never name who reported the post."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") in ("hide", "keep") and not data.get("note", "").strip():
            self.add_error("note", _("Say why: the author and the reporters are told."))
        return data


class MemberActionForm(forms.Form):
    """What a moderator does about a post's author, besides deciding on the post."""

    action = forms.ChoiceField(
        label=gettext_lazy("Action on the author"),
        choices=[
            (account_services.WARN, gettext_lazy("Warn them")),
            (account_services.SUSPEND, gettext_lazy("Suspend their posting")),
            (account_services.REVOKE_VERIFICATION, gettext_lazy("Withdraw their verification")),
        ],
        widget=forms.RadioSelect,
    )
    days = forms.IntegerField(
        label=gettext_lazy("Days of suspension"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=gettext_lazy("Only for a suspension."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason the author is sent"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )

    def clean(self):
        data = super().clean()
        if data.get("action") == account_services.SUSPEND and not data.get("days"):
            self.add_error("days", _("Say for how many days."))
        return data

    def act(self, *, member, by) -> None:
        action, reason = self.cleaned_data["action"], self.cleaned_data["reason"]
        if action == account_services.SUSPEND:
            until = timezone.now() + datetime.timedelta(days=self.cleaned_data["days"])
            account_services.suspend_posting(member=member, by=by, until=until, reason=reason)
        elif action == account_services.WARN:
            account_services.warn_member(member=member, by=by, reason=reason)
        else:
            account_services.revoke_verification(member=member, by=by, reason=reason)


def _author_record(author_id: int | None) -> dict:
    """How often this author's posts were reported and the reports upheld, before."""
    if author_id is None:
        return {}
    theirs = (
        Q(question__author_id=author_id)
        | Q(answer__author_id=author_id)
        | Q(comment__author_id=author_id)
    )
    return Flag.objects.filter(theirs).aggregate(
        reported=Count("pk"), upheld=Count("pk", filter=Q(status=FlagStatus.UPHELD))
    )


def _flagged_post(request, kind: str, pk: int):
    _check_moderator(request)
    posts = posts_of_kind(kind)
    if posts is None:
        raise Http404
    return get_object_or_404(posts, pk=pk)


def review(request, kind: str, pk: int):
    post = _flagged_post(request, kind, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
        try:
            if decision == "dismiss":
                services.dismiss_flags(post=post, by=request.user, note=note)
            else:
                services.uphold_flags(
                    post=post, by=request.user, note=note, hide=decision == "hide"
                )
        except services.ForumError as error:
            form.add_error(None, error.args[0])
        else:
            messages.success(
                request, _("Decision recorded; the author and the reporters are told.")
            )
            return redirect("forum_flag_queue")
    return _review_page(request, kind, post, form=form, member_form=MemberActionForm())


def member_action(request, kind: str, pk: int):
    """Warn, suspend or withdraw the verification of a flagged post's author."""
    post = _flagged_post(request, kind, pk)
    member = get_object_or_404(User, pk=post.author_id or 0)
    form = MemberActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            form.act(member=member, by=request.user)
        except (account_services.ModerationError, PermissionDenied) as error:
            form.add_error(None, error.args[0] if error.args else _("You cannot do that."))
        else:
            messages.success(request, _("Done; the author has been told why."))
            return redirect("forum_flag_review", kind=kind, pk=pk)
    return _review_page(request, kind, post, form=DecisionForm(), member_form=form)


def _review_page(request, kind: str, post, *, form, member_form):
    flags = Flag.objects.filter(**{kind: post}).select_related("flagger", "decided_by")
    return TemplateResponse(
        request,
        "forum/admin/flag_review.html",
        {
            "kind": kind,
            "post": post,
            "question": post.thread,
            "flags": flags,
            "record": _author_record(post.author_id),
            "form": form,
            "member_form": member_form,
        },
        status=400 if form.errors or member_form.errors else 200,
    )
