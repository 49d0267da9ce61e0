"""Tests for forum.rendering, the single Markdown-to-HTML path for member content."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from forum.rendering import (
    BLOCK_TAGS,
    INLINE_TAGS,
    render_inline_markdown,
    render_markdown,
)

RENDERERS = pytest.mark.parametrize(
    "render", [render_markdown, render_inline_markdown], ids=["block", "inline"]
)

FORBIDDEN_TAGS = {
    "script",
    "iframe",
    "img",
    "svg",
    "style",
    "object",
    "embed",
    "form",
    "input",
    "button",
    "math",
    "link",
    "meta",
    "base",
    "frame",
    "frameset",
    "video",
    "audio",
    "source",
    "textarea",
    "select",
}
BLOCK_ONLY_TAGS = BLOCK_TAGS - INLINE_TAGS
REQUIRED_REL = {"nofollow", "ugc", "noopener", "noreferrer"}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]


@dataclass
class ParsedHTML:
    elements: list[Element] = field(default_factory=list)
    text: str = ""
    comments: list[str] = field(default_factory=list)

    @property
    def tags(self) -> list[str]:
        return [element.tag for element in self.elements]

    def find(self, tag: str) -> list[Element]:
        return [element for element in self.elements if element.tag == tag]


class _Collector(HTMLParser):
    """Collect start tags, their attributes, text and comments from an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.result = ParsedHTML()
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.result.elements.append(Element(tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_comment(self, data: str) -> None:
        self.result.comments.append(data)

    def handle_decl(self, decl: str) -> None:
        self.result.comments.append(decl)

    def unknown_decl(self, data: str) -> None:
        self.result.comments.append(data)

    def handle_pi(self, data: str) -> None:
        self.result.comments.append(data)


def parse(html: str) -> ParsedHTML:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    collector.result.text = "".join(collector._text)
    return collector.result


def assert_sanitised(html: str, allowed_tags: frozenset[str] = BLOCK_TAGS) -> ParsedHTML:
    """Assert the security properties every rendered fragment must have, and return the parse."""
    assert isinstance(html, str)
    parsed = parse(html)
    tags = set(parsed.tags)
    assert not tags & FORBIDDEN_TAGS, html
    assert tags <= allowed_tags, html
    assert not parsed.comments, html
    for element in parsed.elements:
        for name in element.attrs:
            assert not name.startswith("on"), html
            assert name not in {"style", "class", "id", "src", "srcdoc", "action"}, html
        if "href" in element.attrs:
            assert element.tag == "a", html
            href = element.attrs["href"] or ""
            assert urlsplit(href).scheme in ALLOWED_SCHEMES, html
            assert href.split(":", 1)[0].lower() in ALLOWED_SCHEMES, html
        if element.tag == "a":
            assert "href" in element.attrs, html
            assert set((element.attrs.get("rel") or "").split()) == REQUIRED_REL, html
    return parsed


# --------------------------------------------------------------------------------------------
# Ordinary Markdown
# --------------------------------------------------------------------------------------------


def test_emphasis_strong_and_strikethrough():
    html = render_markdown("Some *emphasis*, **strong** and ~~struck~~ text.")
    assert html == (
        "<p>Some <em>emphasis</em>, <strong>strong</strong> and <s>struck</s> text.</p>\n"
    )


def test_lists():
    parsed = assert_sanitised(render_markdown("- one\n- two\n\n3. three\n4. four\n"))
    assert parsed.tags == ["ul", "li", "li", "ol", "li", "li"]
    assert parsed.find("ol")[0].attrs == {"start": "3"}


def test_table_renders_without_style_attributes():
    source = "| County | Ballots |\n|:--|--:|\n| Adams | 1,204 |\n"
    parsed = assert_sanitised(render_markdown(source))
    assert parsed.tags == ["table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td"]
    assert all(element.attrs == {} for element in parsed.elements)
    assert "Adams" in parsed.text
    assert "1,204" in parsed.text


def test_fenced_code_block_is_escaped_and_drops_language_class():
    html = render_markdown("```python\nif a < b and c > d:\n    print('<b>')\n```\n")
    assert html == ("<pre><code>if a &lt; b and c &gt; d:\n    print('&lt;b&gt;')\n</code></pre>\n")


def test_indented_code_block_is_escaped():
    parsed = assert_sanitised(render_markdown("Example:\n\n    <script>alert(1)</script>\n"))
    assert parsed.tags == ["p", "pre", "code"]
    assert "<script>alert(1)</script>" in parsed.text


def test_code_span_is_escaped_and_visible_as_text():
    html = render_markdown("Do not paste `<script>alert(1)</script>` into the form.")
    assert "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>" in html
    parsed = assert_sanitised(html)
    assert "<script>alert(1)</script>" in parsed.text


def test_blockquote():
    parsed = assert_sanitised(render_markdown("> Quoted guidance\n> from the state.\n"))
    assert parsed.tags == ["blockquote", "p"]
    assert "Quoted guidance" in parsed.text


def test_hard_break_and_horizontal_rule():
    parsed = assert_sanitised(render_markdown("line one  \nline two\n\n---\n"))
    assert parsed.tags == ["p", "br", "hr"]


def test_allowed_link_gets_rel_and_keeps_title():
    html = render_markdown('[EAC guidance](https://www.eac.gov/ "Election Assistance")')
    parsed = assert_sanitised(html)
    (link,) = parsed.find("a")
    assert link.attrs["href"] == "https://www.eac.gov/"
    assert link.attrs["title"] == "Election Assistance"
    assert link.attrs["rel"] == "nofollow ugc noopener noreferrer"


@pytest.mark.parametrize(
    ("source", "href"),
    [
        ("<https://example.gov/path>", "https://example.gov/path"),
        ("[x](http://example.gov)", "http://example.gov"),
        ("[x](HTTPS://EXAMPLE.GOV/)", "HTTPS://EXAMPLE.GOV/"),
        ("<clerk@example.gov>", "mailto:clerk@example.gov"),
        ("[mail](mailto:clerk@example.gov)", "mailto:clerk@example.gov"),
        ("[ref]\n\n[ref]: https://example.gov/ref", "https://example.gov/ref"),
    ],
)
def test_allowed_link_forms(source, href):
    parsed = assert_sanitised(render_markdown(source))
    assert [link.attrs["href"] for link in parsed.find("a")] == [href]


def test_bare_urls_are_not_linkified():
    parsed = assert_sanitised(render_markdown("See https://example.gov for details."))
    assert parsed.find("a") == []
    assert "https://example.gov" in parsed.text


@pytest.mark.parametrize(
    "source",
    [
        "[page](/questions/1/)",
        "[page](questions/1/)",
        "[page](../admin/)",
        "[anchor](#answers)",
        "[query](?page=2)",
        "[proto-relative](//evil.example/)",
        "[empty]()",
        "[no host](https:)",
        "[no host](https://)",
        "[opaque](http:evil.example)",
        "[other scheme](ftp://example.gov/file)",
        "[tel](tel:+15555550100)",
    ],
)
def test_relative_and_other_links_render_as_text(source):
    parsed = assert_sanitised(render_markdown(source))
    assert parsed.find("a") == []
    assert source[1 : source.index("]")] in parsed.text


def test_images_render_as_alt_text_only():
    parsed = assert_sanitised(render_markdown("![polling place map](https://evil.example/t.png)"))
    assert parsed.tags == ["p"]
    assert parsed.text.strip() == "polling place map"


# --------------------------------------------------------------------------------------------
# Hostile input
# --------------------------------------------------------------------------------------------

HOSTILE_INPUTS = {
    "script-tag": "<script>alert(1)</script>",
    "script-in-paragraph": "Hello <script>alert(document.cookie)</script> world",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "js-link": "[x](javascript:alert(1))",
    "js-link-mixed-case": "[x](JaVaScRiPt:alert(1))",
    "js-link-tab-entity": "[x](java&#x09;script:alert(1))",
    "js-link-newline-entity": "[x](java&#x0A;script:alert(1))",
    "js-link-entity-encoded": "[x](&#106;&#97;vascript:alert(1))",
    "js-link-colon-entity": "[x](javascript&colon;alert(1))",
    "js-link-leading-space": "[x](< javascript:alert(1)>)",
    "js-link-angle-brackets": "[x](<javascript:alert(1)>)",
    "js-reference-link": "[x][r]\n\n[r]: javascript:alert(1)",
    "data-link": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "data-image-link": "[x](data:image/png;base64,iVBORw0KGgo=)",
    "vbscript-link": "[x](vbscript:msgbox(1))",
    "file-link": "[x](file:///etc/passwd)",
    "svg-onload": "<svg onload=alert(1)>",
    "svg-in-markdown": "*<svg><script>alert(1)</script></svg>*",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "raw-a-javascript": '<a href="javascript:alert(1)">click</a>',
    "raw-a-entity-javascript": '<a href="&#106;avascript:alert(1)">click</a>',
    "autolink-javascript": "<javascript:alert(1)>",
    "autolink-data": "<data:text/html,<script>alert(1)</script>>",
    "image-tracking": "![x](https://evil.example/track.png)",
    "image-javascript": "![x](javascript:alert(1))",
    "image-reference": "![x][r]\n\n[r]: https://evil.example/track.png",
    "title-breakout": '[x](https://example.gov "\\"><script>alert(1)</script>")',
    "title-breakout-single": "[x](https://example.gov '\\'><img src=x onerror=alert(1)>')",
    "href-breakout": '[x](https://example.gov/"onmouseover="alert(1))',
    "event-handler-div": '<div onclick="alert(1)">hi</div>',
    "event-handler-p": '<p onmouseover="alert(1)" style="position:fixed">hi</p>',
    "style-tag": "<style>body{display:none}</style>",
    "style-attribute": '<span style="background:url(javascript:alert(1))">x</span>',
    "form": '<form action="https://evil.example"><input name=p><button>Go</button></form>',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "embed": '<embed src="https://evil.example/x.swf">',
    "math-mglyph": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "math-href": '<math href="javascript:alert(1)">click</math>',
    "html-comment": "<!-- secret --><script>alert(1)</script>",
    "html-comment-breakout": "<!--><img src=x onerror=alert(1)>-->",
    "cdata": "<![CDATA[<script>alert(1)</script>]]>",
    "processing-instruction": "<?php system('id'); ?>",
    "doctype": "<!DOCTYPE html><html><body onload=alert(1)>",
    "code-span-script": "`<script>alert(1)</script>`",
    "code-block-script": "```html\n<script>alert(1)</script>\n```",
    "entity-encoded-script": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "numeric-entity-script": "&#60;script&#62;alert(1)&#60;/script&#62;",
    "base-tag": '<base href="https://evil.example/">',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "link-in-link": "[[inner](javascript:alert(1))](https://example.gov)",
    "rtl-override-url": "[safe](https://example.gov/\u202egpj.exe)",
    "zero-width-url": "[safe](https://exam\u200bple.gov/)",
    "table-with-html": "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "heading-with-script": "# <script>alert(1)</script>",
    "nested-quote-html": "> > <iframe src=javascript:alert(1)>",
    "backslash-escaped-html": "\\<script>alert(1)\\</script>",
}


@RENDERERS
@pytest.mark.parametrize("source", HOSTILE_INPUTS.values(), ids=HOSTILE_INPUTS.keys())
def test_hostile_input_is_sanitised(render, source):
    allowed = BLOCK_TAGS if render is render_markdown else INLINE_TAGS
    assert_sanitised(render(source), allowed)


def test_hostile_corpus_is_large_enough():
    assert len(HOSTILE_INPUTS) >= 25


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](java&#x09;script:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox(1))",
        "<javascript:alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
    ],
)
def test_dangerous_links_never_become_anchors(source):
    parsed = assert_sanitised(render_markdown(source))
    assert parsed.find("a") == []


def test_raw_html_is_shown_as_text():
    html = render_markdown('<img src=x onerror="alert(1)">')
    assert html == '<p>&lt;img src=x onerror="alert(1)"&gt;</p>\n'


def test_title_attribute_cannot_break_out():
    html = render_markdown('[x](https://example.gov "\\"><script>alert(1)</script>")')
    parsed = assert_sanitised(html)
    (link,) = parsed.find("a")
    assert link.attrs["title"] == '"><script>alert(1)</script>'
    assert parsed.tags == ["p", "a"]


# --------------------------------------------------------------------------------------------
# Invisible characters in URLs
# --------------------------------------------------------------------------------------------

INVISIBLE_CHARACTERS = [
    *range(0x200B, 0x2010),
    *range(0x202A, 0x202F),
    *range(0x2060, 0x2065),
    *range(0x2066, 0x206A),
    0xFEFF,
    0x00AD,  # soft hyphen (Cf)
    0x180E,  # Mongolian vowel separator (Cf)
    0x3164,  # Hangul filler
    0x2028,  # line separator (Zl)
    0x0085,  # next line (Cc)
]


@RENDERERS
@pytest.mark.parametrize("codepoint", INVISIBLE_CHARACTERS, ids=lambda cp: f"U+{cp:04X}")
@pytest.mark.parametrize(
    "template",
    [
        "[click here](https://example.gov/doc{c}.pdf)",
        "[click here](https://exam{c}ple.gov/)",
        "[click here](<https://example.gov/a b{c}c>)",
        "[click here](mailto:clerk{c}@example.gov)",
        '[click here](https://example.gov/?q=1{c}2 "title")',
    ],
    ids=["path", "host", "bracketed", "mailto", "query"],
)
def test_invisible_characters_in_url_drop_the_link(render, codepoint, template):
    source = template.format(c=chr(codepoint))
    allowed = BLOCK_TAGS if render is render_markdown else INLINE_TAGS
    parsed = assert_sanitised(render(source), allowed)
    assert parsed.find("a") == []
    assert "click here" in parsed.text


@pytest.mark.parametrize(
    "source",
    [
        "[click here](https://example.gov/&#x202E;gpj.exe)",
        "[click here](https://example.gov/%E2%80%AEgpj.exe)",
        "[click here](https://example.gov/%e2%80%8b)",
        "[click here](https://xn--example-2z6c.gov/)",  # punycode for exa\u200bmple
        "[click here][r]\n\n[r]: https://example.gov/\u202egpj.exe",
    ],
    ids=["entity", "percent-encoded", "percent-lowercase", "punycode-host", "reference"],
)
def test_encoded_invisible_characters_in_url_drop_the_link(source):
    parsed = assert_sanitised(render_markdown(source))
    assert parsed.find("a") == []
    assert "click here" in parsed.text


def test_autolink_with_invisible_character_is_not_a_link():
    parsed = assert_sanitised(render_markdown("<https://exa\u200bmple.gov/>"))
    assert parsed.find("a") == []
    assert "mple.gov" in parsed.text


def test_invisible_characters_in_link_text_do_not_drop_the_link():
    parsed = assert_sanitised(render_markdown("[zero\u200bwidth](https://example.gov/)"))
    assert [link.attrs["href"] for link in parsed.find("a")] == ["https://example.gov/"]


def test_international_host_without_invisible_characters_stays_a_link():
    parsed = assert_sanitised(render_markdown("[x](https://bücher.example/)"))
    assert [link.attrs["href"] for link in parsed.find("a")] == ["https://xn--bcher-kva.example/"]


# --------------------------------------------------------------------------------------------
# Headings
# --------------------------------------------------------------------------------------------


def test_headings_are_demoted():
    source = "# One\n\n## Two\n\n### Three\n\n#### Four\n\n##### Five\n\n###### Six\n\nSe\n==\n"
    parsed = assert_sanitised(render_markdown(source))
    assert parsed.tags == ["h3", "h4", "h5", "h6", "h6", "h6", "h3"]
    assert "h1" not in parsed.tags
    assert "h2" not in parsed.tags


def test_setext_level_two_heading_is_demoted():
    parsed = assert_sanitised(render_markdown("Sub\n---\n"))
    assert parsed.tags == ["h4"]


# --------------------------------------------------------------------------------------------
# Inline rendering
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("# Heading", "# Heading"),
        ("## Heading", "## Heading"),
        ("- list item\n- another", "- list item\n- another"),
        ("1. first", "1. first"),
        ("> quote", "> quote"),
        ("---", "---"),
        ("    indented code", "    indented code"),
        ("| a |\n|---|\n| b |", "| a |\n|---|\n| b |"),
        ("first paragraph\n\nsecond paragraph", "first paragraph\n\nsecond paragraph"),
    ],
)
def test_inline_renders_block_syntax_as_text(source, text):
    parsed = assert_sanitised(render_inline_markdown(source), INLINE_TAGS)
    assert parsed.elements == []
    assert parsed.text == text


def test_inline_fenced_code_becomes_a_code_span_not_a_block():
    html = render_inline_markdown("```\n<script>alert(1)</script>\n```")
    parsed = assert_sanitised(html, INLINE_TAGS)
    assert parsed.tags == ["code"]
    assert "<script>alert(1)</script>" in parsed.text


def test_inline_emphasis_links_code_and_strikethrough_work():
    html = render_inline_markdown(
        "*a* **b** `c` ~~d~~ [e](https://example.gov) <clerk@example.gov>"
    )
    assert html == (
        "<em>a</em> <strong>b</strong> <code>c</code> <s>d</s> "
        '<a href="https://example.gov" rel="nofollow ugc noopener noreferrer">e</a> '
        '<a href="mailto:clerk@example.gov" rel="nofollow ugc noopener noreferrer">'
        "clerk@example.gov</a>"
    )


@pytest.mark.parametrize("source", ["plain", "# h", "- l", "> q", "a\n\nb", "```\nc\n```"])
def test_inline_never_emits_block_tags(source):
    parsed = assert_sanitised(render_inline_markdown(source), INLINE_TAGS)
    assert not set(parsed.tags) & BLOCK_ONLY_TAGS
    assert not render_inline_markdown(source).startswith("<p>")


def test_inline_applies_the_same_link_rules():
    parsed = assert_sanitised(
        render_inline_markdown("[a](/relative) [b](javascript:alert(1)) ![c](https://e.x/i.png)"),
        INLINE_TAGS,
    )
    assert parsed.find("a") == []
    assert parsed.find("img") == []


def test_rendering_is_pure():
    source = "# Title\n\n[x](https://example.gov) and [y](/rel)\n"
    assert render_markdown(source) == render_markdown(source)
    assert render_inline_markdown(source) == render_inline_markdown(source)


# --------------------------------------------------------------------------------------------
# Inputs that are pathologically slow in other Markdown implementations. No timing assertions
# (project rule): they only have to complete and stay sanitised.
# --------------------------------------------------------------------------------------------

ABUSE_INPUTS = {
    "open-brackets-with-text": "[a" * 10000,
    "emphasis-openers": "*a" * 15000,
    "underscore-openers": "_a" * 15000,
    "blockquote-markers": ">" * 10000,
    "backticks": "`" * 20000,
    "alternating-backticks": "`a" * 15000,
    "nested-brackets": "[" * 10000 + "a" + "]" * 10000,
    "nested-links": "[" * 10000 + "a" + "](https://e.x)" * 1000,
    "image-openers": "![" * 10000,
    "unclosed-destinations": "[a](" * 7500,
    "long-line": "x" * 30000,
    "long-url": "[a](https://example.gov/" + "a" * 29970 + ")",
    "long-invisible-url": "[a](https://example.gov/" + "\u200b" * 29970 + ")",
    "nested-lists": "- " * 10000,
    "strikethrough-openers": "~~a" * 10000,
    "entities": "&#" * 15000,
    "table-columns": "|a|\n|-|\n" + "|x" * 10000,
    "angle-brackets": "<a" * 15000,
}


@RENDERERS
@pytest.mark.parametrize("source", ABUSE_INPUTS.values(), ids=ABUSE_INPUTS.keys())
def test_abusive_input_completes_and_is_sanitised(render, source):
    assert len(source) <= 30_000
    allowed = BLOCK_TAGS if render is render_markdown else INLINE_TAGS
    html = render(source)
    assert isinstance(html, str)
    assert html
    assert_sanitised(html, allowed)
