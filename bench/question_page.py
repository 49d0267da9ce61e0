"""Issue 3: the question page with 50 answers x 5 comments, anonymous and signed in,
against the bare view. Anonymous visitors get the whole page from the cache (keyed on the
thread's version, so every change invalidates it); signed-in people get a page built per
request, with each answer's rendered body cached by its version."""

from django.conf import settings

ANSWERS = 50
COMMENTS_PER_ANSWER = 5
ASKER = "maria.alvarez@demo.example"
READER = "lin.hayes@demo.example"  # a verified official who may vote on every post
ANSWERERS = [
    "dana.whitfield@demo.example",
    "grace.okafor@demo.example",
    "tom.becker@demo.example",
    "priya.raman@demo.example",
]
ANSWER_BODY = """We went through this in the last two cycles, answer {n}. What worked for us:

1. Write the procedure down before the election, with the statute cited next to each step.
2. Keep a **signed log** for every hand-off: who, when, seal numbers, and the count.
3. Ask your state office for its current guidance; ours changed in 2024.

| Step | Who | When |
|------|-----|------|
| Prepare | Deputy clerk | 30 days out |
| Check | Two staff, bipartisan | 7 days out |

See `the retention schedule` and our [public procedure](https://example.gov/elections/procedure).
"""


def create_thread():
    """The thread, written through the services as people would write it."""
    from accounts.models import User
    from forum import services
    from forum.models import Topic, Visibility

    people = {
        user.email: user for user in User.objects.filter(email__in=[ASKER, READER, *ANSWERERS])
    }
    question = services.ask_question(
        author=people[ASKER],
        title="How do you run a post-election audit with a small staff?",
        body="We are a county of 90,000 voters with four full-time staff. " * 10,
        topics=list(Topic.objects.order_by("name")[:3]),
        states=[],
        visibility=Visibility.PUBLIC,
    )
    answers = []
    for n in range(ANSWERS):
        author = people[ANSWERERS[n % len(ANSWERERS)]]
        answer = services.post_answer(
            question=question, author=author, body=ANSWER_BODY.format(n=n + 1)
        )
        answers.append(answer)
        for c in range(COMMENTS_PER_ANSWER):
            services.add_comment(
                author=people[ANSWERERS[(n + c + 1) % len(ANSWERERS)]],
                body=f"Comment {c + 1} on answer {n + 1}: did you use *tamper-evident* seals?",
                answer=answer,
            )
        services.cast_vote(user=people[ASKER], post=answer, value=1 if n % 3 else -1)
    question.refresh_from_db()
    services.accept_answer(question=question, answer=answers[7], by=people[ASKER])
    return question, people[READER]


def _expect(body: str, marker: str, count: int) -> str | None:
    found = body.count(marker)
    return None if found == count else f"expected {count} x {marker!r}, found {found}"


def targets(site):
    from bench.harness import Target
    from bench.urls import BARE_PATH
    from forum.models import Question, Visibility

    question, reader = create_thread()
    path = question.get_absolute_url()
    answers = 'class="canvass-answer'
    cookies = site.login_cookies(reader)
    short = Question.objects.filter(visibility=Visibility.PUBLIC, answer_count=1).first()
    return [
        Target("bare Django view (baseline)", BARE_PATH, check=lambda body: _expect(body, "ok", 1)),
        Target(
            "question page, anonymous",
            path,
            check=lambda body: (
                _expect(body, answers, ANSWERS)
                or _expect(body, 'id="comment-', ANSWERS * COMMENTS_PER_ANSWER)
            ),
            goal=0.5,
        ),
        Target(
            "question page, signed in",
            path,
            cookies=cookies,
            check=lambda body: (
                _expect(body, answers, ANSWERS)
                or _expect(body, 'name="vote" value="up"', ANSWERS + 1)
                or _expect(body, "Post your answer", 1)
            ),
            goal=0.15,
        ),
        # For comparison: the same page for a short thread, to show what does not grow.
        Target(
            "1-answer question, signed in",
            short.get_absolute_url(),
            cookies=cookies,
            check=lambda body: _expect(body, answers, 1),
        ),
    ]


def notes() -> dict[str, str]:
    return {
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "thread": f"{ANSWERS} answers x {COMMENTS_PER_ANSWER} comments",
    }
