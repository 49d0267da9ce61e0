"""The open web's test world (issue 17): one public thread and one of every kind that must
never reach a feed, the sitemap or structured data, each carrying a word of its own in its
title and body; guides, a toolkit and events, with a draft and restricted pages beside them."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.models import GuidePage, ResourceIndexPage
from forum import services
from forum.models import FlagReason, Question, Visibility
from tests import factories

# The word each thread that must stay out carries, by why it must.
SECRET_WORDS = {
    "members": "Quillmembers",
    "cohort": "Quillcohort",
    "hidden": "Quillhidden",
    "held": "Quillheld",
    "merged": "Quillmerged",
}
DRAFT_WORD = "Quilldraft"
PRIVATE_WORD = "Quillprivate"


@dataclass
class Web:
    public_q: Question
    anonymous_q: Question
    accepted: object
    suggested: object
    hidden_answer: object
    secret: dict  # why -> Question
    guide: object
    toolkit: object
    event: object
    draft_guide: object
    private_guide: object
    private_event: object


def _titled(word: str) -> dict:
    return {
        "title": f"What about the {word} thread we keep discussing?",
        "body": f"The body that names {word} and must stay where it was written.",
    }


@pytest.fixture
def web(asker, expert, moderator):
    """Every thread asked by `asker` (Arizona), answered by `expert`."""
    public_q = factories.ask(
        asker, visibility=Visibility.PUBLIC, states=["AZ"], title="Who tests ballot printers?",
        body="We print **on demand**. </script><script>alert(1)</script> How do peers test?",
    )  # fmt: skip
    accepted = factories.answer(public_q, expert, body="We test each printer before early voting.")
    suggested = factories.answer(public_q, factories.make_official(state="OH"))
    hidden_answer = factories.answer(public_q, expert, body="Quillhiddenanswer is hidden.")
    services.accept_answer(question=public_q, answer=accepted, by=asker)
    services.hide_post(post=hidden_answer, by=moderator)
    anonymous_q = factories.ask(
        asker, visibility=Visibility.PUBLIC, is_anonymous=True, states=["AZ"],
        title="Asked without a name about the canvass",
    )  # fmt: skip
    cohort = factories.make_cohort(offices=[asker.jurisdiction])
    secret = {
        "members": factories.ask(asker, visibility=Visibility.MEMBERS, **_titled("Quillmembers")),
        "cohort": factories.ask(
            asker, visibility=Visibility.COHORT, cohort=cohort, **_titled("Quillcohort")
        ),
    }
    for why in ("hidden", "held", "merged"):
        secret[why] = factories.ask(
            asker, visibility=Visibility.PUBLIC, states=["AZ"], **_titled(SECRET_WORDS[why])
        )
    services.hide_post(post=secret["hidden"], by=moderator)
    services.flag_post(
        post=secret["held"], by=factories.make_official(state="OH"), reason=FlagReason.PERSONAL
    )
    services.merge_questions(
        question=secret["merged"], into=public_q, by=moderator, reason="Same question."
    )
    for question in secret.values():
        question.refresh_from_db()
    assert secret["held"].held_for_review

    now = timezone.now()
    guide = factories.make_guide("Testing ballot printers", topics=factories.topics(1))
    toolkit = factories.make_toolkit("Printer test kit")
    event = factories.make_event(
        "Printer testing webinar",
        start=now + datetime.timedelta(days=7),
        end=now + datetime.timedelta(days=7, hours=1),
        place="Phoenix Convention Center",
    )
    draft_guide = GuidePage(
        title=f"The {DRAFT_WORD} guide", slug="draft-guide", summary="Not yet.", live=False
    )
    ResourceIndexPage.objects.get().add_child(instance=draft_guide)
    draft_guide.save_revision()
    private_guide = factories.make_guide(f"The {PRIVATE_WORD} guide")
    private_event = factories.make_event(
        f"The {PRIVATE_WORD} event",
        start=now + datetime.timedelta(days=3),
        end=now + datetime.timedelta(days=3, hours=1),
    )
    for page in (private_guide, private_event):
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    for question in (public_q, anonymous_q):
        question.refresh_from_db()
    return Web(
        public_q=public_q,
        anonymous_q=anonymous_q,
        accepted=accepted,
        suggested=suggested,
        hidden_answer=hidden_answer,
        secret=secret,
        guide=guide,
        toolkit=toolkit,
        event=event,
        draft_guide=draft_guide,
        private_guide=private_guide,
        private_event=private_event,
    )


def leaks(text: str) -> list[str]:
    """The words of what must never be shown to a visitor that ``text`` holds."""
    words = [*SECRET_WORDS.values(), "Quillhiddenanswer", DRAFT_WORD, PRIVATE_WORD]
    return [word for word in words if word.lower() in text.lower()]
