"""What every public page tells crawlers, feed readers and link previews (issue 17): its
canonical address and structured data. In `core` because the forum's and the CMS's pages
both use them, and the canonical address is built on `core.sites.base_url`."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.sites import base_url

register = template.Library()

# As `django.utils.html.json_script` escapes: a value holding "</script>" or "<!--" cannot
# end the element or open a comment, and "&" no entity.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_text(data: dict) -> str:
    """The JSON of a schema.org object, safe inside a <script> element."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)


@register.filter
def json_ld(data: dict | None) -> str:
    """A schema.org object as a JSON-LD <script> element, or nothing for None."""
    if not data:
        return ""
    text = mark_safe(json_ld_text(data))  # noqa: S308 - no "<", ">" or "&" left in it
    return format_html('<script type="application/ld+json">{}</script>', text)


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """The page's address on the site's one public host, without its query string (filters
    and places in a list are the same page to a search engine). Empty without a request
    (the 500 page)."""
    request = context.get("request")
    return base_url() + request.path if request is not None else ""
