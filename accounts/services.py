"""State changes for people. Views, commands and tests call these, never a raw save()."""

import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from allauth.usersessions.models import UserSession
from django.contrib.auth.models import Group
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from core import events

from . import permissions, signals
from .emails import send_after_commit
from .models import Jurisdiction, User, VerificationReminder, VerificationRequest
from .roles import STAFF_ROLES

FORMER_MEMBER = "A former member"
PROFILE_FIELDS = (
    "display_name",
    "job_title",
    "office_phone",
    "bio",
    "show_job_title",
    "show_jurisdiction",
    "contact_by_peers",
)


def _check_profile_fields(fields: dict) -> None:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {', '.join(sorted(unknown))}")


@transaction.atomic
def create_member(
    *,
    email: str,
    password: str,
    display_name: str,
    jurisdiction: Jurisdiction | None = None,
    email_confirmed: bool = False,
    **profile,
) -> User:
    """Create an account with its allauth email record; ``profile`` may set any of
    PROFILE_FIELDS. Only trusted callers (the demo loader, staff tools, tests) may pass
    ``email_confirmed=True``; sign-up goes through allauth, which confirms the address by
    email."""
    _check_profile_fields(profile)
    user = User.objects.create_user(
        email=email,
        password=password,
        display_name=display_name,
        jurisdiction=jurisdiction,
        **profile,
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
def update_profile(*, user: User, **fields) -> User:
    """Save profile fields (see PROFILE_FIELDS), checked against the model's limits. A new
    display name, or hiding the office, applies to the bylines of posts already written
    (`signals.byline_changed`, in this transaction)."""
    _check_profile_fields(fields)
    renamed = fields.get("display_name", user.display_name) != user.display_name
    hid_office = user.show_jurisdiction and fields.get("show_jurisdiction") is False
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=[f.name for f in User._meta.fields if f.name not in fields])
    user.save(update_fields=list(fields))
    if renamed or hid_office:
        signals.byline_changed.send(sender=User, user=user, hide_office=hid_office)
    return user


@transaction.atomic
def delete_account(*, user: User) -> None:
    """Delete the person's account. What identified them is erased and they can no longer
    sign in; their posts stay, by "A former member" with no office, detached from the account
    in this same transaction (`signals.account_deleted`). Votes stay counted."""
    user.display_name = FORMER_MEMBER
    signals.account_deleted.send(sender=User, user=user)
    log(instance=user, action="canvass.account.delete", user=user, data={"member": user.pk})
    # Ends every session allauth recorded; any other is refused once the account is
    # inactive and its password unusable.
    for session in UserSession.objects.filter(user=user):
        session.end()
    for related in (EmailAddress, Authenticator, VerificationRequest, VerificationReminder):
        related.objects.filter(user=user).delete()
    user.groups.clear()
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.job_title = user.office_phone = user.bio = ""
    user.first_name = user.last_name = ""
    user.jurisdiction = None
    user.verified_until = None
    user.is_active = user.is_staff = user.is_superuser = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()
    user.save()


def _staff_group(role: str) -> Group:
    if role not in STAFF_ROLES:
        raise ValueError(f"Unknown role {role!r}; expected one of {', '.join(STAFF_ROLES)}.")
    return Group.objects.get_or_create(name=role)[0]


@transaction.atomic
def grant_role(*, user: User, role: str, by: User | None = None) -> User:
    """Give ``user`` a staff role (a group from `roles.STAFF_ROLES`). ``by`` is the
    administrator deciding it; None for the demo loader and tests. Logged."""
    _check_role_manager(by)
    user.groups.add(_staff_group(role))
    log(instance=user, action="canvass.role.grant", user=by, data={"role": role})
    return user


@transaction.atomic
def revoke_role(*, user: User, role: str, by: User | None = None) -> User:
    _check_role_manager(by)
    user.groups.remove(_staff_group(role))
    log(instance=user, action="canvass.role.revoke", user=by, data={"role": role})
    return user


def _check_role_manager(by: User | None) -> None:
    if by is not None and not permissions.can_manage_roles(by):
        raise PermissionDenied(_("Only administrators grant and revoke roles."))


@transaction.atomic
def make_administrator(*, user: User) -> User:
    user.is_staff = True
    user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


@transaction.atomic
def activate_totp(*, user: User, secret: str) -> None:
    """Give ``user`` an authenticator-app secret (and recovery codes), as if they had set it
    up on the two-factor page. For the demo loader and tests; people set up their own."""
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)


# ---- a moderator acting on a member (issue 15) ----
# Each takes the moderator's reason, which the member is emailed; each is logged in Wagtail's
# audit log and announced after commit (`signals.member_moderated`) for the inbox.

WARN, SUSPEND, REVOKE_VERIFICATION = "warn", "suspend", "revoke_verification"
MODERATION_ACTIONS = (WARN, SUSPEND, REVOKE_VERIFICATION)


class ModerationError(BadRequest):
    """A moderator's action on a member that cannot be taken; the message says why."""


def _member_to_moderate(member: User, by: User, reason: str) -> tuple[User, str]:
    """The member's row, locked, and the reason stripped, once ``by`` may act on them."""
    if not permissions.is_moderator(by):
        raise PermissionDenied(_("Only moderators warn, suspend or withdraw verification."))
    if member.pk == by.pk:
        raise PermissionDenied(_("No one moderates their own account."))
    reason = reason.strip()
    if not reason:
        raise ModerationError(_("Say why: the member is sent your reason."))
    return User.objects.select_for_update().get(pk=member.pk), reason


def _record(member: User, *, by: User, action: str, log_action: str, reason: str, until=None):
    data = {"reason": reason, "member": member.pk}
    if until is not None:
        data["until"] = until.isoformat()
    log(instance=member, action=log_action, user=by, data=data)
    events.send_after_commit(
        signals.member_moderated, User, user_id=member.pk, action=action, reason=reason, until=until
    )


@transaction.atomic
def warn_member(*, member: User, by: User, reason: str) -> User:
    member, reason = _member_to_moderate(member, by, reason)
    _record(member, by=by, action=WARN, log_action="canvass.forum.warn", reason=reason)
    send_after_commit(user=member, template="member_warned", context={"reason": reason})
    return member


@transaction.atomic
def suspend_posting(*, member: User, by: User, until: datetime.datetime, reason: str) -> User:
    """Stop ``member`` asking, answering, commenting and voting until ``until``
    (`forum.permissions.is_posting_suspended`); they may still read. A later suspension
    replaces an earlier one."""
    member, reason = _member_to_moderate(member, by, reason)
    if until <= timezone.now():
        raise ModerationError(_("Choose when the suspension ends: a time still to come."))
    member.posting_suspended_until = until
    member.save(update_fields=["posting_suspended_until"])
    _record(
        member,
        by=by,
        action=SUSPEND,
        log_action="canvass.forum.suspend",
        reason=reason,
        until=until,
    )
    send_after_commit(
        user=member, template="member_suspended", context={"reason": reason, "until": until}
    )
    return member


@transaction.atomic
def revoke_verification(*, member: User, by: User, reason: str) -> User:
    """Withdraw ``member``'s verification as an election official: it ended yesterday, so
    they keep their account and posts with a member's rights, and may request it again."""
    member, reason = _member_to_moderate(member, by, reason)
    if not member.is_verified_official:
        raise ModerationError(_("This member is not verified as an election official."))
    member.verified_until = timezone.localdate() - datetime.timedelta(days=1)
    member.save(update_fields=["verified_until"])
    _record(
        member,
        by=by,
        action=REVOKE_VERIFICATION,
        log_action="canvass.verification.revoke",
        reason=reason,
    )
    send_after_commit(user=member, template="verification_revoked", context={"reason": reason})
    return member
