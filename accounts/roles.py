"""Staff-granted roles are Django groups, so an operator can change them without code.
"Moderators" and "Editors" are the groups Wagtail creates; "Experts" is ours."""

EXPERTS = "Experts"
MODERATORS = "Moderators"
EDITORS = "Editors"

STAFF_ROLES = (EXPERTS, MODERATORS, EDITORS)
