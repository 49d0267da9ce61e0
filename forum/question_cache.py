"""The question and its answers on the question page, rendered once and then served from
the cache, for visitors and signed-in people alike.

What a thread looks like depends on the thread (its version changes with every edit,
answer, comment, vote, acceptance, status change or hiding; each answer has a version of
its own) and on which controls the viewer gets (vote, edit, accept, moderate, comment),
not on who the viewer is. So each answer is cached under its version and the viewer's
controls on it, and the whole thread under the question's version and the viewer's
controls on everything: everyone with the same controls shares the entries, and after a
change only what changed is rendered again.

Forms in shared entries cannot hold the viewer's CSRF token. They hold a marker instead,
which `fill_csrf_tokens` replaces with the request's token in the finished page. The
marker derives from SECRET_KEY, so no one can write it into a post to make the page leak
the token into a link.
"""

import hashlib
from functools import cache as memoize

from django.core.cache import cache
from django.db.models import Prefetch
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe

from . import audience, hooks, permissions
from .models import Answer, Comment, Question

CACHE_SECONDS = 60 * 60 * 24


@memoize
def _csrf_marker() -> str:
    return "csrf-" + salted_hmac("canvass.forum.thread.csrf-marker", "thread").hexdigest()


def _visible_comments(user):
    comments = Comment.objects.all()
    return comments if audience.sees_hidden(user) else comments.filter(is_hidden=False)


def _controls_key(controls: dict) -> str:
    """The viewer's controls as a short string for cache keys: "1.0.1.0…"."""
    return ".".join(str(int(value)) for value in controls.values())


def _post_controls(user, question: Question, post: Question | Answer, my_vote: int) -> dict:
    # What the bylines show (`signed_in`, `see_asker`) on every post, not just the question:
    # the answers and comments of an asker who asked without their name are signed so too,
    # and an entry with the name must never be shared with those who may not see it.
    return {
        **permissions.byline_controls(user, question),
        "vote": permissions.can_vote(user, post),
        "my_vote": my_vote,
        "edit": permissions.can_edit(user, post),
        "moderate": permissions.can_moderate(user),
        "comment": permissions.can_comment(user, question),
    }


def _answer_controls(user, question: Question, answer: Answer, my_vote: int) -> dict:
    return {
        **_post_controls(user, question, answer, my_vote),
        "accept": permissions.can_accept(user, question),
    }


def _render_answers(user, question: Question, answers: list[Answer], keys, controls) -> list:
    """Each answer's HTML from the cache, rendering (and caching) the ones not there."""
    html = cache.get_many(keys)
    missing = {answer.pk: key for answer, key in zip(answers, keys, strict=True) if key not in html}
    if missing:
        fresh = {}
        full = question.answers.filter(pk__in=missing).prefetch_related(
            Prefetch("comments", queryset=_visible_comments(user))
        )
        for answer in full:
            answer.question = question
            fresh[missing[answer.pk]] = render_to_string(
                "forum/includes/answer.html",
                {
                    "answer": answer,
                    "question": question,
                    "controls": controls[answer.pk],
                    "csrf_token": _csrf_marker(),
                },
            )
        cache.set_many(fresh, CACHE_SECONDS)
        html.update(fresh)
    return [html[key] for key in keys]


def render_thread(user, question: Question, my_votes: dict[int | None, int]) -> str:
    """The question and the answers this person may see, in thread order, as HTML.

    ``my_votes`` maps answer ids (None for the question) to this person's votes. Two
    queries when the thread is cached for these controls; otherwise up to five more."""
    answers = list(
        question.answers.visible_to(user)
        .in_thread_order(question.accepted_answer_id)
        .only("pk", "version", "author_id", "is_hidden", "question_id")
    )
    states = ",".join(question.state_codes)  # answers say when they come from elsewhere
    controls, keys, decided = {}, [], {}
    for answer in answers:
        answer.question = question
        # The controls can only depend on the fields loaded above (another would cost a
        # query per answer, which the query-count tests catch): decide once per author.
        facts = (answer.author_id, answer.is_hidden, my_votes.get(answer.pk, 0))
        if facts not in decided:
            decided[facts] = _answer_controls(user, question, answer, facts[2])
        controls[answer.pk] = decided[facts]
        keys.append(
            f"forum:answer:{answer.pk}:{answer.version}:{states}:{_controls_key(controls[answer.pk])}"
        )
    question_controls = _post_controls(user, question, question, my_votes.get(None, 0))
    signature = hashlib.sha256(
        "|".join([_controls_key(question_controls), *keys]).encode()
    ).hexdigest()
    key = f"forum:thread:{question.pk}:{question.version}:{signature}"
    if (html := cache.get(key)) is None:
        html = render_to_string(
            "forum/includes/thread.html",
            {
                "question": question,
                "controls": question_controls,
                "featured_in": hooks.collect(hooks.FEATURED_IN, question),
                "question_comments": _visible_comments(user).filter(question=question),
                "answers": _render_answers(user, question, answers, keys, controls),
                "csrf_token": _csrf_marker(),
            },
        )
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own templates, bodies sanitised at write time


def fill_csrf_tokens(request, response):
    """Put the request's CSRF token where the cached thread holds the marker."""
    marker = _csrf_marker().encode()
    if marker in response.content:
        response.content = response.content.replace(marker, get_token(request).encode())
    return response
