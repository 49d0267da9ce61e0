"""Staff-granted roles are Django groups, so an operator can change them without code.
"Moderators" and "Editors" are the groups Wagtail creates; "Experts" is ours."""

EXPERTS = "Experts"
MODERATORS = "Moderators"
EDITORS = "Editors"

STAFF_ROLES = (EXPERTS, MODERATORS, EDITORS)
# Roles with powers over other people's content or accounts: usable only with two-factor
# sign-in (administrators, who are superusers rather than a group, too).
TWO_FACTOR_ROLES = frozenset({MODERATORS, EDITORS})
