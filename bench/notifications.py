"""Issue 14: what following costs, measured in process (nothing is served over HTTP) with
production's settings (`bench/settings.py`) and production's task backend
(`django_tasks_db.DatabaseBackend`), so that what a write hands to the background is only
enqueued, as a row, and every email stays in the outbox (`core.email.OutgoingEmail`), unsent.

1. Posting: `forum.services.post_answer` on a question 1,000 people watch and on one nobody
   follows, alternating; the ratio of the medians (goal: at most 1.2).
2. The fan-out: the `notifications.tasks.deliver` task a post enqueued, run as `db_worker`
   runs it (`Worker.run_task`), on a question with 100 watchers and one with 1,000: its time
   and its queries (no goal).
3. Digests: `notifications.digests.send_digests` for 10,000 members who follow 20 topics
   each, all due, after 200 new questions (goal: under 60 s); then its queries per batch at
   two batch sizes (`digests.BATCH`; goal: equal).

The people, follows, email settings and the digest's questions are written in bulk
(`bulk_create`): setting up is not what is measured.
"""

import datetime
import os
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass

from bench import harness

NAME = "notifications"
DATABASE = os.environ.get("BENCH_NOTIFICATIONS_DATABASE", "sqlite")  # or "postgres"
FOLLOWERS = 1000
FEW_FOLLOWERS = 100
POSTS = 100  # on each question, after WARMUP_POSTS
WARMUP_POSTS = 10
FANOUT_RUNS = 10  # on each question, after one to warm up
MEMBERS = 10_000
TOPICS_EACH = 20
NEW_QUESTIONS = 200
MEMBERS_ONLY_SHARE = 0.15
QUERY_BATCHES = (100, 500)
QUERY_MEMBERS = max(QUERY_BATCHES)  # made due again for each batch size
BULK = 1000  # rows a bulk insert is given at a time (PostgreSQL: 65,535 parameters a statement)
DOMAIN = "@bench.example"
ANSWER_BODY = (
    "We keep a signed log for every hand-off of the ballots, with seal numbers and counts, "
    "and our deputy clerk checks it against the ballot manifest before the canvass begins."
)
GOALS = {"post_ratio": 1.2, "digest_seconds": 60.0}


def run() -> bool:
    """A fresh site (the schema and the topics: nothing of the demo is needed), then the
    measurement, in this process."""
    return harness.run_in_process(NAME, measure, DATABASE)


# --- setting up -------------------------------------------------------------------------------


@dataclass
class Setup:
    now: datetime.datetime  # what the digest run takes as the present
    since: datetime.datetime  # where every member's last digest ended: yesterday's start
    asker: object
    answerer: object
    quiet: object  # a question nobody follows
    few: object  # FEW_FOLLOWERS watching
    many: object  # FOLLOWERS watching
    emailed: dict  # of each question's watchers, how many want an email of each answer


def _people(prefix: str, count: int) -> list[int]:
    """``count`` people who cannot sign in; three in five of them verified officials."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User

    until = timezone.localdate() + datetime.timedelta(days=365)
    User.objects.bulk_create(
        (
            User(
                email=f"{prefix}-{n}{DOMAIN}",
                display_name=f"Bench {prefix} {n}",
                password=make_password(None),
                verified_until=until if n % 5 < 3 else None,
            )
            for n in range(count)
        ),
        batch_size=BULK,
    )
    people = User.objects.filter(email__startswith=f"{prefix}-", email__endswith=DOMAIN)
    return list(people.order_by("pk").values_list("pk", flat=True))


# A follower's email choices, by their place in the list: no row (the defaults: no email of
# what they watch), and rows that do and do not want one, with each kind of digest.
FOLLOWER_SETTINGS = (
    None,
    {"watched": True},
    {"watched": False, "digest": "never"},
    {"watched": True, "own_posts": False, "digest": "daily"},
)


def _watched_question(asker, followers: list[int], title: str):
    """A public question, asked through the service, watched by ``followers``."""
    from forum import services
    from forum.models import Topic, Visibility
    from notifications.models import Follow, Level

    question = services.ask_question(
        author=asker,
        title=title,
        body="Our county is moving its ballot reconciliation to a two-person team. " * 3,
        topics=list(Topic.objects.order_by("name")[:2]),
        states=[],
        visibility=Visibility.PUBLIC,
    )
    Follow.objects.bulk_create(
        (Follow(user_id=pk, question=question, level=Level.WATCHING) for pk in followers),
        batch_size=BULK,
    )
    return question


def _digest_questions(rng: random.Random, authors: list, since: datetime.datetime) -> int:
    """NEW_QUESTIONS questions (some members-only), each in 1 to 3 topics, asked at random
    moments of the day after ``since``."""
    from django.utils.html import escape

    from bench.corpus import Writer
    from forum.models import Question, TaggedQuestion, Topic, Visibility
    from forum.services import _byline

    writer = Writer(rng)
    topics = list(Topic.objects.all())
    bylines = [_byline(user) for user in authors]
    questions = []
    for _ in range(NEW_QUESTIONS):
        body = writer.prose(writer.words(40))
        questions.append(
            Question(
                title=" ".join(writer.words(10)).capitalize() + "?",
                body=body,
                body_html=f"<p>{escape(body)}</p>",
                visibility=Visibility.MEMBERS
                if rng.random() < MEMBERS_ONLY_SHARE
                else Visibility.PUBLIC,
                **rng.choice(bylines),
            )
        )
    questions = Question.objects.bulk_create(questions, batch_size=BULK)
    # The creation time is stamped on insert; the digest's period is yesterday.
    for question in questions:
        question.created_at = question.last_activity_at = since + datetime.timedelta(
            seconds=rng.uniform(1, 24 * 60 * 60 - 1)
        )
    Question.objects.bulk_update(questions, ["created_at", "last_activity_at"], batch_size=BULK)
    TaggedQuestion.objects.bulk_create(
        (
            TaggedQuestion(content_object=question, tag=topic)
            for question in questions
            for topic in rng.sample(topics, rng.randint(1, 3))
        ),
        batch_size=BULK,
    )
    return len(questions)


def _digest_members(rng: random.Random, since: datetime.datetime) -> int:
    """MEMBERS people who follow TOPICS_EACH topics each (two in three watching, the others
    normal) and take a daily digest, last sent up to ``since``: all due."""
    from forum.models import Topic
    from notifications.models import Digest, EmailSettings, Follow, Level

    members = _people("digest", MEMBERS)
    topics = list(Topic.objects.values_list("pk", flat=True))
    EmailSettings.objects.bulk_create(
        (
            EmailSettings(
                user_id=pk, digest=Digest.DAILY, digest_through=since, watched=bool(n % 2)
            )
            for n, pk in enumerate(members)
        ),
        batch_size=BULK,
    )
    Follow.objects.bulk_create(
        (
            Follow(user_id=pk, topic_id=topic, level=Level.NORMAL if k % 3 == 2 else Level.WATCHING)
            for pk in members
            for k, topic in enumerate(rng.sample(topics, TOPICS_EACH))
        ),
        batch_size=BULK,
    )
    return len(members)


def set_up(rng: random.Random) -> Setup:
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from notifications import digests
    from notifications.models import Digest, EmailSettings

    now = timezone.now()
    since = digests.period_ends(now)[Digest.DAILY] - datetime.timedelta(days=1)
    with transaction.atomic():
        asker, answerer, *authors = User.objects.filter(pk__in=_people("author", 6)).order_by("pk")
        for person in (asker, answerer, *authors):
            person.verified_until = timezone.localdate() + datetime.timedelta(days=365)
            person.save(update_fields=["verified_until"])
        followers = _people("follower", FOLLOWERS)
        choices = [FOLLOWER_SETTINGS[n % len(FOLLOWER_SETTINGS)] for n in range(FOLLOWERS)]
        EmailSettings.objects.bulk_create(
            (
                EmailSettings(user_id=pk, **choice)
                for pk, choice in zip(followers, choices, strict=True)
                if choice is not None
            ),
            batch_size=BULK,
        )
        wants = [choice is not None and choice["watched"] for choice in choices]
    # Asked through the service, outside a transaction, so its enqueueing runs as in a request.
    quiet = _watched_question(asker, [], "How do you staff a small canvass board?")
    few = _watched_question(
        asker, followers[:FEW_FOLLOWERS], "How do you reconcile ballots with two people?"
    )
    many = _watched_question(
        asker, followers, "What goes in a chain-of-custody log for ballot transfers?"
    )
    with transaction.atomic():
        _digest_questions(rng, [asker, answerer, *authors], since)
        _digest_members(rng, since)
    emailed = {few.pk: sum(wants[:FEW_FOLLOWERS]), many.pk: sum(wants)}
    return Setup(now, since, asker, answerer, quiet, few, many, emailed)


# --- measuring --------------------------------------------------------------------------------


def _statements(queries: list[str]) -> int:
    """Queries, with consecutive INSERTs into one table counted once: the statements Django
    splits one ``bulk_create`` into (on SQLite, at 999 parameters each: Django 5.2 assumes
    the old SQLite limit) are one statement here."""
    count, previous = 0, None
    for sql in queries:
        table = sql.split(" (", 1)[0] if sql.startswith("INSERT INTO") else None
        count += table is None or table != previous
        previous = table
    return count


def _queries(capture) -> list[str]:
    return [query["sql"] for query in capture.captured_queries]


def time_posts(setup: Setup) -> dict[str, dict]:
    """post_answer on the quiet question and on the one FOLLOWERS watch, alternating (the
    first WARMUP_POSTS of each are not counted). Autocommit, so what runs after commit (the
    fan-out enqueued) runs inside, as in a request; the queries of each post are captured."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from forum import services

    posts = {
        "no followers": {"question": setup.quiet, "times": [], "queries": set()},
        f"{FOLLOWERS:,} watching": {"question": setup.many, "times": [], "queries": set()},
    }
    names = list(posts)
    for n in range(WARMUP_POSTS + POSTS):
        for name in names if n % 2 else reversed(names):
            post = posts[name]
            with CaptureQueriesContext(connection) as capture:
                started = time.perf_counter()
                services.post_answer(
                    question=post["question"], author=setup.answerer, body=ANSWER_BODY
                )
                elapsed = time.perf_counter() - started
            if n >= WARMUP_POSTS:
                post["times"].append(elapsed)
                post["queries"].add(len(capture.captured_queries))
    return posts


def _check_only_enqueued(setup: Setup) -> int:
    """The posts told nobody: the fan-out of each is a task waiting for the worker."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from notifications.models import Notification

    told = Notification.objects.count()
    waiting = DBTaskResult.objects.filter(
        task_path="notifications.tasks.deliver", status=TaskResultStatus.READY
    ).count()
    expected = 2 * (WARMUP_POSTS + POSTS) + 3  # the posts, and the three questions asked
    if told or waiting != expected:
        raise RuntimeError(
            f"expected the posts to enqueue {expected} fan-outs and tell nobody; "
            f"{waiting} wait and {told} were told"
        )
    return waiting


def time_fanouts(setup: Setup) -> dict[int, dict]:
    """For the questions FEW_FOLLOWERS and FOLLOWERS watch, alternating: an answer posted,
    then the fan-out task it enqueued run as `db_worker` runs a task (`Worker.run_task`:
    the task, then its result saved), timed, its queries captured (the first run of each
    question is not counted)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    from core.models import OutgoingEmail
    from forum import services

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="bench",
        excluded_queue_names=[],
    )
    runs = {
        FEW_FOLLOWERS: {"question": setup.few, "times": [], "queries": [], "told": set()},
        FOLLOWERS: {"question": setup.many, "times": [], "queries": [], "told": set()},
    }
    for n in range(1 + FANOUT_RUNS):
        for run in runs.values():
            question = run["question"]
            answer = services.post_answer(
                question=question, author=setup.answerer, body=ANSWER_BODY
            )
            task = DBTaskResult.objects.filter(task_path="notifications.tasks.deliver").latest(
                "enqueued_at"
            )
            if task.args_kwargs["args"][3] != answer.pk:
                raise RuntimeError(f"the newest fan-out task is not {answer.pk}'s: {task.pk}")
            task.claim(worker.worker_id)
            emails_before = OutgoingEmail.objects.count()
            with CaptureQueriesContext(connection) as capture:
                started = time.perf_counter()
                worker.run_task(task)
                elapsed = time.perf_counter() - started
            task.refresh_from_db()
            if task.status != TaskResultStatus.SUCCESSFUL:
                raise RuntimeError(f"the fan-out task failed: {task.traceback}")
            if n:
                run["times"].append(elapsed)
                run["queries"].append(_queries(capture))
                run["told"].add(task.return_value)
                run["emails"] = OutgoingEmail.objects.count() - emails_before
    return runs


@contextmanager
def _queries_per_batch(batches: list):
    """Capture the queries of each batch `send_digests` sends (its `_send_batch`, wrapped
    for the while: transaction, claim, reads, rendering, writes)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications import digests

    send_batch = digests._send_batch

    def counted(pks, ends):
        with CaptureQueriesContext(connection) as capture:
            sent = send_batch(pks, ends)
        batches.append({"people": len(pks), "sent": sent, "queries": _queries(capture)})
        return sent

    digests._send_batch = counted
    try:
        yield
    finally:
        digests._send_batch = send_batch


def time_digests(setup: Setup) -> dict:
    """The full run (digests.BATCH as it is), timed; a second run at once; the bulk insert
    of the same messages into the outbox (the baseline); then QUERY_MEMBERS members made due
    again and sent to at each of QUERY_BATCHES batch sizes, the queries of each batch
    captured."""
    from django.db import transaction

    from core.models import OutgoingEmail
    from notifications import digests
    from notifications.models import Digest, EmailSettings

    OutgoingEmail.objects.all().delete()  # the fan-outs' messages
    started, cpu_started = time.perf_counter(), time.process_time()
    sent = digests.send_digests(now=setup.now)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    again = digests.send_digests(now=setup.now)
    written = list(OutgoingEmail.objects.order_by("pk"))
    copies = [
        OutgoingEmail(
            to=email.to,
            subject=email.subject,
            text=email.text,
            html=email.html,
            headers=email.headers,
        )
        for email in written
    ]
    with transaction.atomic():
        started = time.perf_counter()
        OutgoingEmail.objects.bulk_create(copies, batch_size=BULK)
        insert_seconds = time.perf_counter() - started
    OutgoingEmail.objects.all().delete()
    members = list(
        EmailSettings.objects.filter(digest_through=digests.period_ends(setup.now)[Digest.DAILY])
        .order_by("user_id")
        .values_list("user_id", flat=True)[:QUERY_MEMBERS]
    )
    by_size = {}
    default_batch = digests.BATCH
    try:
        for size in QUERY_BATCHES:
            EmailSettings.objects.filter(user_id__in=members).update(digest_through=setup.since)
            digests.BATCH = size
            batches = []
            with _queries_per_batch(batches):
                digests.send_digests(now=setup.now)
            by_size[size] = batches
    finally:
        digests.BATCH = default_batch
    return {
        "batch": default_batch,
        "sent": sent,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "again": again,
        "written": len(written),
        "insert_seconds": insert_seconds,
        "by_size": by_size,
    }


# --- the report -------------------------------------------------------------------------------


def _fanout_rows(runs: dict[int, dict], baseline_ms: float) -> list[dict]:
    rows = []
    for followers, run in runs.items():
        median, _ = harness.median_p95_ms(run["times"])
        counts = sorted({len(queries) for queries in run["queries"]})
        statements = sorted({_statements(queries) for queries in run["queries"]})
        rows += [
            harness.figure(f"fan-out task, {followers:,} watching, median", median, "ms"),
            harness.figure(f"  slowest of {len(run['times'])}", max(run["times"]) * 1000, "ms"),
            harness.figure("  ratio to posting, no followers", median / baseline_ms, "x"),
            harness.figure("  people told (watchers and the asker)", max(run["told"]), ""),
            harness.figure("  emails written to the outbox", run["emails"], ""),
            harness.figure("  queries" + (" (max)" if len(counts) > 1 else ""), counts[-1], ""),
            harness.figure(
                "  queries, each bulk insert once" + (" (max)" if len(statements) > 1 else ""),
                statements[-1],
                "",
            ),
        ]
    return rows


def _digest_rows(digest: dict) -> list[dict]:
    per_digest = digest["seconds"] / max(digest["sent"], 1) * 1000
    rows = [
        harness.figure(
            f"bulk insert of the {digest['written']:,} digests' outbox rows (baseline)",
            digest["insert_seconds"],
            "s",
        ),
        harness.figure(
            f"send_digests, {MEMBERS:,} members due, batches of {digest['batch']}",
            digest["seconds"],
            "s",
            f"< {GOALS['digest_seconds']:g}",
            digest["seconds"] < GOALS["digest_seconds"],
        ),
        harness.figure(
            "  ratio to the baseline", digest["seconds"] / digest["insert_seconds"], "x"
        ),
        harness.figure("  of it, CPU time in this process", digest["cpu_seconds"], "s"),
        harness.figure("  digests written to the outbox", digest["sent"], ""),
        harness.figure("  per digest", per_digest, "ms"),
        harness.figure(
            "send_digests again at once: digests written",
            digest["again"],
            "",
            "= 0",
            digest["again"] == 0,
        ),
    ]
    smallest = None
    for size, batches in digest["by_size"].items():
        counts = {len(batch["queries"]) for batch in batches}
        statements = {_statements(batch["queries"]) for batch in batches}
        # Every batch of one size alike, and no more statements than the smallest size's.
        alike = len(statements) == 1
        if smallest is None:
            smallest = max(statements)
            goal, met = None, None
        else:
            goal, met = f"= {smallest}", alike and max(statements) == smallest
        rows += [
            harness.figure(
                f"digest batch of {size}: queries" + ("" if len(counts) == 1 else " (max)"),
                max(counts),
                "",
            ),
            harness.figure(
                "  queries, each bulk insert once" + ("" if alike else " (max)"),
                max(statements),
                "",
                goal,
                met,
            ),
        ]
    return rows


def measure(clock: list[float]) -> bool:
    from django.conf import settings

    from notifications import digests

    harness.step(
        f"setting up: {FOLLOWERS:,} followers, {MEMBERS:,} members x {TOPICS_EACH} topics, "
        f"{NEW_QUESTIONS} new questions",
        clock,
    )
    setup = set_up(random.Random(14))
    harness.step(f"posting answers ({POSTS} on each question, alternating)", clock)
    posts = time_posts(setup)
    waiting = _check_only_enqueued(setup)
    harness.step(f"fan-out tasks ({FANOUT_RUNS} on each question)", clock)
    fanouts = time_fanouts(setup)
    harness.step(f"digests for {MEMBERS:,} members", clock)
    digest = time_digests(setup)
    harness.step("done", clock)

    quiet, many = posts.values()
    quiet_ms, quiet_p95 = harness.median_p95_ms(quiet["times"])
    many_ms, many_p95 = harness.median_p95_ms(many["times"])
    ratio = many_ms / quiet_ms
    rows = [
        harness.figure("post_answer, no followers (baseline), median", quiet_ms, "ms"),
        harness.figure("  p95", quiet_p95, "ms"),
        harness.figure("  queries", max(quiet["queries"]), ""),
        harness.figure(f"post_answer, {FOLLOWERS:,} watching, median", many_ms, "ms"),
        harness.figure("  p95", many_p95, "ms"),
        harness.figure("  queries", max(many["queries"]), ""),
        harness.figure(
            "  ratio to no followers (medians)",
            ratio,
            "x",
            f"<= {GOALS['post_ratio']:g}",
            ratio <= GOALS["post_ratio"],
        ),
        *_fanout_rows(fanouts, quiet_ms),
        *_digest_rows(digest),
    ]
    notes = {
        "settings": settings.SETTINGS_MODULE,
        "database": settings.DATABASES["default"]["ENGINE"],
        "tasks": f"{settings.TASKS['default']['BACKEND']}: the posts enqueued {waiting} "
        "fan-out tasks and told nobody; the fan-outs measured were run as db_worker runs them",
        "followers": f"{FOLLOWERS:,} people watching one question ({FEW_FOLLOWERS} of them "
        "another), a quarter each with no email settings, with email of what they watch, "
        "without, and without email of their own posts; emails of each answer: "
        + ", ".join(f"{count} of question {pk}" for pk, count in setup.emailed.items()),
        "digest members": f"{MEMBERS:,}, each following {TOPICS_EACH} of the topics (2 in 3 "
        "watching), a daily digest last sent up to the start of yesterday; 3 in 5 verified",
        "digest questions": f"{NEW_QUESTIONS} asked yesterday, 1 to 3 topics each, "
        f"{MEMBERS_ONLY_SHARE:.0%} members-only; each digest lists at most "
        f"{digests.MAX_QUESTIONS} questions",
        "digest baseline": "OutgoingEmail.objects.bulk_create of copies of the rows the run "
        "wrote (same subjects, bodies and headers), in one transaction",
        "queries per batch": f"the first {QUERY_MEMBERS:,} members made due again, then sent "
        f"to in batches of {' and of '.join(str(size) for size in QUERY_BATCHES)}; "
        + "; ".join(
            f"batch of {size}: "
            + ", ".join(str(len(batch["queries"])) for batch in batches)
            + " queries"
            for size, batches in digest["by_size"].items()
        ),
    }
    return harness.report_figures(NAME, notes, rows)
