"""The question and its answers on the question page, rendered once and then served from
the cache, for visitors and signed-in people alike.

What a thread looks like depends on the thread (its version changes with every edit,
answer, comment, vote, acceptance, status change or hiding; each answer has a version of
its own), on the cohort badges its bylines carry (`cohorts.badges.generation`, in every
key) and on which controls the viewer gets (vote, edit, accept, moderate, comment),
not on who the viewer is. So each answer is cached under its version and the viewer's
controls on it, and the whole thread under the question's version and the viewer's
controls on everything: everyone with the same controls shares the entries, and after a
change only what changed is rendered again. What those keys are made of (the thread's
states, its answers in thread order with their versions, authors and hidden flags) is
cached under the question's version too, so a page served from the cache reads no answer.

Shared entries cannot hold what belongs to one request. They hold markers instead, which
`finish_page` replaces in the finished page: the viewer's CSRF token in forms, and the
similar questions this reader may read (they name other threads, so they are never frozen
into a cached page: a thread hidden a moment ago must not be named). The thread itself is
kept as UTF-8 and put into the page where its marker is (`insert_thread`), so its 200 KB
(50 answers) are not copied and encoded again by the template engine on every request.
The markers derive from SECRET_KEY, so no one can write one into a post to make the page
leak the token into a link.
"""

import hashlib
from functools import cache as memoize

from django.core.cache import cache
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language

from cohorts import badges

from . import audience, hooks, permissions, structured_data
from .models import Answer, Comment, Question, Vote
from .rendering import plain_text

CACHE_SECONDS = 60 * 60 * 24
DESCRIPTION_CHARACTERS = 300


@memoize
def _marker(name: str) -> str:
    return f"{name}-" + salted_hmac("canvass.forum.thread.marker", name).hexdigest()


def place(name: str) -> str:
    """What the question page holds where the "thread" (`insert_thread`) or the "similar"
    questions (`finish_page`) go."""
    return mark_safe(_marker(name))  # noqa: S308 - letters and digits only


def _visible_comments(user):
    """Comments are rendered inside fragments shared by everyone with the same controls, so
    one held for review is shown to moderators alone, like a hidden one, not to its author."""
    comments = Comment.objects.all()
    if audience.sees_hidden(user):
        return comments
    return comments.filter(is_hidden=False, held_for_review=False)


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
        "report": permissions.can_flag(user, post),
        # Comments share their answer's cached fragment: their "Report" link is offered to
        # everyone who may report, and the service refuses one's own comment.
        "report_comments": permissions.can_participate(user),
    }


def _answer_controls(user, question: Question, answer: Answer, my_vote: int) -> dict:
    return {
        **_post_controls(user, question, answer, my_vote),
        "accept": permissions.can_accept(user, question),
    }


def _outline_and_votes(user, question: Question) -> tuple[dict, dict[int | None, int]]:
    """With one cache read when both are kept: the thread's states, its answers in
    thread order as (pk, version, author_id, is_hidden, held_for_review), hidden and held
    ones too, and for a public thread the excerpt of the question its page describes itself
    with (`description`; read with the body, which rendering the thread reads anyway); and
    this person's
    votes in the thread by answer id (None for the question). Both are kept under the
    question's version: every change to an answer, and every vote, moves it on."""
    outline_key = f"forum:outline:{question.pk}:{question.version}"
    votes_key = f"forum:votes:{question.pk}:{question.version}:{user.pk}"
    found = cache.get_many([outline_key, votes_key] if user.is_authenticated else [outline_key])
    if (outline := found.get(outline_key)) is None:
        answers = question.answers.in_thread_order(question.accepted_answer_id)
        outline = {
            "states": list(question.states.values_list("state", flat=True)),
            "answers": list(
                answers.values_list("pk", "version", "author_id", "is_hidden", "held_for_review")
            ),
            "description": (
                Truncator(plain_text(question.body_html)).chars(DESCRIPTION_CHARACTERS)
                if audience.is_public(question)
                else ""
            ),
        }
        cache.set(outline_key, outline, CACHE_SECONDS)
    if not user.is_authenticated:
        return outline, {}
    if (votes := found.get(votes_key)) is None:
        mine = Vote.objects.filter(user=user).filter(
            Q(question=question) | Q(answer__question=question)
        )
        votes = dict(mine.values_list("answer_id", "value"))
        cache.set(votes_key, votes, CACHE_SECONDS)
    return outline, votes


def _render_answers(user, question: Question, pks: list[int], keys, controls):
    """Each answer's HTML from the cache, rendering (and caching) the ones not there; and
    the answers read to render them, by primary key."""
    html = cache.get_many(keys)
    missing = {pk: key for pk, key in zip(pks, keys, strict=True) if key not in html}
    read = {}
    if missing:
        fresh = {}
        full = question.answers.filter(pk__in=missing).prefetch_related(
            Prefetch("comments", queryset=_visible_comments(user))
        )
        for answer in full:
            answer.question = question
            read[answer.pk] = answer
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
    return [html[key] for key in keys], read


def _structured_data(question: Question, outline: dict, read: dict[int, Answer]) -> dict | None:
    """The `QAPage` JSON-LD of a public thread (None for any other), rendered into the
    cached thread. Its answers are those everyone sees; the ones just read to render the
    thread are used (all of them when nothing was cached), the others read here."""
    if not audience.is_public(question):
        return None
    published = [
        pk for pk, _, _, is_hidden, held in outline["answers"] if not is_hidden and not held
    ]
    if unread := [pk for pk in published if pk not in read]:
        for answer in question.answers.filter(pk__in=unread):
            answer.question = question
            read[answer.pk] = answer
    return structured_data.qa_page(question, [read[pk] for pk in published])


def render_thread(user, question: Question) -> tuple[bytes, str]:
    """The question and the answers this person may see, in thread order, with this
    person's controls and votes, as UTF-8 HTML; and the page's description (`og:description`:
    an excerpt of a public question, else nothing). Costs no query when the thread is cached
    for these controls; otherwise up to ten."""
    outline, my_votes = _outline_and_votes(user, question)
    states = ",".join(outline["states"])  # answers say when they come from elsewhere
    # Bylines carry their offices' cohort badges: a change of badges draws them again.
    badge_generation = badges.generation()
    pks, keys, controls, decided = [], [], {}, {}
    for pk, version, author_id, is_hidden, held in outline["answers"]:
        # The controls depend on the answer's author and flags alone, and the viewer's vote
        # on it: decided once for each such combination (on a stand-in answer with just
        # those fields), with their part of the cache key. A held answer is shown to its
        # author, whose controls (edit) no one else but moderators shares.
        stand_in = Answer(
            author_id=author_id, is_hidden=is_hidden, held_for_review=held, question=question
        )
        if not audience.shows(user, stand_in):
            continue
        facts = (author_id, is_hidden, held, my_votes.get(pk, 0))
        if facts not in decided:
            decided_controls = _answer_controls(user, question, stand_in, facts[3])
            decided[facts] = (decided_controls, _controls_key(decided_controls))
        controls[pk], controls_key = decided[facts]
        pks.append(pk)
        keys.append(f"forum:answer:{pk}:{version}:{badge_generation}:{states}:{controls_key}")
    question_controls = _post_controls(user, question, question, my_votes.get(None, 0))
    signature = hashlib.sha256(
        "|".join([_controls_key(question_controls), *keys]).encode()
    ).hexdigest()
    key = f"forum:thread-utf8:{question.pk}:{question.version}:{badge_generation}:{signature}"
    if (html := cache.get(key)) is None:
        prefetch_related_objects([question], "states", "topics")
        answers, read = _render_answers(user, question, pks, keys, controls)
        html = render_to_string(
            "forum/includes/thread.html",
            {
                "question": question,
                "controls": question_controls,
                "featured_in": hooks.collect(hooks.FEATURED_IN, question),
                "question_comments": _visible_comments(user).filter(question=question),
                "answers": answers,
                "structured_data": _structured_data(question, outline, read),
                "csrf_token": _marker("csrf"),
            },
        ).encode()
        cache.set(key, html, CACHE_SECONDS)
    return html, outline["description"]


def insert_thread(response, thread: bytes):
    """Put the thread (`render_thread`: our own templates, bodies sanitised at write time)
    where the page holds its place."""
    response.content = response.content.replace(_marker("thread").encode(), thread, 1)
    return response


def answer_form(question: Question, form) -> str:
    """The answer form's HTML. An empty one is the same for everyone who may answer the
    thread, so it is kept once rendered (for the thread and language); one holding what was
    typed, with its errors, is rendered for its request."""
    key = f"forum:answer-form:{question.pk}:{get_language()}"
    if form.is_bound or (html := cache.get(key)) is None:
        html = render_to_string(
            "forum/includes/answer_form.html",
            {"question": question, "form": form, "csrf_token": _marker("csrf")},
        )
        if not form.is_bound:
            cache.set(key, html, CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own template; the form escapes what was typed


def _similar_html(user, question: Question) -> bytes:
    """The similar questions this reader may read now, asked on every request. Their HTML
    depends on nothing but what is shown of them, so it is kept under that (templates cost
    about 0.1 ms a link)."""
    similar = hooks.collect(hooks.SIMILAR_QUESTIONS, user, question)
    shown = repr([(other.pk, other.title, other.accepted_answer_id is None) for other in similar])
    key = f"forum:similar:{get_language()}:{hashlib.sha256(shown.encode()).hexdigest()}"
    if (html := cache.get(key)) is None:
        html = render_to_string("forum/includes/similar.html", {"similar": similar}).encode()
        cache.set(key, html, CACHE_SECONDS)
    return html


def finish_page(request, response, question: Question):
    """Fill in what the cached layers leave to each request: the request's CSRF token where
    forms hold the marker, and the similar questions this reader may read now
    (`hooks.SIMILAR_QUESTIONS`), for visitors' stored pages and freshly built ones alike."""
    content = response.content.replace(
        _marker("similar").encode(), _similar_html(request.user, question), 1
    )
    csrf = _marker("csrf").encode()
    if csrf in content:
        content = content.replace(csrf, get_token(request).encode())
    response.content = content
    return response
