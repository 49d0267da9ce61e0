"""Templates ask the same permission predicates as views and services, so a control is
shown exactly when the action is allowed: `{% if user|can_answer:question %}`. The cached
parts of the question page get their controls from `forum.question_cache` instead."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import SizeBand
from accounts.states import STATE_NAMES
from cohorts.badges import badges_of
from forum import audience, permissions
from forum.models import AuthorRole

register = template.Library()

register.filter("can_ask", permissions.can_ask)
# `question|is_public`: anyone may read it (`forum.audience`), so search engines may index it.
register.filter("is_public", audience.is_public)
register.filter("can_answer", permissions.can_answer)
# `user|byline_controls:question`: what the byline tags take where there are no `controls`.
register.filter("byline_controls", permissions.byline_controls)


@register.filter
def state_name(code: str) -> str:
    return STATE_NAMES.get(code, code)


@register.simple_tag
def signed_name(question, writer_id: int | None, name: str, controls: dict) -> str:
    """The name something written in ``question``'s thread is signed with, for this reader
    (``controls``: `permissions.byline_controls`): the writer's name, or for the asker who
    asked without their name, "A verified official in <state>", with the name beside it only
    for moderators and the asker. The revision history signs edits with this alone."""
    if not permissions.is_signed_anonymously(question, writer_id):
        return name
    wording = _("A verified official in %(state)s") % {
        "state": STATE_NAMES.get(question.author_state, _("the United States"))
    }
    if controls["see_asker"]:
        return _("%(wording)s (%(name)s, asked anonymously)") % {"wording": wording, "name": name}
    return wording


@register.inclusion_tag("forum/includes/byline.html")
def byline(post, question, controls: dict) -> dict:
    """A question's, answer's or comment's byline for this reader: the signed name, linked
    to the author's page, then their role (experts' as a label) and office, with its size
    band and the badges of its cohorts (`cohorts.badges`); for something signed
    anonymously, the signed name alone. The office, its size and its badges go together:
    all were copied into the post only when the author showed their office, and are shown
    only where an office may be (`permissions.can_see_office`). ``controls`` is what the
    cached question page has (`controls.signed_in`, `controls.see_asker`; its fragments
    are keyed on `cohorts.badges.generation`), or `user|byline_controls:question`
    elsewhere."""
    name = signed_name(question, post.author_id, post.author_name, controls)
    if permissions.is_signed_anonymously(question, post.author_id):
        return {"name": name, "anonymous": True}
    signed_in = controls["signed_in"]
    shows_office = permissions.can_see_office(signed_in)
    # Comments are signed without an office.
    band = getattr(post, "author_size_band", "") if shows_office else ""
    return {
        "name": name,
        "profile_url": (
            reverse("people:person", args=[post.author_id])
            if permissions.can_see_profile(signed_in, post.author_id)
            else ""
        ),
        "role": AuthorRole(post.author_role).label if post.author_role in AuthorRole.values else "",
        "expert": post.author_role == AuthorRole.EXPERT,
        "office": getattr(post, "author_office", "") if shows_office else "",
        "size": SizeBand(band).label if band in SizeBand.values else "",
        "badges": badges_of(getattr(post, "author_jurisdiction_id", None)) if shows_office else (),
    }
