"""Pages of a list of threads that cost the same on the last page as on the first, and never
count the threads.

A list is ordered by a few fields from the highest down, the primary key last, so every
thread has one place in it (`forms.SORTS`; each order has an index). A page is the threads
just after a place (`after`, the last thread of the page before) or just before one
(`before`, the first thread of the page after), found through the index whatever the
place: no OFFSET, which would read every thread before it. One more than a page is read to
know whether another page follows. A place is written into the address as the sort
fields' values (times as microseconds since 1970, UTC), so nothing is looked up to use it:
an address holding a thread's place says nothing of a thread the reader may not read.
"""

import datetime
from dataclasses import dataclass

from django.db.models import DateTimeField, F, Field, Func, Value
from django.db.models.lookups import GreaterThan, LessThan

from .models import Question

PER_PAGE = 20
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_MICROSECOND = datetime.timedelta(microseconds=1)


@dataclass(frozen=True)
class Page:
    questions: list[Question]
    before: str | None = None  # the place of its first thread, when threads come before it
    after: str | None = None  # the place of its last thread, when threads come after it
    past_the_end: bool = False  # asked for the threads after the last one


class _Row(Func):
    """A row value, "(a, b, c)". Compared whole ("(a, b) < (1, 2)"), an index on those
    columns finds the place in one step on SQLite and PostgreSQL alike; Django's own tuple
    lookups spell it out as ORs on SQLite, which range over the first column only (all
    threads with the same score, for "top")."""

    template = "(%(expressions)s)"
    output_field = Field()


def _is_time(name: str) -> bool:
    return isinstance(Question._meta.get_field(name), DateTimeField)


def place_of(question: Question, fields: tuple[str, ...]) -> str:
    values = (getattr(question, name) for name in fields)
    return ".".join(
        str((value - _EPOCH) // _MICROSECOND if isinstance(value, datetime.datetime) else value)
        for value in values
    )


def _values(place: str | None, fields: tuple[str, ...]) -> tuple | None:
    """The sort fields' values a place holds, or None for anything else (a place written
    for another order, or made up)."""
    try:
        numbers = [int(part) for part in (place or "").split(".")]
        if len(numbers) != len(fields):
            return None
        return tuple(
            _EPOCH + number * _MICROSECOND if _is_time(name) else number
            for name, number in zip(fields, numbers, strict=True)
        )
    except (ValueError, OverflowError):
        return None


def _row(values: tuple, fields: tuple[str, ...]) -> _Row:
    return _Row(
        *(
            Value(value, output_field=Question._meta.get_field(name))
            for name, value in zip(fields, values, strict=True)
        )
    )


def _nearest(questions, fields: tuple[str, ...], place: tuple | None, *, before: bool) -> list:
    """One more than a page of threads: from the top of the list without a place, else
    those just before (higher up) or just after it, nearest first."""
    order = list(fields) if before else [f"-{name}" for name in fields]
    if place is not None:
        columns, values = _Row(*(F(name) for name in fields)), _row(place, fields)
        questions = questions.filter(
            GreaterThan(columns, values) if before else LessThan(columns, values)
        )
    return list(questions.order_by(*order)[: PER_PAGE + 1])


def page_of(questions, fields: tuple[str, ...], *, after: str | None, before: str | None) -> Page:
    """The page of ``questions``, ordered by ``fields`` from the highest down, after or
    before a place (`Page`), or the first page. One query; two when the threads before a
    place are fewer than a page, and the first page is read instead."""
    if (place := _values(before, fields)) is not None:
        rows = _nearest(questions, fields, place, before=True)
        if len(rows) > PER_PAGE:
            shown = rows[PER_PAGE - 1 :: -1]
            return Page(shown, before=place_of(shown[0], fields), after=place_of(shown[-1], fields))
        place = None
    else:
        place = _values(after, fields)
    rows = _nearest(questions, fields, place, before=False)
    if place is not None and not rows:
        return Page([], past_the_end=True)
    shown = rows[:PER_PAGE]
    return Page(
        shown,
        before=place_of(shown[0], fields) if place is not None else None,
        after=place_of(shown[-1], fields) if len(rows) > PER_PAGE else None,
    )
