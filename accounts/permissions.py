"""Who people are, for every permission decision: the roles come from Django groups (see
`roles.py`) and verification from `User.verified_until`. `forum.permissions` builds on
these; the verification queue and role management ask them directly."""

from . import roles


def _group_names(user) -> frozenset[str]:
    """The user's group names, fetched once per user object (one query per request)."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_canvass_group_names"):
        user._canvass_group_names = frozenset(user.groups.values_list("name", flat=True))
    return user._canvass_group_names


def is_moderator(user) -> bool:
    return user.is_authenticated and (user.is_superuser or roles.MODERATORS in _group_names(user))


def is_expert(user) -> bool:
    return roles.EXPERTS in _group_names(user)


def is_verified_official(user) -> bool:
    return user.is_authenticated and user.is_verified_official


def can_review_verifications(user) -> bool:
    """Moderators work the verification queue."""
    return is_moderator(user)


def can_manage_roles(user) -> bool:
    """Only administrators grant and revoke the expert, moderator and editor roles."""
    return user.is_authenticated and user.is_superuser
