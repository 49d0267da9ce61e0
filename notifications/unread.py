"""The unread count in every signed-in page's header, from the cache.

Counted once (one indexed query, at most `CAP`) and kept until the person's inbox changes
(`forget`, called by whatever adds or reads an item), who may read what changes (the
forum's `CONTENT` generation), or what the person may read changes (their audiences), so a
cached signed-in page costs one cache read for it, not a query. Only items about threads
the person may read now are counted, like the inbox shows."""

from django.core.cache import cache
from django.db.models import Q

from core.caching import CONTENT, generation
from forum import audience
from forum.models import Question

from .models import Notification

CAP = 99  # shown as "99+" beyond
SECONDS = 24 * 60 * 60


def _key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def count(user) -> int:
    """How many unread items the person's inbox shows (at most CAP + 1)."""
    stamp = (generation(CONTENT), audience.cache_key(user))
    found = cache.get(_key(user.pk))
    if found is not None and found[0] == stamp:
        return found[1]
    counted = (
        Notification.objects.unread()
        .filter(recipient=user)
        .filter(Q(question__isnull=True) | Q(question__in=Question.objects.visible_to(user)))[
            : CAP + 1
        ]
        .count()
    )
    cache.set(_key(user.pk), (stamp, counted), SECONDS)
    return counted


def forget(user_ids) -> None:
    cache.delete_many([_key(pk) for pk in user_ids])
