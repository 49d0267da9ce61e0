"""State changes for people. Views, commands and tests call these, never a raw save()."""

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction

from .models import Jurisdiction, User
from .roles import STAFF_ROLES


@transaction.atomic
def create_member(
    *,
    email: str,
    password: str,
    display_name: str,
    job_title: str = "",
    jurisdiction: Jurisdiction | None = None,
    email_confirmed: bool = False,
) -> User:
    """Create an account with its allauth email record. Only trusted callers (the demo
    loader, staff tools, tests) may pass ``email_confirmed=True``; sign-up goes through
    allauth, which confirms the address by email."""
    user = User.objects.create_user(
        email=email,
        password=password,
        display_name=display_name,
        job_title=job_title,
        jurisdiction=jurisdiction,
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=email_confirmed)
    return user


@transaction.atomic
def set_verified_until(*, user: User, until: datetime.date | None) -> User:
    """Record that staff verified ``user`` as an election official until ``until``
    (None withdraws it). For staff tools, the demo and tests; members are verified through
    `accounts.verification`, which also records the office, the reviewer and the audit log."""
    user.verified_until = until
    user.save(update_fields=["verified_until"])
    return user


@transaction.atomic
def grant_role(*, user: User, role: str) -> User:
    if role not in STAFF_ROLES:
        raise ValueError(f"Unknown role {role!r}; expected one of {', '.join(STAFF_ROLES)}.")
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    return user


@transaction.atomic
def make_administrator(*, user: User) -> User:
    user.is_staff = True
    user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user
