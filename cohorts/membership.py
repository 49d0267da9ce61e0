"""Who belongs to a cohort: the one rule, which the forum's audience module and every
cohort page ask.

A person belongs to a cohort while they are
- a verified official whose office is one of the cohort's offices,
- an expert (holding the role now) whom a coordinator added to it,
- one of its coordinators, while they are a verified member (official, expert or
  moderator);
and moderators read every cohort's threads (`forum.audience`), so `cohort_ids` gives them
every cohort. Nothing is stored per person: verification ending, the expert role withdrawn
or the office leaving ends belonging on the next request."""

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts import roles
from accounts.models import User
from accounts.permissions import (
    is_expert,
    is_moderator,
    is_verified_member,
    is_verified_official,
)
from core import caching

from . import badges
from .models import Cohort, CohortExpert, CohortOffice, Coordinator


def _belonging(user) -> Q | None:
    """A filter on `Cohort` for the cohorts ``user`` belongs to, or None for none (asked
    without a query: people who are not verified members belong to none)."""
    if not is_verified_member(user):
        return None
    condition = Q(pk__in=Coordinator.objects.filter(user=user).values("cohort"))
    if is_verified_official(user) and user.jurisdiction_id is not None:
        offices = CohortOffice.objects.filter(jurisdiction_id=user.jurisdiction_id)
        condition |= Q(pk__in=offices.values("cohort"))
    if is_expert(user):
        condition |= Q(pk__in=CohortExpert.objects.filter(user=user).values("cohort"))
    return condition


def cohort_ids(user) -> frozenset[int]:
    """The cohorts whose threads this person reads: one query per user object (none for
    visitors and unverified members), every cohort for moderators."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_canvass_cohort_ids"):
        if is_moderator(user):
            found = Cohort.objects.all()
        else:
            condition = _belonging(user)
            found = Cohort.objects.filter(condition) if condition is not None else None
        user._canvass_cohort_ids = (
            frozenset(found.values_list("pk", flat=True)) if found is not None else frozenset()
        )
    return user._canvass_cohort_ids


def load_cohorts(users) -> None:
    """Answer `cohort_ids` for many people at once, in at most four queries whatever their
    number (fan-out to followers, digests). Their roles must be loaded already
    (`accounts.permissions.load_roles`)."""
    users = [user for user in users if user.is_authenticated]
    found: dict[int, set[int]] = {user.pk: set() for user in users}
    everyone = [user for user in users if is_moderator(user)]
    if everyone:
        every_cohort = set(Cohort.objects.values_list("pk", flat=True))
        for user in everyone:
            found[user.pk] = every_cohort
    vouched = [user for user in users if is_verified_member(user) and not is_moderator(user)]
    by_office: dict[int, list[int]] = {}
    for user in vouched:
        if is_verified_official(user) and user.jurisdiction_id is not None:
            by_office.setdefault(user.jurisdiction_id, []).append(user.pk)
    if by_office:
        rows = CohortOffice.objects.filter(jurisdiction_id__in=by_office)
        for office_id, cohort_id in rows.values_list("jurisdiction_id", "cohort_id"):
            for pk in by_office[office_id]:
                found[pk].add(cohort_id)
    if vouched:
        experts = {user.pk for user in vouched if is_expert(user)}
        people = [user.pk for user in vouched]
        entries = [
            *Coordinator.objects.filter(user_id__in=people).values_list("user_id", "cohort_id"),
            *CohortExpert.objects.filter(user_id__in=experts).values_list("user_id", "cohort_id"),
        ]
        for user_id, cohort_id in entries:
            found[user_id].add(cohort_id)
    for user in users:
        user._canvass_cohort_ids = frozenset(found[user.pk])


def own_cohorts(user) -> QuerySet[Cohort]:
    """The cohorts ``user`` belongs to (as `belongs`: a moderator's reading of every cohort
    aside), where they may ask a cohort-only question."""
    condition = _belonging(user)
    return Cohort.objects.filter(condition) if condition is not None else Cohort.objects.none()


def belongs(user, cohort: Cohort) -> bool:
    """A member of ``cohort``: reads its space, threads, documents and member list.
    Moderators read its threads (`cohort_ids`) but are not members unless they belong."""
    return own_cohorts(user).filter(pk=cohort.pk).exists()


def is_coordinator(user, cohort: Cohort) -> bool:
    return (
        is_verified_member(user) and Coordinator.objects.filter(cohort=cohort, user=user).exists()
    )


def members(cohort: Cohort) -> QuerySet[User]:
    """The people who belong to ``cohort`` now (for its member list and notifications)."""
    officials = Q(
        jurisdiction__cohort_memberships__cohort=cohort,
        verified_until__gte=timezone.localdate(),
    )
    experts = Q(
        pk__in=CohortExpert.objects.filter(cohort=cohort).values("user"),
        groups__name=roles.EXPERTS,
    )
    coordinators = Q(pk__in=Coordinator.objects.filter(cohort=cohort).values("user")) & (
        Q(verified_until__gte=timezone.localdate())
        | Q(groups__name__in=[roles.EXPERTS, roles.MODERATORS])
    )
    return User.objects.filter(officials | experts | coordinators, is_active=True).distinct()


def changed() -> None:
    """Who belongs to a cohort (its offices, experts or coordinators), or what it shows,
    changed. Once committed, pages and lists that hold cohort threads forget them
    (`core.caching.CONTENT`) and every byline's badges are drawn again (`badges.changed`).
    Called by every writer of those (`services`, `rules`) inside its transaction."""

    def forget() -> None:
        caching.bump(caching.CONTENT)
        badges.changed()

    transaction.on_commit(forget)
