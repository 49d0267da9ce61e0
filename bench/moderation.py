"""Issue 15: flagging and the moderation queue cost the same however long the queue, and hidden
posts cost the question page nothing, measured in process (nothing is served over HTTP) with
production's settings (`bench/settings.py`) and production's task backend
(`django_tasks_db.DatabaseBackend`), so what a flag hands to the background is only a row.

1. Flagging: `forum.services.flag_post` with SMALL and with LARGE posts waiting in the queue
   (the extra open flags opened and set aside between alternating rounds), for a plain report
   and for one that holds the post at once; its time and its queries (goals: the queries
   equal, the median at LARGE at most 1.2 times the one at SMALL).
2. The queue page: `forum.admin_views.queue` through `django.test.Client` as a moderator
   with two-factor, at SMALL and LARGE posts waiting; its time and its queries (goal: the
   queries equal).
3. The question page: GET /questions/<pk>/ on a thread of ANSWERS answers of which HIDDEN are
   hidden and HELD held for review, and on the same thread written alike with none hidden,
   as a verified official and as a visitor (``?fresh=1``: past the visitors' page cache),
   with the cache emptied (cold) and then filled (warm); its queries (goal: equal) and time.

The waiting posts and their flags are written in bulk (`bulk_create`): setting up is not what
is measured.
"""

import datetime
import secrets
import time
from dataclasses import dataclass

from bench import harness

NAME = "moderation"
SMALL, LARGE = 10, 2000  # posts waiting in the queue
# Alternating between the two queue lengths often, after one round to warm up: a flag is a
# few milliseconds, mostly its commit, so drift on a shared machine would swamp the ratio.
FLAG_ROUNDS = 10
FLAGS_PER_ROUND = 8  # of each kind, at each length
TARGETS = 30  # answers flagged in turn by the timed calls (each released again, untimed)
QUEUE_PER_ROUND = 4  # queue pages at each length per round
ANSWERS, HIDDEN, HELD = 50, 10, 10
COMMENTS_PER_ANSWER = 2
PAGE_ROUNDS = 6  # question pages, cold then warm, per reader and thread, after one to warm up
BULK = 500
DOMAIN = "@bench.example"
HOST = "127.0.0.1"  # bench.settings allows only this host
GOALS = {"flag_ratio": 1.2}
BODY = (
    "We keep a signed log for every hand-off of the ballots, with seal numbers and counts, "
    "and our deputy clerk checks it against the ballot manifest before the canvass begins."
)


def run() -> bool:
    """A fresh site (the schema and the topics), then the measurement, in this process."""
    return harness.run_in_process(NAME, measure)


# --- setting up -------------------------------------------------------------------------------


@dataclass
class People:
    moderator: object
    asker: object
    flagger: object  # a verified official: the timed flags are theirs
    reader: object  # a verified official who reads the question pages
    answerers: list


def _person(name: str, *, official: bool = True, moderator: bool = False):
    """One person through the account services; a moderator with an authenticator app, as
    staff must have to use their powers."""
    from allauth.mfa.totp.internal.auth import generate_totp_secret
    from django.utils import timezone

    from accounts import roles
    from accounts.services import activate_totp, create_member, grant_role, set_verified_until

    user = create_member(
        email=f"{name}{DOMAIN}",
        password=secrets.token_urlsafe(16),
        display_name=f"Bench {name}",
        email_confirmed=True,
    )
    if official:
        set_verified_until(user=user, until=timezone.localdate() + datetime.timedelta(days=365))
    if moderator:
        activate_totp(user=user, secret=generate_totp_secret())
        grant_role(user=user, role=roles.MODERATORS)
    return user


def _people() -> People:
    return People(
        moderator=_person("moderator", official=False, moderator=True),
        asker=_person("asker"),
        flagger=_person("flagger"),
        reader=_person("reader"),
        answerers=[_person(f"answerer-{n}") for n in range(4)],
    )


def _bulk_flaggers(count: int) -> list[int]:
    """Verified officials who cannot sign in, written in bulk."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User

    until = timezone.localdate() + datetime.timedelta(days=365)
    User.objects.bulk_create(
        (
            User(
                email=f"reporter-{n}{DOMAIN}",
                display_name=f"Bench reporter {n}",
                password=make_password(None),
                verified_until=until,
            )
            for n in range(count)
        ),
        batch_size=BULK,
    )
    people = User.objects.filter(email__startswith="reporter-", email__endswith=DOMAIN)
    return list(people.order_by("pk").values_list("pk", flat=True))


def _waiting_posts(people: People) -> list[int]:
    """LARGE public questions with one answer each, and an open flag or two on one post of
    each (the question of one in four, else its answer). Returns the flags of all but the
    first SMALL posts: set aside (dismissed) or opened again to change the queue's length."""
    from forum.models import Answer, Flag, FlagReason, FlagStatus, Question, Visibility
    from forum.services import _byline

    byline = _byline(people.asker)
    questions = Question.objects.bulk_create(
        (
            Question(
                title=f"How do you handle ballot transfer number {n} at the warehouse?",
                body=BODY,
                body_html=f"<p>{BODY}</p>",
                visibility=Visibility.PUBLIC,
                **byline,
            )
            for n in range(LARGE)
        ),
        batch_size=BULK,
    )
    answer_byline = _byline(people.answerers[0])
    answers = Answer.objects.bulk_create(
        (
            Answer(question=question, body=BODY, body_html=f"<p>{BODY}</p>", **answer_byline)
            for question in questions
        ),
        batch_size=BULK,
    )
    Question.objects.filter(pk__in=[q.pk for q in questions]).update(answer_count=1)
    reporters = _bulk_flaggers(50)
    reasons = [FlagReason.SPAM, FlagReason.INACCURATE, FlagReason.HARASSMENT]
    flags = []
    for n, (question, answer) in enumerate(zip(questions, answers, strict=True)):
        post = {"question": question} if n % 4 == 0 else {"answer": answer}
        for k in range(1 + (n % 3 == 0)):
            flags.append(
                Flag(
                    flagger_id=reporters[(n + k) % len(reporters)],
                    reason=reasons[(n + k) % len(reasons)],
                    status=FlagStatus.OPEN,
                    **post,
                )
            )
    Flag.objects.bulk_create(flags, batch_size=BULK)
    ids = list(Flag.objects.order_by("pk").values_list("pk", "question_id", "answer_id"))
    first_questions = {question.pk for question in questions[:SMALL]}
    first_answers = {answer.pk for answer in answers[:SMALL]}
    return [pk for pk, q, a in ids if q not in first_questions and a not in first_answers]


def _queue_length(rest: list[int], waiting: int) -> None:
    """Open the extra flags (LARGE posts waiting) or set them aside (SMALL)."""
    from forum import admin_views
    from forum.models import Flag, FlagStatus

    status = FlagStatus.OPEN if waiting == LARGE else FlagStatus.DISMISSED
    Flag.objects.filter(pk__in=rest).update(status=status)
    if admin_views.waiting_count() != waiting:
        raise RuntimeError(f"expected {waiting} posts waiting, found {admin_views.waiting_count()}")


def _targets(people: People) -> list:
    """TARGETS answers nobody has reported, on one public question."""
    from forum import services
    from forum.models import Answer, Topic, Visibility

    question = services.ask_question(
        author=people.asker,
        title="What goes in a chain-of-custody log for ballot transfers?",
        body="Our county is moving its ballot transfers to a two-person team. " * 3,
        topics=list(Topic.objects.order_by("name")[:2]),
        states=[],
        visibility=Visibility.PUBLIC,
    )
    for n in range(TARGETS):
        services.post_answer(
            question=question, author=people.answerers[n % len(people.answerers)], body=BODY
        )
    return list(Answer.objects.filter(question=question).order_by("pk"))


def _thread(people: People, title: str):
    """A public thread of ANSWERS answers with COMMENTS_PER_ANSWER comments each, written
    through the services."""
    from forum import services
    from forum.models import Topic, Visibility

    question = services.ask_question(
        author=people.asker,
        title=title,
        body="We are a county of 90,000 voters with four full-time staff. " * 5,
        topics=list(Topic.objects.order_by("name")[:3]),
        states=[],
        visibility=Visibility.PUBLIC,
    )
    answers = []
    for n in range(ANSWERS):
        answer = services.post_answer(
            question=question,
            author=people.answerers[n % len(people.answerers)],
            body=f"Answer {n + 1}. {BODY}",
        )
        answers.append(answer)
        for c in range(COMMENTS_PER_ANSWER):
            services.add_comment(
                author=people.asker, body=f"Comment {c + 1}: which seals do you use?", answer=answer
            )
    return question, answers


def _hide_and_hold(people: People, answers: list) -> None:
    """HIDDEN answers hidden by the moderator, and HELD held for review by a verified
    official's report of personal information: every other answer, alternately."""
    from forum import services
    from forum.models import FlagReason

    chosen = answers[::2][: HIDDEN + HELD]
    for n, answer in enumerate(chosen):
        if n % 2:
            services.flag_post(
                post=answer, by=people.flagger, reason=FlagReason.PERSONAL, note="A home address."
            )
        else:
            services.hide_post(post=answer, by=people.moderator)


# --- measuring --------------------------------------------------------------------------------


def _client(user=None):
    from django.test import Client

    client = Client(HTTP_HOST=HOST)
    if user is not None:
        client.force_login(user)
    return client


def _get(client, url: str, check) -> tuple[float, int]:
    """GET ``url``, checked: the seconds it took and its queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as capture:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    problem = check(response.content.decode())
    if problem:
        raise RuntimeError(f"{url}: {problem}")
    return elapsed, len(capture.captured_queries)


def _sample() -> dict:
    return {"times": [], "queries": []}


def time_flags(people: People, targets: list, rest: list[int]) -> dict:
    """flag_post by a verified official on the next target answer, a plain report and one
    that holds the post, at each queue length in alternating rounds (the first not counted);
    after each, the moderator dismisses the report (untimed), so the queue keeps its length
    and the answer may be reported again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from forum import services
    from forum.models import FlagReason

    kinds = {"plain report (spam)": FlagReason.SPAM, "report that holds it": FlagReason.PERSONAL}
    samples = {(kind, size): _sample() for kind in kinds for size in (SMALL, LARGE)}
    turn = 0
    for round_ in range(1 + FLAG_ROUNDS):
        for size in (SMALL, LARGE) if round_ % 2 else (LARGE, SMALL):
            _queue_length(rest, size)
            for _ in range(FLAGS_PER_ROUND):
                for kind, reason in kinds.items():
                    answer = targets[turn % len(targets)]
                    turn += 1
                    answer.refresh_from_db()
                    with CaptureQueriesContext(connection) as capture:
                        started = time.perf_counter()
                        services.flag_post(post=answer, by=people.flagger, reason=reason)
                        elapsed = time.perf_counter() - started
                    answer.refresh_from_db()
                    if answer.held_for_review != (reason == FlagReason.PERSONAL):
                        raise RuntimeError(f"{kind}: answer {answer.pk} held wrongly")
                    services.dismiss_flags(post=answer, by=people.moderator)
                    if round_:
                        samples[kind, size]["times"].append(elapsed)
                        samples[kind, size]["queries"].append(len(capture.captured_queries))
    return samples


def time_queue(people: People, rest: list[int]) -> dict:
    """The queue page as the moderator, at each queue length in alternating rounds (the
    first not counted); each page must list min(length, PER_PAGE) posts."""
    from django.urls import reverse

    from forum import admin_views

    client = _client(people.moderator)
    url = reverse("forum_flag_queue")
    samples = {size: _sample() for size in (SMALL, LARGE)}
    for round_ in range(1 + FLAG_ROUNDS):
        for size in (SMALL, LARGE) if round_ % 2 else (LARGE, SMALL):
            _queue_length(rest, size)
            listed = min(size, admin_views.PER_PAGE)

            def check(html: str, listed=listed) -> str | None:
                found = html.count('href="/admin/flags/')
                return None if found == listed else f"{found} posts listed, not {listed}"

            for _ in range(QUEUE_PER_ROUND):
                elapsed, queries = _get(client, url, check)
                if round_:
                    samples[size]["times"].append(elapsed)
                    samples[size]["queries"].append(queries)
    return samples


def time_question_pages(people: People, plain, moderated) -> dict:
    """Each thread's page as the reader and as a visitor (``?fresh=1``), cold (the cache
    emptied first) and warm (the same page again), taking turns (the first round not
    counted). Each page must show its answers everyone sees, and no more."""
    from django.core.cache import cache

    shown = {plain.pk: ANSWERS, moderated.pk: ANSWERS - HIDDEN - HELD}
    readers = {"official": _client(people.reader), "visitor": _client()}
    samples = {
        (reader, thread, state): _sample()
        for reader in readers
        for thread in ("none hidden", "hidden and held")
        for state in ("cold", "warm")
    }
    for round_ in range(1 + PAGE_ROUNDS):
        for reader, client in readers.items():
            for thread, question in (("none hidden", plain), ("hidden and held", moderated)):
                url = question.get_absolute_url() + "?fresh=1"

                def check(html: str, pk=question.pk) -> str | None:
                    found = html.count('<article id="answer-')
                    return None if found == shown[pk] else f"{found} answers, not {shown[pk]}"

                cache.clear()
                for state in ("cold", "warm"):
                    elapsed, queries = _get(client, url, check)
                    if round_:
                        samples[reader, thread, state]["times"].append(elapsed)
                        samples[reader, thread, state]["queries"].append(queries)
    return samples


# --- the report -------------------------------------------------------------------------------


def _count(sample: dict) -> tuple[int, bool]:
    """The queries of a sample's calls (the most, if they differed) and whether all alike."""
    counts = set(sample["queries"])
    return max(counts), len(counts) == 1


def _pair_rows(label: str, small: dict, large: dict, time_goal: float | None) -> list[dict]:
    rows = []
    medians = {}
    for size, sample in ((SMALL, small), (LARGE, large)):
        median, p95 = harness.median_p95_ms(sample["times"])
        medians[size] = median
        rows += [
            harness.figure(f"{label}, {size:,} waiting, median", median, "ms"),
            harness.figure("  p95", p95, "ms"),
        ]
    ratio = medians[LARGE] / medians[SMALL]
    rows.append(
        harness.figure(
            f"  ratio {LARGE:,} / {SMALL:,} waiting",
            ratio,
            "x",
            None if time_goal is None else f"<= {time_goal:g}",
            None if time_goal is None else ratio <= time_goal,
        )
    )
    (few, few_alike), (many, many_alike) = _count(small), _count(large)
    rows += [
        harness.figure(f"  queries, {SMALL:,} waiting" + ("" if few_alike else " (max)"), few, ""),
        harness.figure(
            f"  queries, {LARGE:,} waiting" + ("" if many_alike else " (max)"),
            many,
            "",
            f"= {few}",
            few_alike and many_alike and many == few,
        ),
    ]
    return rows


def _page_rows(samples: dict) -> list[dict]:
    rows = []
    for reader in ("official", "visitor"):
        for state in ("cold", "warm"):
            plain = samples[reader, "none hidden", state]
            moderated = samples[reader, "hidden and held", state]
            (few, few_alike), (many, many_alike) = _count(plain), _count(moderated)
            rows += [
                harness.figure(
                    f"question page, {reader}, {state}: queries, none hidden"
                    + ("" if few_alike else " (max)"),
                    few,
                    "",
                ),
                harness.figure(
                    f"  queries, {HIDDEN} hidden + {HELD} held" + ("" if many_alike else " (max)"),
                    many,
                    "",
                    f"= {few}",
                    few_alike and many_alike and many == few,
                ),
                harness.figure(
                    "  median, none hidden", harness.median_p95_ms(plain["times"])[0], "ms"
                ),
                harness.figure(
                    f"  median, {HIDDEN} hidden + {HELD} held",
                    harness.median_p95_ms(moderated["times"])[0],
                    "ms",
                ),
            ]
    return rows


def measure(clock: list[float]) -> bool:
    from forum.limits import lifted

    harness.step(f"setting up: {LARGE:,} flagged posts, two threads of {ANSWERS} answers", clock)
    with lifted():  # the setup posts many times a minute; the limits are not measured here
        people = _people()
        rest = _waiting_posts(people)
        targets = _targets(people)
        plain, _ = _thread(people, "How do you run a post-election audit with a small staff?")
        moderated, answers = _thread(
            people, "How do you run a post-election audit with a small staff, again?"
        )
    harness.step(f"flag_post at {SMALL} and {LARGE:,} waiting, alternating", clock)
    flags = time_flags(people, targets, rest)
    harness.step("the queue page", clock)
    queue = time_queue(people, rest)
    harness.step("question pages", clock)
    _hide_and_hold(people, answers)  # its open flags would lengthen the queue measured above
    pages = time_question_pages(people, plain, moderated)
    harness.step("done", clock)

    rows = []
    for kind in ("plain report (spam)", "report that holds it"):
        rows += _pair_rows(
            f"flag_post, {kind}", flags[kind, SMALL], flags[kind, LARGE], GOALS["flag_ratio"]
        )
    rows += _pair_rows("queue page", queue[SMALL], queue[LARGE], None)
    rows += _page_rows(pages)
    notes = {
        "settings": (
            f"production (bench.settings), SQLite, {harness.TASKS_BACKEND}, in-process cache"
        ),
        "queue": f"{LARGE:,} public questions with one answer each (bulk); an open flag or two "
        f"on one post of each (the question of one in four); {SMALL} or all {LARGE:,} waiting, "
        "the others' flags set aside (dismissed) between alternating rounds",
        "flag_post": f"a verified official reports the next of {TARGETS} answers, spam (not "
        "held) and personal information (held at once); the moderator dismisses it after each, "
        f"untimed; {FLAG_ROUNDS} rounds x {FLAGS_PER_ROUND} of each at each length, after one "
        "round to warm up",
        "queue page": f"GET /admin/flags/ as a moderator with two-factor (django.test.Client), "
        f"{FLAG_ROUNDS} rounds x {QUEUE_PER_ROUND} at each length, after one round",
        "question page": f"two threads written alike through the services, {ANSWERS} answers x "
        f"{COMMENTS_PER_ANSWER} comments; in one, {HIDDEN} answers hidden by a moderator and "
        f"{HELD} held by a personal-information report; GET ?fresh=1 as a verified official "
        f"and as a visitor, cold (cache emptied) then warm, {PAGE_ROUNDS} rounds after one",
    }
    return harness.report_figures(NAME, notes, rows)
