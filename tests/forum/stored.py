"""Reading back what a forum service stored. Objects returned by a service may be stale
(counters are updated with F() expressions), so every check reloads what it looks at."""


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def pks(queryset) -> set[int]:
    """What `queryset` finds; the database holds only what the test made."""
    return set(queryset.values_list("pk", flat=True))
