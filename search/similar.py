"""Similar questions beside a thread, found when the thread changes and stored, so that a
question page reads them with one indexed query and never runs a search.

For each question, the best matches for its title among the questions of each audience
are stored with their scores (``SimilarQuestion``), once per title: the queue finds them
after it has applied the question's change to the index (``search.queue``), for a
question never seen or whose title changed. A new question is also offered to the lists
of the questions it found, where it scores better than their last entry, so older threads
show newer like questions without being searched again. A page reads the lists of the
reader's audiences through ``Question.objects.visible_to``, so a thread hidden or made
members-only a moment ago is never shown, and keeps those near the best
(``queries.closest``).
"""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from forum import audience
from forum.models import Question

from .models import SimilarList, SimilarQuestion
from .queries import SIMILAR_LIMIT, closest, scored_questions

logger = logging.getLogger("canvass.search")


def for_thread(user, question, *, limit: int = SIMILAR_LIMIT) -> list:
    """The stored similar questions this reader may read now, best first: one query."""
    found = (
        Question.objects.visible_to(user)
        .filter(
            audience.PUBLISHED,
            similar_of__question=question,
            similar_of__audience__in=audience.audiences_of(user),
        )
        .annotate(similarity=F("similar_of__score"))
        .only("pk", "title", "accepted_answer_id")
        .order_by("-similarity", "pk")[: limit * 2]
    )
    found = list(found)
    wanted = set(closest([(q.pk, q.similarity) for q in found], limit))
    return [question for question in found if question.pk in wanted]


def refresh(question_ids) -> None:
    """Find and store the similar questions of those of ``question_ids`` whose title has
    no list yet. Never raises: a question without a list gets one at its next change."""
    listed = dict(
        SimilarList.objects.filter(question_id__in=question_ids).values_list("question", "title")
    )
    questions = Question.objects.filter(audience.PUBLISHED, pk__in=question_ids)
    shown = ("pk", "title", "visibility", "cohort_id", "is_hidden", "held_for_review")
    for question in questions.only(*shown):
        if listed.get(question.pk) == question.title:
            continue
        try:
            _find(question)
        except Exception:  # the index change it follows is applied: never undo or fail that
            logger.exception("Similar questions of %s not found now.", question.pk)


def _find(question) -> None:
    """Search each fixed audience, and a cohort-only question's own cohort (not every
    cohort: a search each; a newer cohort thread is still offered to the list, `_offer`)."""
    found = [
        SimilarQuestion(question=question, similar_id=pk, audience=name, score=score)
        for name in sorted({*audience.FIXED, audience.of_thread(question)})
        for pk, score in scored_questions(question.title, {name}, limit=SIMILAR_LIMIT + 1)
        if pk != question.pk
    ]
    with transaction.atomic():
        SimilarQuestion.objects.filter(question=question).delete()
        SimilarQuestion.objects.bulk_create(found)
        SimilarList.objects.update_or_create(
            question=question, defaults={"title": question.title, "found_at": timezone.now()}
        )
        for row in found:
            _offer(row.similar_id, question, row.score)


def _offer(listed_id: int, question, score: float) -> None:
    """Put ``question`` in the stored list of ``listed_id`` (if it has one) when it scores
    better than that list's last entry of its audience, or the list is not full."""
    if not SimilarList.objects.filter(question_id=listed_id).exists():
        return
    name = audience.of_thread(question)
    entries = list(
        SimilarQuestion.objects.filter(question_id=listed_id, audience=name).order_by("score")
    )
    if any(entry.similar_id == question.pk for entry in entries):
        return
    if len(entries) >= SIMILAR_LIMIT:
        if entries[0].score >= score:
            return
        entries[0].delete()
    SimilarQuestion.objects.create(
        question_id=listed_id, similar=question, audience=name, score=score
    )


def backfill(limit: int) -> int:
    """Find the similar questions of up to ``limit`` questions that have never had a list
    (a site upgraded, threads imported in bulk, a rebuilt index), newest first. Returns
    how many were done; the worker calls this when it has nothing else to do."""
    missing = (
        Question.objects.filter(audience.PUBLISHED)
        .exclude(pk__in=SimilarList.objects.values("question"))
        .order_by("-pk")
        .values_list("pk", flat=True)[:limit]
    )
    pks = list(missing)
    refresh(pks)
    return len(pks)
