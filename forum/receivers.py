"""How the forum answers what the apps below it announce (connected in `apps.ForumConfig`)."""

from . import services


def carry_byline(sender, *, user, hide_office: bool, **kwargs) -> None:
    """A new display name, or a hidden office, reaches the posts already written."""
    services.update_bylines(user=user, hide_office=hide_office)


def detach_posts(sender, *, user, **kwargs) -> None:
    """A deleted account's posts stay, by "A former member", no longer linked to it."""
    services.update_bylines(user=user, hide_office=True, forget=True)
