import difflib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from core import caching

from . import audience, hooks, listing, permissions, question_cache, services
from .forms import (
    SORTS,
    AnswerEditForm,
    AnswerForm,
    CloseForm,
    CommentForm,
    MergeForm,
    QuestionEditForm,
    QuestionFilterForm,
    QuestionForm,
)
from .models import BODY_MAX, Answer, AuthorRole, Question, Topic
from .rendering import render_markdown

PERSON_QUESTIONS_SHOWN = 10
ANONYMOUS_PAGE_SECONDS = 600


def _listing(request, questions, template: str, context: dict):
    form = QuestionFilterForm(request.GET or None)
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
    thread = question_cache.render_thread(user, question)
    context = {
        "question": question,
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
    form = QuestionForm(request.POST or None)
    preview = _preview(request)
    if request.method == "POST" and preview is None and form.is_valid():
        try:
            question = services.ask_question(
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                topics=form.cleaned_data["topics"],
                states=form.cleaned_data["states"],
                visibility=form.cleaned_data["visibility"],
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
        new = services.post_answer(
            question=question, author=request.user, body=form.cleaned_data["body"]
        )
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
        services.add_comment(
            author=request.user,
            body=form.cleaned_data["body"],
            question=None if target else question,
            answer=target,
        )
        return redirect(target or question)
    for error in form.errors.get("body", []):
        messages.error(request, _("Your comment was not posted: %(error)s") % {"error": error})
    return redirect(target or question)


def _answer_from_request(request, question: Question) -> Answer | None:
    """The answer a form names (`answer`), or None when it acts on the question. An answer
    this person may not see (hidden) is not found, exactly like one that does not exist."""
    if not request.POST.get("answer"):
        return None
    answers = question.answers.visible_to(request.user).select_related("question")
    return get_object_or_404(answers, pk=request.POST["answer"])


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


def _apply_moderation(request, question: Question, action: str, form: CloseForm) -> bool:
    """Carry out a moderator's action; False when the close form needs correcting."""
    by = request.user
    if action == "close":
        if not form.is_valid():
            return False
        try:
            services.close_question(
                question=question,
                by=by,
                reason=form.cleaned_data["reason"],
                duplicate_of=form.cleaned_data.get("duplicate_question"),
            )
        except services.ForumError as error:
            form.add_error("duplicate_of", str(error))
            return False
    elif action == "reopen":
        services.reopen_question(question=question, by=by)
    elif action == "lock":
        services.lock_question(question=question, by=by)
    elif action in ("hide", "unhide"):
        post = _answer_from_request(request, question) or question
        services.hide_post(post=post, by=by, hidden=action == "hide")
    else:
        raise BadRequest(_("Choose close, reopen, lock, hide or unhide."))
    return True


@login_required
def moderate(request, pk: int):
    question = get_object_or_404(Question, pk=pk)
    permissions.check_read_question(request.user, question)  # 404 first: existence is private
    permissions.check_moderate(request.user)
    action = request.POST.get("action", "")
    form = CloseForm(request.POST if action == "close" else None)
    if request.method == "POST":
        if _apply_moderation(request, question, action, form):
            messages.success(request, _("Done."))
            return redirect(question)
        return render(
            request, "forum/moderate.html", {"question": question, "form": form}, status=400
        )
    return render(request, "forum/moderate.html", {"question": question, "form": form})


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
