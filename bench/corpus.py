"""A generated forum of any size, written in bulk: verified officials, questions (some
members-only) with their answers, topics and states, accepted answers, and each question's
stored similar questions. Words are drawn Zipf-like from the demo content's vocabulary, so
the index and the queries see text shaped like the site's.

Rows are inserted with ``bulk_create`` (and ``bulk_update`` for accepted answers), not
through `forum.services`: no revisions, votes, comments or signals, and nothing is queued
for the search index (run `rebuild_search` afterwards). All posts carry the time they were
generated. The similar questions are not searched for (at 100,000 questions that takes
the search worker hours): each question gets a stored list per audience, as
`search.similar` stores it, of SIMILAR questions of that audience picked at random, so a
question page reads what it reads on a site whose worker has caught up.

Given cohorts, COHORT_SHARE of the questions are cohort-only instead, each in one of them
at random; they are in no stored list of similar questions (the cohorts benchmark, which
asks for them, measures lists and search, not question pages).
"""

import itertools
import json
import random
import re
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ANSWERS = 3  # per question
QUESTION_WORDS = ANSWER_WORDS = 40
TITLE_WORDS = 10
QUESTIONS_PER_MEMBER = 20
PUBLIC_SHARE = 0.85  # the rest are members-only
SOLVED_SHARE = 0.4
COHORT_SHARE = 0.1  # of all questions, when cohorts are given
CHUNK = 2000  # questions written at a time, so memory does not grow with the corpus
BATCH = 1000  # rows an INSERT: PostgreSQL takes at most 65,535 parameters a statement
SIMILAR = 5  # stored similar questions per question and audience (search.queries)
WORD = re.compile(r"[a-z]+")
MEMBER_DOMAIN = "@bench.example"


class Writer:
    """Text whose words follow Zipf's law over the demo content's vocabulary: the demo's
    most frequent word is the likeliest, the n-th is n times less likely."""

    def __init__(self, rng: random.Random):
        from demo.pages import GUIDES_FILE
        from demo.threads import QA_FILE

        counts = Counter()
        for path in (QA_FILE, GUIDES_FILE):
            for line in Path(path).read_text().splitlines():
                item = json.loads(line)
                answers = [answer["body"] for answer in item.get("answers", ())]
                for part in (item["title"], item["body"], *answers):
                    counts.update(WORD.findall(part.lower()))
        self.vocabulary = sorted(counts, key=lambda word: (-counts[word], word))
        self.cumulative = list(
            itertools.accumulate(1 / rank for rank in range(1, len(self.vocabulary) + 1))
        )
        self.rng = rng

    def words(self, count: int) -> list[str]:
        return self.rng.choices(self.vocabulary, cum_weights=self.cumulative, k=count)

    def prose(self, words: list[str]) -> str:
        """The words as sentences of twelve."""
        return " ".join(
            " ".join(words[start : start + 12]).capitalize() + "."
            for start in range(0, len(words), 12)
        )


@dataclass
class Corpus:
    questions: int
    members: int
    # In how many threads (question and answers) each word occurs: for picking queries.
    thread_frequency: Counter


def _post(writer: Writer, words: list[str]) -> dict:
    from django.utils.html import escape

    body = writer.prose(words)
    return {"body": body, "body_html": f"<p>{escape(body)}</p>"}


def _members(count: int, rng: random.Random) -> list:
    """Verified officials, each at a random election office, who cannot sign in."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import Jurisdiction, User

    offices = list(Jurisdiction.objects.order_by("pk").values_list("pk", flat=True))
    until = timezone.localdate() + timedelta(days=365)
    User.objects.bulk_create(
        [
            User(
                email=f"bench-{n}{MEMBER_DOMAIN}",
                display_name=f"Bench Official {n}",
                password=make_password(None),
                jurisdiction_id=rng.choice(offices),
                verified_until=until,
            )
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    return list(members())


def members():
    """The generated officials."""
    from accounts.models import User

    return User.objects.filter(email__endswith=MEMBER_DOMAIN).select_related("jurisdiction")


def _similar_lists(batch: list, earlier: dict[str, list[int]], rng: random.Random) -> None:
    """Each question of ``batch`` its stored list: per audience, SIMILAR random questions
    of that audience generated so far, with scores near one another."""
    from django.utils import timezone

    from forum import audience
    from forum.models import Visibility
    from search.models import SimilarList, SimilarQuestion

    for question in batch:
        if question.visibility != Visibility.COHORT:
            earlier[audience.of_thread(question)].append(question.pk)
    SimilarQuestion.objects.bulk_create(
        (
            SimilarQuestion(question=question, similar_id=pk, audience=name, score=score)
            for question in batch
            for name, pool in earlier.items()
            for pk, score in zip(
                rng.sample(pool, min(SIMILAR, len(pool))),
                sorted((rng.uniform(5, 10) for _ in range(SIMILAR)), reverse=True),
                strict=False,
            )
            if pk != question.pk
        ),
        batch_size=BATCH,
    )
    now = timezone.now()
    SimilarList.objects.bulk_create(
        (SimilarList(question=q, title=q.title, found_at=now) for q in batch), batch_size=BATCH
    )


def _audience(rng: random.Random, cohorts: list[int]) -> dict:
    """A question's visibility (and cohort): with cohorts given, COHORT_SHARE cohort-only;
    the others PUBLIC_SHARE public, the rest members-only."""
    from forum.models import Visibility

    if cohorts and rng.random() < COHORT_SHARE:
        return {"visibility": Visibility.COHORT, "cohort_id": rng.choice(cohorts)}
    public = rng.random() < PUBLIC_SHARE
    return {"visibility": Visibility.PUBLIC if public else Visibility.MEMBERS}


def generate(questions: int, rng: random.Random, cohorts: list[int] = ()) -> Corpus:
    """``questions`` questions with ANSWERS answers each, and a verified official for every
    QUESTIONS_PER_MEMBER of them, in one transaction; some in ``cohorts`` (their ids)."""
    from django.db import transaction

    from accounts.states import US_STATES
    from forum import audience
    from forum.models import Answer, Question, QuestionState, TaggedQuestion, Topic
    from forum.services import _byline

    writer = Writer(rng)
    frequency = Counter()
    earlier = {name: [] for name in audience.AUDIENCES}
    topics = list(Topic.objects.all())
    states = [code for code, _ in US_STATES]
    with transaction.atomic():
        members = _members(max(1, questions // QUESTIONS_PER_MEMBER), rng)
        bylines = [_byline(user) for user in members]
        for start in range(0, questions, CHUNK):
            threads = []
            for _ in range(min(CHUNK, questions - start)):
                title, body = writer.words(TITLE_WORDS), writer.words(QUESTION_WORDS)
                answers = [writer.words(ANSWER_WORDS) for _ in range(ANSWERS)]
                frequency.update(set(itertools.chain(title, body, *answers)))
                threads.append((title, body, answers))
            batch = Question.objects.bulk_create(
                [
                    Question(
                        title=" ".join(title).capitalize() + "?",
                        **_post(writer, body),
                        **_audience(rng, cohorts),
                        answer_count=ANSWERS,
                        **rng.choice(bylines),
                    )
                    for title, body, _ in threads
                ],
                batch_size=BATCH,
            )
            TaggedQuestion.objects.bulk_create(
                (
                    TaggedQuestion(content_object=question, tag=topic)
                    for question in batch
                    for topic in rng.sample(topics, rng.randint(1, 3))
                ),
                batch_size=BATCH,
            )
            QuestionState.objects.bulk_create(
                (QuestionState(question=question, state=rng.choice(states)) for question in batch),
                batch_size=BATCH,
            )
            answers = Answer.objects.bulk_create(
                (
                    Answer(question=question, **_post(writer, words), **rng.choice(bylines))
                    for question, (_, _, thread_answers) in zip(batch, threads, strict=True)
                    for words in thread_answers
                ),
                batch_size=BATCH,
            )
            solved = []
            for n, question in enumerate(batch):
                if rng.random() < SOLVED_SHARE:
                    question.accepted_answer = answers[ANSWERS * n]
                    solved.append(question)
            Question.objects.bulk_update(solved, ["accepted_answer"], batch_size=BATCH)
            _similar_lists(batch, earlier, rng)
    return Corpus(questions, len(bylines), frequency)
