"""Who may do what in a cohort: the predicates the services check and the views and
templates ask, so a link is shown exactly when the action is allowed.

Being *inside* a cohort (its space's panels, documents and member list) is belonging to it
(`membership.belongs`) or being a moderator, who read every cohort's threads. Anyone may
see a listed cohort's name, description and offices; an unlisted cohort is unknown to
anyone outside it, so every door answers 404 for it as for a slug that does not exist."""

from accounts.permissions import (
    is_administrator,
    is_expert,
    is_moderator,
    is_verified_member,
    is_verified_official,
)

from . import membership
from .models import Cohort, CohortOffice, Document


def can_manage_cohorts(user) -> bool:
    """Administrators create and edit cohorts and grant and revoke coordinators."""
    return is_administrator(user)


def can_enter(user, cohort: Cohort) -> bool:
    return is_moderator(user) or membership.belongs(user, cohort)


def can_see(user, cohort: Cohort) -> bool:
    """Knows the cohort exists: listed, or inside it."""
    return cohort.is_listed or can_enter(user, cohort)


def can_coordinate(user, cohort: Cohort) -> bool:
    """Adds and removes offices and experts, decides join requests, chooses the badge."""
    return is_administrator(user) or membership.is_coordinator(user, cohort)


def can_be_coordinator(user) -> bool:
    """Coordinators act only while they are verified members (`membership.is_coordinator`)."""
    return user.is_active and is_verified_member(user)


def can_be_added_as_expert(user) -> bool:
    return user.is_active and is_expert(user)


def can_ask_to_join(user, cohort: Cohort) -> bool:
    """A verified official of an office outside this listed, office-by-office cohort."""
    return (
        cohort.is_listed
        and not cohort.has_rule
        and is_verified_official(user)
        and user.jurisdiction_id is not None
        and not CohortOffice.objects.filter(
            cohort=cohort, jurisdiction_id=user.jurisdiction_id
        ).exists()
    )


def can_change_document(user, document: Document) -> bool:
    """Its uploader (while inside the cohort) or a coordinator uploads versions and deletes."""
    cohort = document.cohort
    if can_coordinate(user, cohort):
        return True
    return user.is_authenticated and document.created_by_id == user.pk and can_enter(user, cohort)
