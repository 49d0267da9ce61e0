"""The question and its answers on the question page, rendered once and then served from
the cache, for visitors and signed-in people alike.

What a thread looks like depends on the thread (its version changes with every edit,
answer, comment, vote, acceptance, status change or hiding; each answer has a version of
its own) and on which controls the viewer gets (vote, edit, accept, moderate, comment),
not on who the viewer is. So each answer is cached under its version and the viewer's
controls on it, and the whole thread under the question's version and the viewer's
controls on everything: everyone with the same controls shares the entries, and after a
change only what changed is rendered again. What those keys are made of (the thread's
states, its answers in thread order with their versions, authors and hidden flags) is
cached under the question's version too, so a page served from the cache reads no answer.

Shared entries cannot hold what belongs to one request. They hold markers instead, which
`finish_page` replaces in the finished page: the viewer's CSRF token in forms, and the
similar questions this reader may read (they name other threads, so they are never frozen
into a cached page: a thread hidden a moment ago must not be named). The markers derive
from SECRET_KEY, so no one can write one into a post to make the page leak the token into
a link.
"""

import hashlib
from functools import cache as memoize

from django.core.cache import cache
from django.db.models import Prefetch, prefetch_related_objects
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe

from . import audience, hooks, permissions
from .models import Answer, Comment, Question

CACHE_SECONDS = 60 * 60 * 24


@memoize
def _marker(name: str) -> str:
    return f"{name}-" + salted_hmac("canvass.forum.thread.marker", name).hexdigest()


def similar_place() -> str:
    """What the question page holds where the similar questions go (`finish_page`)."""
    return mark_safe(_marker("similar"))  # noqa: S308 - letters and digits only


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


def _outline(question: Question) -> dict:
    """The thread's states and its answers in thread order as (pk, version, author_id,
    is_hidden), hidden ones too, under the question's version: every change to an answer
    moves the question's version on as well."""
    key = f"forum:outline:{question.pk}:{question.version}"
    if (outline := cache.get(key)) is None:
        answers = question.answers.in_thread_order(question.accepted_answer_id)
        outline = {
            "states": list(question.states.values_list("state", flat=True)),
            "answers": list(answers.values_list("pk", "version", "author_id", "is_hidden")),
        }
        cache.set(key, outline, CACHE_SECONDS)
    return outline


def _render_answers(user, question: Question, pks: list[int], keys, controls) -> list:
    """Each answer's HTML from the cache, rendering (and caching) the ones not there."""
    html = cache.get_many(keys)
    missing = {pk: key for pk, key in zip(pks, keys, strict=True) if key not in html}
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
                    "csrf_token": _marker("csrf"),
                },
            )
        cache.set_many(fresh, CACHE_SECONDS)
        html.update(fresh)
    return [html[key] for key in keys]


def render_thread(user, question: Question, my_votes: dict[int | None, int]) -> str:
    """The question and the answers this person may see, in thread order, as HTML.

    ``my_votes`` maps answer ids (None for the question) to this person's votes. Costs no
    query when the thread is cached for these controls; otherwise up to nine more."""
    outline = _outline(question)
    states = ",".join(outline["states"])  # answers say when they come from elsewhere
    sees_hidden = audience.sees_hidden(user)
    pks, keys, controls, decided = [], [], {}, {}
    for pk, version, author_id, is_hidden in outline["answers"]:
        if is_hidden and not sees_hidden:
            continue
        # The controls depend on the answer's author and hidden flag alone, and the viewer's
        # vote on it: decided once for each such combination.
        facts = (author_id, is_hidden, my_votes.get(pk, 0))
        if facts not in decided:
            stand_in = Answer(author_id=author_id, is_hidden=is_hidden, question=question)
            decided[facts] = _answer_controls(user, question, stand_in, facts[2])
        controls[pk] = decided[facts]
        pks.append(pk)
        keys.append(f"forum:answer:{pk}:{version}:{states}:{_controls_key(decided[facts])}")
    question_controls = _post_controls(user, question, question, my_votes.get(None, 0))
    signature = hashlib.sha256(
        "|".join([_controls_key(question_controls), *keys]).encode()
    ).hexdigest()
    key = f"forum:thread:{question.pk}:{question.version}:{signature}"
    if (html := cache.get(key)) is None:
        prefetch_related_objects([question], "states", "topics")
        html = render_to_string(
            "forum/includes/thread.html",
            {
                "question": question,
                "controls": question_controls,
                "featured_in": hooks.collect(hooks.FEATURED_IN, question),
                "question_comments": _visible_comments(user).filter(question=question),
                "answers": _render_answers(user, question, pks, keys, controls),
                "csrf_token": _marker("csrf"),
            },
        )
        cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own templates, bodies sanitised at write time


def finish_page(request, response, question: Question):
    """Fill in what the cached layers leave to each request: the request's CSRF token where
    forms hold the marker, and the similar questions this reader may read now
    (`hooks.SIMILAR_QUESTIONS`), for visitors' stored pages and freshly built ones alike."""
    similar = render_to_string(
        "forum/includes/similar.html",
        {"similar": hooks.collect(hooks.SIMILAR_QUESTIONS, request.user, question)},
    )
    content = response.content.replace(_marker("similar").encode(), similar.encode(), 1)
    csrf = _marker("csrf").encode()
    if csrf in content:
        content = content.replace(csrf, get_token(request).encode())
    response.content = content
    return response
