"""Searches that found nothing, counted for the staff's reports (issue 17,
`reports.figures.fruitless_searches`): one `FruitlessSearch` row per normalised query and
day, with no person, session or address attached, so the report shows what people looked
for and did not find without showing who."""

import logging
import re

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import FruitlessSearch

logger = logging.getLogger(__name__)

QUERY_MAX = 200  # `FruitlessSearch.query`'s length
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """One spelling per query, so "Ballot  Drop" and "ballot drop " count together:
    lowercase, runs of white space made one space, stripped, cut to `QUERY_MAX`."""
    return _SPACES.sub(" ", text.lower()).strip()[:QUERY_MAX].strip()


def record(text: str) -> None:
    """Count one search for ``text`` that found nothing, today. Safe when two requests count
    the same query at once: an UPDATE adds one to the row; without a row, an INSERT; if
    another request inserted it meanwhile (the unique constraint refuses ours), the UPDATE
    again. Each step is in a savepoint, and a failure is logged and never reaches the search
    page: counting is not worth a failed search."""
    query = normalise(text)
    if not query:
        return
    day = timezone.localdate()
    row = FruitlessSearch.objects.filter(query=query, day=day)
    try:
        with transaction.atomic():
            if row.update(count=F("count") + 1):
                return
            try:
                with transaction.atomic():
                    FruitlessSearch.objects.create(query=query, day=day, count=1)
            except IntegrityError:
                row.update(count=F("count") + 1)
    except DatabaseError:
        logger.exception("A search that found nothing could not be counted.")
