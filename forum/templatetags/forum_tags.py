"""Templates ask the same permission predicates as views and services, so a control is
shown exactly when the action is allowed: `{% if user|can_answer:question %}`. The cached
parts of the question page get their controls from `forum.question_cache` instead."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from accounts.states import STATE_NAMES
from forum import permissions
from forum.models import AuthorRole

register = template.Library()

register.filter("can_ask", permissions.can_ask)
register.filter("can_answer", permissions.can_answer)
register.filter("can_see_asker", permissions.can_see_anonymous_author)


@register.filter
def state_name(code: str) -> str:
    return STATE_NAMES.get(code, code)


@register.simple_tag
def asker_name(question, show_name: bool) -> str:
    """The asker as this viewer may see them; ``show_name`` is
    `permissions.can_see_anonymous_author` for the viewer (the `can_see_asker` filter)."""
    if not question.is_anonymous:
        return question.author_name
    wording = _("A verified official in %(state)s") % {
        "state": STATE_NAMES.get(question.author_state, _("the United States"))
    }
    if show_name:
        return _("%(wording)s (%(name)s, asked anonymously)") % {
            "wording": wording,
            "name": question.author_name,
        }
    return wording


@register.simple_tag
def author_link(post, signed_in: bool) -> str:
    """The byline's name: for signed-in viewers a link to the author's profile (none for a
    deleted account). Visitors never get a profile."""
    if signed_in and post.author_id:
        url = reverse("accounts:person", args=[post.author_id])
        return format_html('<a class="usa-link" href="{}">{}</a>', url, post.author_name)
    return post.author_name


@register.simple_tag
def role_badge(role: str) -> str:
    return AuthorRole(role).label if role in AuthorRole.values else ""
