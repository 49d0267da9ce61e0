"""Who people are, for every permission decision: the roles come from Django groups (see
`roles.py`), verification from `User.verified_until`, and two-factor sign-in from allauth's
authenticators. `forum.permissions` builds on these; the verification queue, role
management and the admin gate ask them directly.

Moderators, editors and administrators hold their powers only once they have set up
two-factor sign-in: until then they are treated as members and the admin sends them to set
it up (`middleware.StaffTwoFactorMiddleware`)."""

from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from . import roles
from .models import User


def _group_names(user) -> frozenset[str]:
    """The user's group names, fetched once per user object (one query per request)."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_canvass_group_names"):
        user._canvass_group_names = frozenset(user.groups.values_list("name", flat=True))
    return user._canvass_group_names


def has_two_factor(user) -> bool:
    """The user signs in with an authenticator app (TOTP); asked once per user object."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_canvass_two_factor"):
        user._canvass_two_factor = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists()
    return user._canvass_two_factor


def holds_staff_role(user) -> bool:
    """Granted a role whose powers need two-factor sign-in: moderator, editor, administrator."""
    return user.is_authenticated and (
        user.is_superuser or not _group_names(user).isdisjoint(roles.TWO_FACTOR_ROLES)
    )


def needs_two_factor(user) -> bool:
    """Holds a staff role but cannot use it until two-factor sign-in is set up."""
    return holds_staff_role(user) and not has_two_factor(user)


def is_moderator(user) -> bool:
    return (
        user.is_authenticated
        and (user.is_superuser or roles.MODERATORS in _group_names(user))
        and has_two_factor(user)
    )


def is_editor(user) -> bool:
    return (
        user.is_authenticated
        and (user.is_superuser or roles.EDITORS in _group_names(user))
        and has_two_factor(user)
    )


def is_administrator(user) -> bool:
    return user.is_authenticated and user.is_superuser and has_two_factor(user)


def is_expert(user) -> bool:
    return roles.EXPERTS in _group_names(user)


def is_verified_official(user) -> bool:
    return user.is_authenticated and user.is_verified_official


def is_verified_member(user) -> bool:
    """Vouched for by the community: a verified official, an expert or a moderator."""
    return is_verified_official(user) or is_expert(user) or is_moderator(user)


def can_find_peers(user) -> bool:
    """ "Offices like mine" and the people there who agreed to be contacted: for verified
    officials alone (PRODUCT.md, peers by size)."""
    return is_verified_official(user)


def check_find_peers(user) -> None:
    """Like the ask page, a signed-in person without the role is told why (403)."""
    if not can_find_peers(user):
        raise PermissionDenied(
            _(
                "“Offices like mine” is for verified election officials. You can ask to be "
                "verified from your account page."
            )
        )


def can_review_verifications(user) -> bool:
    """Moderators work the verification queue."""
    return is_moderator(user)


def can_manage_roles(user) -> bool:
    """Only administrators grant and revoke the expert, moderator and editor roles."""
    return is_administrator(user)


def load_roles(users) -> None:
    """Answer the role questions above for many people at once: their groups and
    authenticators read in two queries, not two per person (fan-out to followers, digests)."""
    users = [user for user in users if user.is_authenticated]
    if not users:
        return
    by_pk = {user.pk: user for user in users}
    groups: dict[int, set[str]] = {pk: set() for pk in by_pk}
    for user_id, name in User.groups.through.objects.filter(user_id__in=by_pk).values_list(
        "user_id", "group__name"
    ):
        groups[user_id].add(name)
    with_totp = set(
        Authenticator.objects.filter(user_id__in=by_pk, type=Authenticator.Type.TOTP).values_list(
            "user_id", flat=True
        )
    )
    for pk, user in by_pk.items():
        user._canvass_group_names = frozenset(groups[pk])
        user._canvass_two_factor = pk in with_totp
