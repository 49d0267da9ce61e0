from django.utils.functional import SimpleLazyObject

from . import unread


def inbox(request) -> dict:
    """The header's unread count, counted only when a signed-in page shows it and then
    from the cache (`unread.count`); visitors' pages never ask."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread.count(user))}
