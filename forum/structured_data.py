"""schema.org `QAPage` JSON-LD for a public thread (issue 17), which search engines read to
show a question with its answers.

Built only for a thread anyone may read (`audience.is_public`), from what everyone who reads
it sees: the question and its answers neither hidden nor held for review. Authors are
named as a visitor sees them: whatever the asker of an anonymous question wrote has no
author (`permissions.is_signed_anonymously`). Texts are the plain text of the rendered
bodies. `forum.question_cache` puts it into the cached thread, so it costs nothing more
once cached; `core.templatetags.open_web.json_ld` writes it escaped for a <script>.
"""

from core.sites import base_url

from . import permissions
from .models import Answer, Question
from .rendering import plain_text


def _author(question: Question, post) -> dict:
    if permissions.is_signed_anonymously(question, post.author_id):
        return {}
    return {"author": {"@type": "Person", "name": post.author_name}}


def _answer(question: Question, answer: Answer) -> dict:
    return {
        "@type": "Answer",
        "text": plain_text(answer.body_html),
        "dateCreated": answer.created_at.isoformat(),
        "upvoteCount": answer.score,
        "url": base_url() + answer.get_absolute_url(),
        **_author(question, answer),
    }


def qa_page(question: Question, answers: list[Answer]) -> dict:
    """The page's JSON-LD object; ``answers`` are the ones everyone sees, in thread order."""
    accepted = [a for a in answers if a.pk == question.accepted_answer_id]
    suggested = [_answer(question, a) for a in answers if a.pk != question.accepted_answer_id]
    entity = {
        "@type": "Question",
        "name": question.title,
        "text": plain_text(question.body_html),
        "answerCount": len(answers),
        "upvoteCount": question.score,
        "dateCreated": question.created_at.isoformat(),
        **_author(question, question),
    }
    if accepted:
        entity["acceptedAnswer"] = _answer(question, accepted[0])
    if suggested:
        entity["suggestedAnswer"] = suggested
    return {
        "@context": "https://schema.org",
        "@type": "QAPage",
        "url": base_url() + question.get_absolute_url(),
        "mainEntity": entity,
    }
