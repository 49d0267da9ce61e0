"""Who reads the staff's reports (`reports.admin_views`)."""

from accounts.permissions import is_editor, is_moderator


def can_see_reports(user) -> bool:
    """The figures about questions, answers, topics and searches: editors (who write the
    guides they point to), moderators and administrators (who are moderators)."""
    return is_editor(user) or is_moderator(user)


def can_see_moderation_reports(user) -> bool:
    """The flags and the verification queue: the people who work them, moderators."""
    return is_moderator(user)
