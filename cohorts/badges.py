"""Cohort badges on members' posts: which offices carry which badge.

A cohort shows its badge (`Cohort.badge_label`) only when its coordinator chose to and it
is listed publicly (a constraint on `Cohort`); it is shown beside a post whose byline shows
the author's office (`Post.author_jurisdiction`, copied only when the author shows their
office), so a badge never says more about an author than the office beside it.

The map of offices to badges is small (hundreds of offices) and kept whole in the cache
under `generation()`, which every change to a cohort's offices or badge moves on
(`changed`); caches that hold bylines (the question page's fragments) put `generation()`
in their keys."""

from dataclasses import dataclass

from django.core.cache import cache
from django.urls import reverse

from core import caching

from .models import CohortOffice

GENERATION = "cohort-badges"


@dataclass(frozen=True)
class Badge:
    label: str
    url: str


def generation() -> int:
    return caching.generation(GENERATION)


def changed() -> None:
    """A cohort's offices, badge or listing changed: every byline is drawn again."""
    caching.bump(GENERATION)


def _office_badges() -> dict[int, tuple[Badge, ...]]:
    key = f"cohort-badges:{generation()}"
    found = cache.get(key)
    if found is None:
        found = {}
        rows = CohortOffice.objects.filter(cohort__show_badge=True, cohort__is_listed=True)
        for office_id, label, slug in rows.order_by("cohort__name").values_list(
            "jurisdiction_id", "cohort__badge_label", "cohort__slug"
        ):
            found.setdefault(office_id, []).append(
                Badge(label, reverse("cohorts:cohort", args=[slug]))
            )
        found = {office: tuple(badges) for office, badges in found.items()}
        cache.set(key, found, 24 * 3600)
    return found


def badges_of(jurisdiction_id: int | None) -> tuple[Badge, ...]:
    """The badges an office's members carry (none for no office)."""
    if jurisdiction_id is None:
        return ()
    return _office_badges().get(jurisdiction_id, ())
