import difflib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import User
from core import caching

from . import audience, hooks, listing, permissions, question_cache, services
from .forms import (
    SORTS,
    AnswerEditForm,
    AnswerForm,
    AudienceForm,
    CloseForm,
    CommentForm,
    FlagForm,
    MergeForm,
    QuestionEditForm,
    QuestionFilterForm,
    QuestionForm,
    RedactForm,
)
from .models import (
    BODY_MAX,
    Answer,
    AuthorRole,
    Comment,
    Question,
    Redaction,
    Topic,
    posts_of_kind,
)
from .rendering import render_markdown

PERSON_QUESTIONS_SHOWN = 10
ANONYMOUS_PAGE_SECONDS = 600


def _listing(request, questions, template: str, context: dict):
    form = QuestionFilterForm(request.GET or None, signed_in=request.user.is_authenticated)
    order = SORTS["newest"]
    if form.is_valid():
        questions, order = form.filter(questions), form.order()
    page = listing.page_of(
        questions.for_listing(),
        order,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    return render(request, template, {**context, "filter_form": form, "page": page})


def question_list(request):
    return _listing(
        request, Question.objects.visible_to(request.user), "forum/question_list.html", {}
    )


def topic_detail(request, slug: str):
    topic = get_object_or_404(Topic, slug=slug)
    questions = Question.objects.visible_to(request.user).about_topic(topic)
    panels = hooks.collect(hooks.TOPIC_PANELS, request, topic)
    return _listing(
        request, questions, "forum/topic_detail.html", {"topic": topic, "panels": panels}
    )


def _thread_page(request, question: Question, answer_form=None, status: int = 200):
    """The question page as built, before `question_cache.finish_page` fills in what is this
    request's own; visitors' copies are stored in between."""
    user = request.user
    thread, description = question_cache.render_thread(user, question)
    context = {
        "question": question,
        "description": description,
        "thread": question_cache.place("thread"),
        "similar": question_cache.place("similar"),
        "panels": hooks.collect(hooks.THREAD_PANELS, request, question),
        "answer_form": (
            question_cache.answer_form(question, answer_form or AnswerForm())
            if permissions.can_answer(user, question)
            else ""
        ),
    }
    response = render(request, "forum/question_detail.html", context, status=status)
    return question_cache.insert_thread(response, thread)


def question_detail(request, pk: int):
    # Visitors get the page from the cache (`core.caching`), stored under the thread's
    # version and the page tree's generation (the navigation): the version moves on with
    # every change to the thread, hiding and visibility included. Other threads' changes
    # leave it: the similar questions, the one part naming other threads, are filled in on
    # each request. An entry is stored only for a page a visitor may read, so one cheap
    # query decides.
    key = None
    if caching.for_visitor(request) and not request.GET:
        shown = Question.objects.only("title", "version").filter(pk=pk).first()
        if shown is not None:
            key = caching.page_key(request, (caching.PAGES,), shown.version)
            if (page := caching.cached_page(key)) is not None:
                return question_cache.finish_page(request, page, shown)
    # The bodies are shown only from the cached thread, read when it is rendered.
    question = get_object_or_404(Question.objects.defer("body", "body_html"), pk=pk)
    if question.merged_into_id is not None:
        return _redirect_merged(request, question)
    permissions.check_read_question(request.user, question)
    response = _thread_page(request, question)
    if key is not None and audience.is_public(question):
        caching.store_page(key, response, ANONYMOUS_PAGE_SECONDS)
    return question_cache.finish_page(request, response, question)


def _preview(request) -> str | None:
    """The rendered Markdown when the person pressed Preview (works without JavaScript)."""
    if "preview" in request.POST:
        return render_markdown(request.POST.get("body", ""))
    return None


@login_required
def ask(request):
    permissions.check_ask(request.user)
    # "Ask in this cohort" (the cohort's space) links here with ?cohort=<slug>; the form
    # offers only the asker's own cohorts, so another slug chooses nothing.
    form = QuestionForm(
        request.POST or None, asker=request.user, cohort=request.GET.get("cohort", "")
    )
    preview = _preview(request)
    if request.method == "POST" and preview is None and form.is_valid():
        try:
            question = services.ask_question(
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                topics=form.cleaned_data["topics"],
                states=form.cleaned_data["states"],
                visibility=form.cleaned_data["visibility"][0],
                cohort=form.cleaned_data["visibility"][1],
                is_anonymous=form.cleaned_data["is_anonymous"],
            )
        except services.ForumError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your question is posted."))
            return redirect(question)
    return render(request, "forum/ask.html", {"form": form, "preview": preview})


@login_required
@require_POST
def preview(request):
    """Rendered Markdown for the live preview; the same function that stores posts."""
    if not permissions.can_participate(request.user):
        raise PermissionDenied
    return HttpResponse(render_markdown(request.POST.get("body", "")[:BODY_MAX]))


def _readable_question(request, pk: int) -> Question:
    question = get_object_or_404(Question, pk=pk)
    permissions.check_read_question(request.user, question)
    return question


@login_required
@require_POST
def answer(request, pk: int):
    question = _readable_question(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            new = services.post_answer(
                question=question, author=request.user, body=form.cleaned_data["body"]
            )
        except services.ForumError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your answer is posted."))
            return redirect(new)
    page = _thread_page(request, question, answer_form=form, status=400)
    return question_cache.finish_page(request, page, question)


@login_required
def edit_question(request, pk: int):
    question = _readable_question(request, pk)
    permissions.check_edit(request.user, question)
    form = QuestionEditForm(request.POST or None, instance=question)
    preview = _preview(request)
    if request.method == "POST" and preview is None and form.is_valid():
        # A fresh copy: validating the ModelForm already wrote the new values onto
        # `question`, and the service compares against the stored ones.
        services.edit_question(
            question=Question.objects.get(pk=pk),
            editor=request.user,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            topics=form.cleaned_data["topics"],
            states=form.cleaned_data["states"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Your edit is saved."))
        return redirect(question)
    return render(
        request, "forum/edit.html", {"form": form, "question": question, "preview": preview}
    )


@login_required
def edit_answer(request, pk: int):
    post = get_object_or_404(Answer.objects.select_related("question"), pk=pk)
    permissions.check_edit(request.user, post)
    form = AnswerEditForm(request.POST or None, instance=post)
    preview = _preview(request)
    if request.method == "POST" and preview is None and form.is_valid():
        services.edit_answer(  # a fresh copy, as in edit_question
            answer=Answer.objects.select_related("question").get(pk=pk),
            editor=request.user,
            body=form.cleaned_data["body"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Your edit is saved."))
        return redirect(post)
    return render(
        request,
        "forum/edit.html",
        {"form": form, "question": post.question, "answer": post, "preview": preview},
    )


@login_required
@require_POST
def comment(request, pk: int):
    question = _readable_question(request, pk)
    target = _answer_from_request(request, question)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(
                author=request.user,
                body=form.cleaned_data["body"],
                question=None if target else question,
                answer=target,
            )
        except services.ForumError as error:
            # The comment forms live in the cached thread, which cannot hold what was typed:
            # a page of its own shows the refusal beside the comment, ready to send again.
            form.add_error(None, str(error))
            context = {"form": form, "question": question, "answer": target}
            return render(request, "forum/comment_refused.html", context, status=400)
        return redirect(target or question)
    for error in form.errors.get("body", []):
        messages.error(request, _("Your comment was not posted: %(error)s") % {"error": error})
    return redirect(target or question)


def _posted_number(request, name: str) -> int | None:
    """The number a form field holds, None when empty; anything else is a bad request (not a
    database error, which would answer 500)."""
    value = request.POST.get(name, "")
    if not value:
        return None
    if not value.isdigit():
        raise BadRequest(_("That is not a number."))
    return int(value)


def _answer_from_request(request, question: Question) -> Answer | None:
    """The answer a form names (`answer`), or None when it acts on the question. An answer
    this person may not see (hidden) is not found, exactly like one that does not exist."""
    if (pk := _posted_number(request, "answer")) is None:
        return None
    answers = question.answers.visible_to(request.user).select_related("question")
    return get_object_or_404(answers, pk=pk)


@login_required
@require_POST
def vote(request, pk: int):
    question = _readable_question(request, pk)
    post = _answer_from_request(request, question) or question
    value = {"up": 1, "down": -1, "withdraw": 0}.get(request.POST.get("vote"))
    if value is None:
        return HttpResponseBadRequest(_("Choose to vote up, down or withdraw your vote."))
    services.cast_vote(user=request.user, post=post, value=value)
    return redirect(post)


@login_required
@require_POST
def accept(request, pk: int):
    question = _readable_question(request, pk)
    chosen = _answer_from_request(request, question)
    services.accept_answer(question=question, answer=chosen, by=request.user)
    return redirect(chosen or question)


def revisions(request, pk: int, kind: str = "question"):
    if kind == "answer":
        post = get_object_or_404(Answer.objects.select_related("question"), pk=pk)
        question = post.question
    else:
        post = question = get_object_or_404(Question, pk=pk)
    permissions.check_read_post(request.user, post)
    history = list(post.revisions.all())
    previous_text = ""
    for revision in history:
        text = f"{revision.title}\n\n{revision.body}" if revision.title else revision.body
        revision.diff = list(
            difflib.unified_diff(previous_text.splitlines(), text.splitlines(), lineterm="", n=2)
        )[2:]
        previous_text = text
    history.reverse()
    return render(
        request,
        "forum/revisions.html",
        {
            "question": question,
            "post": post,
            "history": history,
            "redactions": _redactions_shown(request.user, post),
            "reader": permissions.byline_controls(request.user, question),
        },
    )


@login_required
def person(request, pk: int):
    """A member's page as other signed-in people see it: what the member chose to show, and
    the latest questions they asked that the viewer may read. Questions asked without their
    name are listed only for moderators and the member. There is no directory: the page is
    reached from a byline."""
    shown = get_object_or_404(
        User.objects.select_related("jurisdiction"), pk=pk, is_active=True, deleted_at=None
    )
    questions = Question.objects.visible_to(request.user).filter(author=shown)
    if not permissions.can_see_anonymous_questions_of(request.user, shown.pk):
        questions = questions.filter(is_anonymous=False)
    return render(
        request,
        "forum/person.html",
        {
            "shown": shown,
            "role": AuthorRole(permissions.author_role(shown)).label,
            "questions": questions.order_by("-created_at")[:PERSON_QUESTIONS_SHOWN],
        },
    )


# ---- flags (issue 15) ------------------------------------------------------------------------


def _readable_post(request, kind: str, pk: int):
    """The question, answer or comment ``kind`` and ``pk`` name, if this person may read it;
    404 otherwise, like one that does not exist."""
    posts = posts_of_kind(kind)
    if posts is None:
        raise Http404
    post = get_object_or_404(posts, pk=pk)
    permissions.check_read_post(request.user, post)
    return post


@login_required
def flag(request, kind: str, pk: int):
    """Report a question, answer or comment to the moderators."""
    post = _readable_post(request, kind, pk)
    permissions.check_flag(request.user, post)
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_post(post=post, by=request.user, **form.cleaned_data)
        except services.ForumError as error:
            form.add_error(None, error.args[0])
        else:
            messages.success(
                request,
                _("Thank you: your report is received. You will be told what a moderator decides."),
            )
            return redirect(post.thread if kind != "answer" else post)
    return render(
        request,
        "forum/flag.html",
        {"form": form, "post": post, "kind": kind, "question": post.thread},
        status=400 if form.errors else 200,
    )


# ---- moderator verbs (issue 15) ----
# One view per verb, each through its service (which checks the role and writes the audit
# log). The moderation page shows a form for each; close and audience show it again with
# the errors next to the fields. The thread is looked up as the moderator reads it, and
# existence stays private: 404 before 403.


def _moderated_question(request, pk: int) -> Question:
    question = get_object_or_404(Question, pk=pk)
    permissions.check_read_question(request.user, question)
    permissions.check_moderate(request.user)
    return question


def _moderation_page(request, question: Question, *, close_form=None, audience_form=None):
    bound = close_form is not None or audience_form is not None
    context = {
        "question": question,
        "close_form": close_form or CloseForm(),
        "audience_form": audience_form or AudienceForm(question=question),
    }
    return render(request, "forum/moderate.html", context, status=400 if bound else 200)


@login_required
@require_safe
def moderate(request, pk: int):
    return _moderation_page(request, _moderated_question(request, pk))


def _done(request, message: str, target):
    messages.success(request, message)
    return redirect(target)


@login_required
def close(request, pk: int):
    question = _moderated_question(request, pk)
    if request.method != "POST":
        return _moderation_page(request, question)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_question(
                question=question,
                by=request.user,
                reason=form.cleaned_data["reason"],
                duplicate_of=form.cleaned_data.get("duplicate_question"),
            )
        except services.ForumError as error:
            form.add_error("duplicate_of", str(error))
        else:
            return _done(request, _("The question is closed."), question)
    return _moderation_page(request, question, close_form=form)


@login_required
@require_POST
def reopen(request, pk: int):
    question = _moderated_question(request, pk)
    services.reopen_question(question=question, by=request.user)
    return _done(request, _("The question is open again."), question)


@login_required
@require_POST
def lock(request, pk: int):
    question = _moderated_question(request, pk)
    services.lock_question(question=question, by=request.user)
    return _done(request, _("The thread is locked."), question)


def _hide_or_show(request, pk: int, *, hidden: bool):
    """The post a form names: a comment (`comment`), an answer (`answer`), else the question
    itself; each only from this thread."""
    question = _moderated_question(request, pk)
    if (comment_pk := _posted_number(request, "comment")) is not None:
        in_thread = Comment.objects.filter(Q(question=question) | Q(answer__question=question))
        target = get_object_or_404(in_thread.select_related("answer"), pk=comment_pk)
        services.hide_post(post=target, by=request.user, hidden=hidden)
        shown_at = f"{question.get_absolute_url()}#comment-{target.pk}"
        done = _("The comment is hidden.") if hidden else _("The comment is shown again.")
        return _done(request, done, shown_at)
    post = _answer_from_request(request, question) or question
    services.hide_post(post=post, by=request.user, hidden=hidden)
    if hidden:
        done = _("The answer is hidden.") if post is not question else _("The question is hidden.")
    else:
        done = _("The post is shown again.")
    return _done(request, done, post)


@login_required
@require_POST
def hide(request, pk: int):
    return _hide_or_show(request, pk, hidden=True)


@login_required
@require_POST
def unhide(request, pk: int):
    return _hide_or_show(request, pk, hidden=False)


@login_required
def change_audience(request, pk: int):
    question = _moderated_question(request, pk)
    if request.method != "POST":
        return _moderation_page(request, question)
    form = AudienceForm(request.POST, question=question)
    if form.is_valid():
        try:
            services.change_audience(
                question=question,
                visibility=form.cleaned_data["visibility"][0],
                cohort=form.cleaned_data["visibility"][1],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.ForumError as error:
            form.add_error(None, str(error))
        else:
            return _done(request, _("Who may read the thread has changed."), question)
    return _moderation_page(request, question, audience_form=form)


@login_required
def redact(request, kind: str, pk: int):
    post = _readable_post(request, kind, pk)
    question = post.thread
    permissions.check_moderate(request.user)
    form = RedactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.redact_post(
                post=post,
                text=form.cleaned_data["text"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except services.RedactionError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, _("The text is redacted."))
            return redirect(question)
    context = {"form": form, "post": post, "kind": kind, "question": question}
    if kind == "question":
        # The thread's other posts, to redact from instead: three queries, however many.
        context["answers"] = question.answers.prefetch_related("comments")
        context["comments"] = question.comments.all()
    return render(request, "forum/redact.html", context, status=400 if form.errors else 200)


def _redactions_shown(user, post: Question | Answer):
    """The redactions of ``post`` and of the comments on it this reader may see."""
    comments = post.comments.all()
    if not audience.sees_hidden(user):
        comments = comments.filter(is_hidden=False, held_for_review=False)
    return Redaction.objects.filter(Q(**{post.kind: post}) | Q(comment__in=comments))


def _redirect_merged(request, question: Question):
    """A merged thread's address leads for good (301) to the thread it was merged into, for
    whoever may read that one; for anyone else it is missing, like any thread they may not
    read, so that it tells nothing of where it went."""
    canonical = get_object_or_404(
        Question.objects.defer("body", "body_html"), pk=question.merged_into_id
    )
    permissions.check_read_question(request.user, canonical)
    return redirect(canonical, permanent=True)


@login_required
def merge(request, pk: int):
    question = get_object_or_404(Question, pk=pk)
    permissions.check_read_question(request.user, question)  # 404 first: existence is private
    permissions.check_moderate(request.user)
    form = MergeForm(request.POST or None, reader=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            into = services.merge_questions(
                question=question,
                into=form.cleaned_data["into"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.ForumError as error:
            form.add_error("into", str(error))
        else:
            messages.success(request, _("The questions are merged."))
            return redirect(into)
    return render(
        request,
        "forum/merge.html",
        {"question": question, "form": form},
        status=400 if form.is_bound else 200,
    )
