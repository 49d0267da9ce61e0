"""The demo Q&A: the 24 public threads in data/demo/qa.jsonl, asked and answered by the demo
officials and the expert, plus three members-only threads that show what members keep out of
public view. Everything is written through `forum.services`, so the same permission rules,
bylines, revisions, votes and counters apply as on the site. A thread whose title exists
already is skipped, so running `load_demo` again duplicates nothing and keeps members' edits.

The threads have a history, so the lists sorted by activity and by votes mean something:
they were asked over the past two years, answered, accepted and commented on hours to months
later, and voted on by the demo people. The dates and votes come from generators seeded with
the thread's key, so every load writes the same history (counted back from the day it runs).
The site has no view counts, so the demo has none either."""

import datetime
import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from cohorts.models import Cohort
from forum import limits, services
from forum.models import (
    BODY_MAX,
    BODY_MIN,
    COMMENT_MAX,
    COMMENT_MIN,
    TITLE_MAX,
    TITLE_MIN,
    Answer,
    Comment,
    Question,
    Revision,
    Topic,
    Visibility,
)

from .people import DEMO_PEOPLE

QA_FILE = Path(settings.BASE_DIR) / "data" / "demo" / "qa.jsonl"
EXPERT_EMAIL = "priya.raman@demo.example"
DEMO_NOTE = "_Demo content: a synthetic question written for Canvass from public sources._"
# The public threads are asked by the verified officials in turn, starting with the third,
# so the big-office questions (3,000 returned mailings) land with a big office and the
# small-office ones ("small jurisdiction, we've always just done it") with a small one.
ASKER_OFFSET = 2
# The answer that worked was found useful by at least this many colleagues besides its author.
UPVOTES_PER_ACCEPTED_ANSWER = 2
HISTORY_SEED = "canvass-demo"
HISTORY = datetime.timedelta(days=730)
# The newest question leaves its answers room to arrive before today.
NEWEST_QUESTION_AGE = datetime.timedelta(days=4)
# Of the answers after the first, and of the comments, this share arrive months later and
# bring an old thread back to the top of the "active" list.
LATE_SHARE = 0.35
DOWNVOTE_SHARE = 0.05

# A short comment on a few public threads: (thread id, on, who, text). `on` is "question" or
# "accepted" (the accepted answer); `who` is "asker" or "peer" (the next official along).
COMMENTS = [
    (
        "q02",
        "accepted",
        "asker",
        "Thanks. We now generate the deck from the EMS and diff the tapes against the "
        "expected-results report with a script; all 212 styles took two days on three scanners.",
    ),
    (
        "q04",
        "question",
        "peer",
        "Check first whether your state treats a returned sample ballot as a mailing that "
        "triggers a confirmation notice at all; ours has its own list of qualifying mailings.",
    ),
    (
        "q07",
        "accepted",
        "peer",
        "One more: our public page lists box locations and hours, but the collection "
        "schedule and team assignments stay internal.",
    ),
    (
        "q10",
        "question",
        "peer",
        "So sorry this happened to you. Tell your staff it is not their job to answer anyone "
        "online; route everything to one person who keeps the log.",
    ),
    (
        "q14",
        "accepted",
        "asker",
        "This is what our emergency manager was after. We are adding the e-pollbook "
        "paper-backup scenario to our spring tabletop.",
    ),
    (
        "q19",
        "accepted",
        "asker",
        "It went fine. Having the count of ballots still to be tallied on an index card "
        "saved me twice.",
    ),
    (
        "q23",
        "question",
        "peer",
        "Start a canvass binder this time: every discrepancy, who looked into it and how it "
        "was resolved. Whoever comes after you will thank you.",
    ),
]


@dataclass(frozen=True)
class DemoAnswer:
    body: str
    accepted: bool = False
    author: str | None = None  # an email; None: the next person in the rotation


@dataclass(frozen=True)
class DemoThread:
    key: str
    title: str
    body: str
    topics: list[str]
    answers: list[DemoAnswer]
    visibility: str = Visibility.PUBLIC
    asker: str | None = None  # an email; None: the next official in the rotation
    comments: list[tuple[str, str, str]] = field(default_factory=list)


MEMBERS_ONLY_THREADS = [
    DemoThread(
        key="m01",
        title="Staff threatened at home: how are you using address confidentiality programs?",
        body=(
            "After our recount two of our seasonal staff received hostile letters at their "
            "homes. Nobody was hurt and the sheriff has the letters, but it made clear we have "
            "no written process for this.\n\n"
            "We are checking whether our state's address confidentiality program covers "
            "election workers or only survivors of domestic violence. Beyond that:\n\n"
            "- Who in your office helps staff enroll, and what do you tell new hires on day "
            "one?\n"
            "- How do you keep home addresses out of your *own* records that a public records "
            "request could reach?\n"
            "- Did anyone's program also shield the staff member's voter registration record?"
        ),
        topics=["personal-safety-threats", "staff-wellbeing-retention", "public-records-retention"],
        asker="dana.whitfield@demo.example",
        visibility=Visibility.MEMBERS,
        answers=[
            DemoAnswer(
                "We wrote a one-page procedure after something similar. The parts that "
                "mattered most:\n\n"
                "1. **One point of contact.** Our HR lead and the deputy director handle every "
                "report, keep a threat log (date, what was received, who it went to) and make "
                "the law-enforcement report so the staff member does not have to.\n"
                "2. **An address audit.** We listed every place a home address lives in our "
                "own systems: personnel and payroll files, emergency contact lists, poll worker "
                "rosters, training sign-in sheets. Each one now has an owner and a short list "
                "of who may open it.\n"
                "3. **Enrollment help on day one.** The new-hire packet explains the "
                "confidentiality program and data-broker opt-outs, and we give people paid "
                "time to do them.\n\n"
                "On voter records: ask your state program's administrator. In many states the "
                "substitute address also applies to the voter file, but the staff member has "
                "to ask for it, and your office has to know how to flag the record.",
                accepted=True,
                author="maria.alvarez@demo.example",
            ),
            DemoAnswer(
                "Add your employee assistance program to the first conversation, not the "
                "last. Our staff said the letters were less frightening than feeling they had "
                "to handle it alone. CISA's personal-security resources for election workers "
                "are a good handout for the whole team.",
                author=EXPERT_EMAIL,
            ),
        ],
        comments=[
            (
                "accepted",
                "asker",
                "The address audit is exactly what we were missing. We found home addresses "
                "on an old poll worker roster that far too many people could open.",
            )
        ],
    ),
    DemoThread(
        key="m02",
        title="What our tabletop on an election-night network outage revealed",
        body=(
            "We ran a two-hour tabletop with our IT contact, the county emergency manager "
            "and the state's election security team. Scenario: the network at the county "
            "building goes down at 8:30 pm on election night, with precinct results still "
            "coming in.\n\n"
            "What we learned:\n\n"
            '- Our contingency plan said to "use the backup method" for sending unofficial '
            "results to the state, and nobody in the room could say what that was.\n"
            "- Only one person knew the steps for updating our public results page.\n"
            "- Nobody was assigned to tell the press and the candidates why results were "
            "late.\n\n"
            "How have others written the fallback for transmitting unofficial results, and "
            "who in your office owns communication during an outage?"
        ),
        topics=["contingency-planning", "tabulation-results-reporting", "cybersecurity"],
        asker="tom.becker@demo.example",
        visibility=Visibility.MEMBERS,
        answers=[
            DemoAnswer(
                "That is a productive tabletop: finding gaps is the point. A few suggestions:\n\n"
                "- **Agree the fallback with your state office in writing.** The state decides "
                "which alternate ways of reporting unofficial results it accepts; your plan "
                "should name the method, who does it and when you switch (for example, after "
                "30 minutes without a connection).\n"
                "- **Remember what the record is.** The paper results and the media from the "
                "tabulators, under chain of custody, are what the canvass uses. A late "
                "unofficial upload is an inconvenience, not a problem with the count.\n"
                "- **Cross-train.** At least two people per step, each with their own "
                "account.\n"
                "- **Pre-write the holding statement**: results are delayed, why, when the next "
                "update comes, and that every ballot is safe and will be counted.\n\n"
                "Then write the after-action report and improvement plan, and run the scenario "
                "again before the general. CISA's tabletop exercise packages for elections "
                "include outage scenarios you can adapt.",
                accepted=True,
                author=EXPERT_EMAIL,
            ),
            DemoAnswer(
                "We keep a one-page outage card in the results room: the steps, the phone "
                "numbers to call and who says what to whom. The public information officer "
                "owns communication; the director only approves the wording.",
                author="grace.okafor@demo.example",
            ),
        ],
    ),
    DemoThread(
        key="m03",
        title="Working with the sheriff after a confrontation outside a polling place",
        body=(
            "During the primary a man stood just outside the electioneering boundary at one "
            "of our polling places, filming voters as they walked in and asking them who they "
            "voted for. A poll worker called 911. The deputy who came was helpful but unsure "
            "what he was allowed to do near the polls, and the chief inspector was unsure "
            "whether to ask him inside.\n\n"
            "Before November we want an understanding with the sheriff's office and the city "
            "police: who calls whom, what officers may and may not do near a polling place "
            "under our state law, and what our chief inspectors should do first. What do your "
            "agreements or briefings look like?"
        ),
        topics=["polling-place-management", "personal-safety-threats", "poll-workers"],
        asker="grace.okafor@demo.example",
        visibility=Visibility.MEMBERS,
        answers=[
            DemoAnswer(
                "We meet the sheriff and police chiefs every summer before the general and "
                "leave them a one-page brief:\n\n"
                "- what state law says about the electioneering boundary, photography at the "
                "polls and who may be inside a polling place (many states restrict law "
                "enforcement presence unless an election official asks for help);\n"
                "- that voter intimidation is a crime under federal and state law, with the "
                "citations;\n"
                "- that the chief inspector runs the polling place, and officers come inside "
                "only when asked or for an emergency;\n"
                "- one phone number at our office for officers to call, staffed all day.\n\n"
                "Chief inspectors get a short script: stay calm, don't argue, write down what "
                "happened and when, call the office, and call 911 if anyone is in danger. We "
                "use CISA's de-escalation training for poll workers.",
                accepted=True,
                author="lin.hayes@demo.example",
            ),
        ],
    ),
]


class DemoDataError(ValueError):
    """The demo data breaks a forum rule; fix the data rather than the loader."""


def _read_threads() -> list[DemoThread]:
    comments = {key: (on, who, text) for key, on, who, text in COMMENTS}
    threads = []
    with QA_FILE.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            threads.append(
                DemoThread(
                    key=row["id"],
                    title=row["title"],
                    body=row["body"],
                    topics=row["tags"],
                    answers=[DemoAnswer(a["body"], accepted=a["accepted"]) for a in row["answers"]],
                    comments=[comments[row["id"]]] if row["id"] in comments else [],
                )
            )
    return threads


def _check(thread: DemoThread) -> None:
    """Refuse data the model would reject, naming the thread. A body that is too short is
    reported, never padded."""
    problems = []
    if not TITLE_MIN <= len(thread.title.strip()) <= TITLE_MAX:
        problems.append(f"title has {len(thread.title.strip())} characters")
    if not BODY_MIN <= len(thread.body) <= BODY_MAX:
        problems.append(f"question body has {len(thread.body)} characters")
    for number, answer in enumerate(thread.answers, start=1):
        if not BODY_MIN <= len(answer.body) <= BODY_MAX:
            problems.append(f"answer {number} has {len(answer.body)} characters")
    if sum(answer.accepted for answer in thread.answers) > 1:
        problems.append("more than one accepted answer")
    for on, _who, text in thread.comments:
        if not COMMENT_MIN <= len(text) <= COMMENT_MAX:
            problems.append(f"a comment has {len(text)} characters")
        if on == "accepted" and not any(answer.accepted for answer in thread.answers):
            problems.append("a comment on the accepted answer, and no answer is accepted")
    if problems:
        raise DemoDataError(f"Demo thread {thread.key}: " + "; ".join(problems) + ".")


def _with_note(body: str) -> str:
    return f"{body.rstrip()}\n\n{DEMO_NOTE}"


def _people() -> tuple[list[User], User]:
    """The verified demo officials, in DEMO_PEOPLE order, and the expert."""
    emails = [p.email for p in DEMO_PEOPLE if p.verified]
    users = User.objects.select_related("jurisdiction").in_bulk(
        [*emails, EXPERT_EMAIL], field_name="email"
    )
    missing = sorted({*emails, EXPERT_EMAIL} - set(users))
    if missing:
        raise DemoDataError(f"Load the demo people first; missing: {', '.join(missing)}.")
    return [users[email] for email in emails], users[EXPERT_EMAIL]


def _after(people: list[User], person: User, steps: int = 1) -> User:
    return people[(people.index(person) + steps) % len(people)]


@dataclass(frozen=True)
class ThreadHistory:
    """When each part of a demo thread was written: the question, each answer in the data's
    order, the acceptance, and each comment in the data's order."""

    asked: datetime.datetime
    answered: list[datetime.datetime]
    accepted: datetime.datetime | None
    commented: list[datetime.datetime]

    @property
    def last_activity(self) -> datetime.datetime:
        accepted = [self.accepted] if self.accepted else []
        return max([self.asked, *self.answered, *accepted, *self.commented])


def _seeded(*parts: str) -> random.Random:
    """The generator behind part of the demo's history: the same parts, the same history."""
    return random.Random(":".join([HISTORY_SEED, *parts]))  # noqa: S311 - demo data, no secret


def _asking_times(
    threads: list[DemoThread], now: datetime.datetime, history: datetime.timedelta = HISTORY
) -> dict[str, datetime.datetime]:
    """When each demo thread was asked: the past `history` (two years) cut into one equal
    slot per thread, the slots dealt out in a seeded shuffle, and each question at a seeded
    moment well inside its slot, so questions are days apart and the newest is not simply
    the last in the file."""
    rng = _seeded()
    keys = [thread.key for thread in threads]
    rng.shuffle(keys)
    start, slot = now - history, (history - NEWEST_QUESTION_AGE) / len(keys)
    return {key: start + slot * (number + rng.uniform(0.1, 0.9)) for number, key in enumerate(keys)}


def _wait(
    rng: random.Random, *, hours: tuple[float, float], late_days: tuple[float, float] | None = None
) -> datetime.timedelta:
    """A wait of between `hours` (log-uniform: mostly the shorter ones) or, given `late_days`,
    in LATE_SHARE of the cases a wait of that many days."""
    if late_days and rng.random() < LATE_SHARE:
        return datetime.timedelta(days=rng.uniform(*late_days))
    low, high = (math.log(bound) for bound in hours)
    return datetime.timedelta(hours=math.exp(rng.uniform(low, high)))


def _history(
    thread: DemoThread, *, asked: datetime.datetime, now: datetime.datetime
) -> ThreadHistory:
    """The thread's history from its seed: the first answer within three days, later ones
    within two weeks or months afterwards, the acceptance within a week of the accepted
    answer, comments after what they remark on. A wait that would end later than an hour
    ago ends at a seeded moment before then instead, so recent threads do not all share it."""
    rng = _seeded(thread.key, "dates")
    latest = now - datetime.timedelta(hours=1)

    def after(moment: datetime.datetime, **wait) -> datetime.datetime:
        then = moment + _wait(rng, **wait)
        return then if then <= latest else moment + (latest - moment) * rng.uniform(0.2, 0.95)

    answered, previous = [], asked
    for number in range(len(thread.answers)):
        if number == 0:
            previous = after(previous, hours=(1, 72))
        else:
            previous = after(previous, hours=(2, 336), late_days=(30, 365))
        answered.append(previous)
    accepted = next(
        (after(answered[n], hours=(1, 168)) for n, a in enumerate(thread.answers) if a.accepted),
        None,
    )
    commented = [
        after(accepted if on == "accepted" else asked, hours=(1, 720), late_days=(30, 400))
        for on, _who, _text in thread.comments
    ]
    return ThreadHistory(asked=asked, answered=answered, accepted=accepted, commented=commented)


def _cast_votes(
    rng: random.Random,
    *,
    question: Question,
    answers: list[Answer],
    accepted: Answer | None,
    voters: list[User],
) -> None:
    """The demo people's votes, through the service that keeps the scores, never on their
    own posts. Some threads draw many votes and some few; the accepted answer draws the
    most, at least UPVOTES_PER_ACCEPTED_ANSWER; another answer is now and then voted down."""
    popularity = rng.uniform(0.1, 0.9)
    for post in [question, *answers]:
        eligible = [voter for voter in voters if voter.pk != post.author_id]
        if post == accepted:
            chance = max(popularity, 0.6)
        elif post == question:
            chance = popularity
        else:
            chance = popularity / 2
        up = [voter for voter in eligible if rng.random() < chance]
        if post == accepted and len(up) < UPVOTES_PER_ACCEPTED_ANSWER:
            others = [voter for voter in eligible if voter not in up]
            up += rng.sample(others, UPVOTES_PER_ACCEPTED_ANSWER - len(up))
        down = []
        if post != question and post != accepted:
            down = [
                voter for voter in eligible if voter not in up and rng.random() < DOWNVOTE_SHARE
            ]
        for voter in up:
            services.cast_vote(user=voter, post=post, value=1)
        for voter in down:
            services.cast_vote(user=voter, post=post, value=-1)


def _backdate(
    question: Question, answers: list[Answer], comments: list[Comment], history: ThreadHistory
) -> None:
    """Write the thread's history. The services stamp what they create with the present
    (`auto_now_add`) and rightly offer no way to write the past; only the demo may, so it
    sets the dates afterwards: each revision with its post, and the question's last change
    (`updated_at`) at its acceptance."""
    for answer, when in zip(answers, history.answered, strict=True):
        Answer.objects.filter(pk=answer.pk).update(created_at=when, updated_at=when)
        Revision.objects.filter(answer=answer).update(created_at=when)
    for comment, when in zip(comments, history.commented, strict=True):
        Comment.objects.filter(pk=comment.pk).update(created_at=when)
    Revision.objects.filter(question=question).update(created_at=history.asked)
    by_others = [
        when
        for answer, when in zip(answers, history.answered, strict=True)
        if answer.author_id != question.author_id
    ]
    Question.objects.filter(pk=question.pk).update(
        created_at=history.asked,
        updated_at=history.accepted or history.asked,
        last_activity_at=history.last_activity,
        first_answered_at=min(by_others, default=None),
        accepted_at=history.accepted,
    )


def _create_thread(
    thread: DemoThread,
    *,
    index: int,
    officials: list[User],
    experts: list[User],
    topics: dict[str, Topic],
    history: ThreadHistory,
    cohort: Cohort | None = None,
) -> int:
    """Create one thread with its votes and history; returns the number of answers posted.
    The officials and experts given are the people who may read it: they ask, answer and
    vote (a cohort-only thread, in ``cohort``, is theirs alone)."""
    by_email = {u.email: u for u in [*officials, *experts]}
    asker = (
        by_email[thread.asker]
        if thread.asker
        else officials[(index + ASKER_OFFSET) % len(officials)]
    )
    chosen = [topics[slug] for slug in thread.topics if slug in topics]
    if not chosen:
        raise DemoDataError(f"Demo thread {thread.key}: none of its topics exist.")
    question = services.ask_question(
        author=asker,
        title=thread.title,
        body=_with_note(thread.body),
        topics=chosen,
        states=[],  # the asker's own state
        visibility=thread.visibility,
        cohort=cohort,
    )
    # Answerers rotate so each asker hears from several colleagues. The expert may write an
    # accepted answer; the others in the data tell what "our office" does, so officials
    # write those.
    shift = index + index // len(officials)
    answers: list[Answer] = []
    accepted = None
    for number, data in enumerate(thread.answers):
        if data.author:
            author = by_email[data.author]
        else:
            pool = [*officials, *experts] if data.accepted else officials
            answerers = [answer.author for answer in answers]
            candidates = [u for u in pool if u != asker and u not in answerers]
            author = candidates[(shift + number) % len(candidates)]
        if author == asker:
            raise DemoDataError(f"Demo thread {thread.key}: the asker cannot answer.")
        answer = services.post_answer(question=question, author=author, body=data.body)
        answers.append(answer)
        if data.accepted:
            accepted = answer
    _cast_votes(
        _seeded(thread.key, "votes"),
        question=question,
        answers=answers,
        accepted=accepted,
        voters=[*officials, *experts],
    )
    if accepted is not None:
        services.accept_answer(question=question, answer=accepted, by=asker)
    comments = []
    for on, who, text in thread.comments:
        author = asker if who == "asker" else _after(officials, asker)
        if on == "accepted":
            comments.append(services.add_comment(author=author, body=text, answer=accepted))
        else:
            comments.append(services.add_comment(author=author, body=text, question=question))
    _backdate(question, answers, comments, history)
    return len(answers)


@transaction.atomic
def load_threads() -> dict[str, int]:
    """Create the demo threads that do not exist yet (matched by title); returns how many
    threads, answers and members-only threads were added."""
    threads = [*_read_threads(), *MEMBERS_ONLY_THREADS]
    for thread in threads:
        _check(thread)
    officials, expert = _people()
    topics = Topic.objects.in_bulk(field_name="slug")
    existing = set(Question.objects.values_list("title", flat=True))
    now = timezone.now()
    asked = _asking_times(threads, now)
    counts = {"threads": 0, "answers": 0, "members-only threads": 0}
    for index, thread in enumerate(threads):
        if thread.title.strip() in existing:
            continue
        # A thread's history is written at once and dated afterwards (`_backdate`), faster
        # than the posting limits let anyone post.
        with limits.lifted():
            counts["answers"] += _create_thread(
                thread,
                index=index,
                officials=officials,
                experts=[expert],
                topics=topics,
                history=_history(thread, asked=asked[thread.key], now=now),
            )
        existing.add(thread.title.strip())
        counts["threads"] += 1
        counts["members-only threads"] += thread.visibility == Visibility.MEMBERS
    return counts
