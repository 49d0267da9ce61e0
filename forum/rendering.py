"""Turn member-written Markdown into safe HTML.

This module is the only place in Canvass where Markdown becomes HTML. Every question, answer and
comment body is rendered by one of its two public functions, so the security properties below hold
for all member content as long as nothing else in the project renders Markdown or trusts raw HTML.

The pipeline has two independent layers:

1. markdown-it-py parses the source with the CommonMark preset plus GFM tables and strikethrough.
   Raw HTML is switched off, so any HTML a member types is escaped and shown as text, and linkify
   is off, so bare URLs are never turned into links. A core rule (``_enforce_content_policy``)
   then rewrites the token stream: it demotes headings, replaces images by their alt text and
   unwraps every link whose destination is not allowed (see below), keeping the link text.
2. nh3 (ammonia) sanitises the resulting HTML against an explicit allow-list of tags and
   attributes, only keeps ``http``, ``https`` and ``mailto`` URLs, drops relative URLs, strips
   comments and adds ``rel="nofollow ugc noopener noreferrer"`` to every link. This layer does not
   rely on the first one being correct; it is the last line of defence.

Decisions recorded here so that reviewers do not have to reverse-engineer them:

* Headings are demoted by two levels (``#`` becomes ``<h3>``, ``##`` becomes ``<h4>``, ``###``
  becomes ``<h5>`` and anything deeper becomes ``<h6>``). Pages own ``<h1>`` (the question title)
  and ``<h2>`` (page sections such as "Answers"), so member content can never break the document
  outline or pose as page chrome.
* Links must be absolute ``http://``/``https://`` URLs with a host, or ``mailto:`` URLs. Relative
  links (``/path``, ``page``, ``#fragment``, ``?query``) and protocol-relative links (``//host``)
  are rejected: the link is unwrapped and only its text is rendered. Members write for other
  members, not for our URL space, and a relative link in content that is also shown in e-mails,
  feeds or other pages would silently point somewhere else.
* A link whose destination contains an invisible or control character loses its ``href`` and is
  rendered as plain text. This covers zero-width and bidirectional control characters
  (U+200B-U+200F, U+202A-U+202E, U+2060-U+2064, U+2066-U+2069, U+FEFF), the Hangul filler
  characters, and every character in the Unicode categories Cc, Cf, Zl and Zp. The check looks at
  the destination both as markdown-it normalised it (percent-encoded, punycoded host) and decoded
  back to Unicode, so the characters cannot be smuggled in as entities, percent-escapes or inside
  an internationalised host name.
* Images are not allowed: rendering ``<img>`` would make every visitor's browser fetch a URL of a
  member's choosing (tracking pixels, IP address harvesting). An image is rendered as its alt text.
* Table cell alignment is dropped: markdown-it emits it as a ``style`` attribute and no ``style``
  attribute is ever allowed.

Both functions are pure: the output depends only on the input string. The parser and the
sanitisers are configured once at import time. All the work is linear in the input length
(markdown-it-py is linear and the extra token pass visits each token once), so bodies up to the
30,000-character limit render in well under a second even when crafted to be slow.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from html import unescape

import nh3
from django.utils.html import strip_tags
from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLinkText
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

__all__ = ["render_inline_markdown", "render_markdown"]

#: The only URL schemes a link may use.
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})

#: The ``rel`` value added to every link: no SEO endorsement, marked as user-generated content,
#: and no ``window.opener`` access or ``Referer`` leak to the target site.
LINK_REL = "nofollow ugc noopener noreferrer"

#: Tags that inline Markdown may produce (``render_inline_markdown``).
INLINE_TAGS = frozenset({"a", "br", "code", "del", "em", "s", "strong"})

#: Tags that full Markdown may produce (``render_markdown``). There is no h1 or h2 because headings
#: are demoted, and no img because images are not allowed.
BLOCK_TAGS = INLINE_TAGS | frozenset(
    {
        "blockquote",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)

#: Attributes allowed per tag. Everything else (``style``, ``class``, ``id``, event handlers...)
#: is removed by nh3. ``rel`` is set by nh3 itself and must not be listed here.
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}, "ol": {"start"}}

_HEADING_DEMOTION = {"h1": "h3", "h2": "h4", "h3": "h5", "h4": "h6", "h5": "h6", "h6": "h6"}

#: Characters that are invisible or reorder text. Most are in category Cf already; they are listed
#: explicitly so the policy does not depend on the Unicode database version.
_INVISIBLE_CODEPOINTS = frozenset(
    [
        *range(0x200B, 0x2010),  # zero-width space/non-joiner/joiner, LRM, RLM
        *range(0x202A, 0x202F),  # bidi embeddings and overrides (LRE, RLE, PDF, LRO, RLO)
        *range(0x2060, 0x2065),  # word joiner, invisible operators
        *range(0x2066, 0x206A),  # bidi isolates (LRI, RLI, FSI, PDI)
        0xFEFF,  # zero-width no-break space / byte order mark
        0x115F,  # Hangul choseong filler (renders blank)
        0x1160,  # Hangul jungseong filler
        0x3164,  # Hangul filler
        0xFFA0,  # halfwidth Hangul filler
    ]
)
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})


def _contains_invisible(text: str) -> bool:
    """Return True if text contains an invisible, bidi-control or control character."""
    return any(
        ord(char) in _INVISIBLE_CODEPOINTS or unicodedata.category(char) in _INVISIBLE_CATEGORIES
        for char in text
    )


def _is_allowed_href(href: str) -> bool:
    """Return True if a link destination, as normalised by markdown-it, may be rendered.

    The destination must be an absolute http(s) URL with a host or a non-empty mailto URL, and
    neither the normalised form nor its decoded form (percent-escapes and punycode undone) may
    contain an invisible or control character. Anything else, including every relative URL, is
    rejected.
    """
    scheme, colon, rest = href.partition(":")
    scheme = scheme.lower()
    if not colon or scheme not in ALLOWED_URL_SCHEMES:
        return False
    if scheme == "mailto":
        if not rest:
            return False
    elif not rest.startswith("//") or len(rest) == 2:
        return False
    return not _contains_invisible(href) and not _contains_invisible(normalizeLinkText(href))


def _policed_inline_children(children: Iterable[Token], state: StateCore) -> list[Token]:
    """Return inline tokens with disallowed links unwrapped and images replaced by alt text.

    A rejected link keeps its content tokens, so its text is still shown, but its ``link_open``
    and matching ``link_close`` tokens are dropped. Each token is visited once.
    """
    result: list[Token] = []
    kept_links: list[bool] = []  # one entry per open link: was its link_open kept?
    for token in children:
        if token.type == "link_open":
            keep = _is_allowed_href(str(token.attrGet("href") or ""))
            kept_links.append(keep)
            if keep:
                result.append(token)
        elif token.type == "link_close":
            if not kept_links or kept_links.pop():
                result.append(token)
        elif token.type == "image":
            alt = state.md.renderer.renderInlineAsText(
                token.children or [], state.md.options, state.env
            )
            result.append(Token("text", "", 0, content=alt))
        else:
            result.append(token)
    return result


def _enforce_content_policy(state: StateCore) -> None:
    """Core rule: demote headings, drop images and unwrap links that break the link policy."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = _HEADING_DEMOTION.get(token.tag, token.tag)
        elif token.type == "inline" and token.children:
            token.children = _policed_inline_children(token.children, state)


def _build_parser() -> MarkdownIt:
    """Build the CommonMark + tables + strikethrough parser with raw HTML and linkify off."""
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable(["table", "strikethrough"])
    parser.core.ruler.push("canvass_content_policy", _enforce_content_policy)
    return parser


def _build_cleaner(tags: frozenset[str]) -> nh3.Cleaner:
    """Build an nh3 sanitiser allowing exactly ``tags`` and the shared attribute and URL rules."""
    return nh3.Cleaner(
        tags=set(tags),
        attributes={tag: attrs for tag, attrs in ALLOWED_ATTRIBUTES.items() if tag in tags},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        url_relative="deny",
        link_rel=LINK_REL,
        strip_comments=True,
    )


_PARSER = _build_parser()
_BLOCK_CLEANER = _build_cleaner(BLOCK_TAGS)
_INLINE_CLEANER = _build_cleaner(INLINE_TAGS)


def render_markdown(source: str) -> str:
    """Render a member's Markdown document (a question or answer body) to safe HTML.

    The source is parsed as CommonMark with GFM tables and strikethrough. Raw HTML in the source is
    escaped rather than interpreted, code spans and code blocks are escaped, headings are demoted
    so the output never contains ``<h1>`` or ``<h2>``, images are replaced by their alt text, and
    links are kept only when they are absolute http, https or mailto URLs free of invisible
    characters; any other link is rendered as its text. The HTML is then sanitised by nh3 against
    the ``BLOCK_TAGS`` allow-list, so the result contains no scripts, event handlers, styles,
    frames, forms, embedded objects or images, and every link carries
    ``rel="nofollow ugc noopener noreferrer"``. The function is pure and runs in linear time.
    """
    return _BLOCK_CLEANER.clean(_PARSER.render(source))


def render_inline_markdown(source: str) -> str:
    """Render a short member comment as inline Markdown to safe HTML.

    Only inline syntax is recognised (emphasis, strong emphasis, code spans, strikethrough, links
    and hard line breaks); block syntax such as headings, lists, block quotes and code blocks is
    left as literal text and the result is not wrapped in a paragraph. The same link, image and
    raw-HTML rules as ``render_markdown`` apply, and the HTML is sanitised by nh3 against the
    smaller ``INLINE_TAGS`` allow-list, so no block-level element can appear even if the parser
    produced one. The function is pure and runs in linear time.
    """
    return _INLINE_CLEANER.clean(_PARSER.renderInline(source))


_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|pre|tr|td|th|div)>|<br\s*/?>", re.I)


def plain_text(html: str) -> str:
    """The text a reader sees of sanitised HTML (a rendered body, a rich-text field): tags
    dropped with a space where a block ends, entities decoded ("&amp;" is "&"), runs of
    whitespace made one space. For summaries, search indexing and snippets, which the
    template engine escapes again."""
    return " ".join(unescape(strip_tags(_BLOCK_END.sub(" ", html or ""))).split())
