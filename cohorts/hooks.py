"""Where higher apps add to a cohort's space without cohorts importing them
(docs/architecture.md: a lower layer exposes a hook, a higher one fills it).

A higher app registers a function for one of these names with
`wagtail.hooks.register(name, order=N)` in its `wagtail_hooks.py`; the space page calls
them in order and joins what they return.
"""

from wagtail import hooks

# fn(request, cohort) -> str: a panel of safe HTML (a rendered template) for the cohort's
# space, or "" for nothing. Called only for people inside the cohort (its members and
# moderators, `permissions.can_enter`), so a panel may show what the cohort alone reads.
# Orders taken: the forum's threads 10, cms's events 30, notifications' follow box 40.
COHORT_PANELS = "canvass_cohort_panels"


def panels(request, cohort) -> list[str]:
    """Every registered panel for this reader, in order, leaving out those that gave "".
    Each is safe HTML (rendered by the template engine), so the template prints it as is."""
    found = (function(request, cohort) for function in hooks.get_hooks(COHORT_PANELS))
    return [panel for panel in found if panel]
