"""Where higher apps add to a cohort's space (through `wagtail.hooks`): each function
registered for COHORT_PANELS is called as ``fn(request, cohort)`` and returns safe HTML, or
"" for nothing. The space calls them only for the cohort's members and moderators."""

COHORT_PANELS = "canvass_cohort_panels"
