"""State changes for the forum. Views, commands and tests call these, never a raw save()."""

from django.db import transaction

from .models import Topic


@transaction.atomic
def sync_topics(*, taxonomy: dict) -> tuple[int, int]:
    """Create or update topics from the taxonomy document; returns (created, updated).
    Topics missing from the document are kept: questions and pages may still use them."""
    created = updated = 0
    for position, entry in enumerate(taxonomy["tags"]):
        _, was_created = Topic.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "group": entry["group"],
                "group_slug": entry["group_slug"],
                "description": entry["description"],
                "basis": entry["basis"],
                "position": position,
            },
        )
        created += was_created
        updated += not was_created
    return created, updated
