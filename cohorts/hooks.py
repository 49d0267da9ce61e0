"""Where higher apps add panels to a cohort's space."""

COHORT_PANELS = "canvass_cohort_panels"
