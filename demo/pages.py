"""The demo page tree: home, the resource library with the 14 demo guides, and the plain
pages the footer links to. Pages that exist already are never touched, so an editor's
changes survive `make run`."""

import json
import re
from pathlib import Path

from django.conf import settings
from django.db import transaction
from wagtail.models import Page, Site

from cms.models import GuidePage, HomePage, ResourceIndexPage, StandardPage
from forum.models import Topic

GUIDES_FILE = Path(settings.BASE_DIR) / "data" / "demo" / "guides.jsonl"

HOME_INTRO = (
    "Canvass is where U.S. local election officials ask each other how they do the work: "
    "verified officials and vetted experts answer, the best answers become guides and "
    "toolkits any office can adapt, and one search finds all of it."
)

PLAIN_PAGES = [
    (
        "about",
        "About Canvass",
        "Canvass is a peer-to-peer knowledge exchange for U.S. local election officials.",
        [
            ("heading", "Who it is for"),
            (
                "paragraph",
                "<p>County and municipal clerks, election directors and their staff, "
                "state election offices, and the vetted experts who support them. Verified "
                "officials ask and answer; anyone can read the public guides and toolkits.</p>",
            ),
            ("heading", "Who runs it"),
            (
                "paragraph",
                "<p>Canvass is run by and for its member community. It is not a "
                "government website, and nothing on it is legal advice: check your state's "
                "election code and your counsel.</p>",
            ),
        ],
    ),
    (
        "code-of-conduct",
        "Code of conduct",
        "Canvass works because members can ask plain questions and get honest answers.",
        [
            (
                "paragraph",
                "<ul><li>Be nonpartisan: talk about administering elections, not "
                "about candidates or parties.</li><li>Assume good faith and be kind; many "
                "members work under pressure and some under threat.</li><li>Never post personal "
                "information about voters, colleagues or members.</li><li>Keep security-sensitive "
                "details in members-only threads, and flag them if you see them in public.</li>"
                "</ul>",
            ),
        ],
    ),
    (
        "privacy",
        "Privacy",
        "What Canvass keeps about you, who can see it, and what you can do about it.",
        [
            ("heading", "What others see"),
            (
                "paragraph",
                "<p>There is no public member directory. Visitors see only your "
                "display name and role badge. Other members see your display name, job title, "
                "office and badges unless you choose to show less. Your email address and office "
                "phone are never shown to anyone but staff.</p>",
            ),
            ("heading", "Public records"),
            (
                "paragraph",
                "<p>Your messages about public business may be public records "
                "under your state's law. Members-only threads are not shown to the public, to "
                "search engines or in feeds, but they are not secret from a records request.</p>",
            ),
            ("heading", "Your data"),
            (
                "paragraph",
                "<p>You can download your posts and profile, and delete your "
                "account. Your posts stay, shown as by a former member.</p>",
            ),
        ],
    ),
    (
        "accessibility",
        "Accessibility statement",
        "Canvass aims to meet the Web Content Accessibility Guidelines (WCAG) 2.1 at level AA.",
        [
            (
                "paragraph",
                "<p>Every page is built on the U.S. Web Design System, works with a "
                "keyboard alone and without JavaScript, and is checked with the axe-core "
                "accessibility engine in automated browser tests.</p>",
            ),
            ("heading", "Tell us about a barrier"),
            (
                "paragraph",
                "<p>If something on Canvass does not work for you, tell the site's "
                "moderators through the contact address of your community, and say which page and "
                "what assistive technology you use. We aim to reply within five working days.</p>",
            ),
        ],
    ),
]


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _home() -> HomePage:
    home = HomePage.objects.first()
    if home is not None:
        return home
    root = Page.get_first_root_node()
    home = _publish(root, HomePage(title="Canvass", slug="canvass", intro=HOME_INTRO))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", root_page=home, is_default_site=True, site_name="Canvass"
        )
    else:
        placeholder = site.root_page
        site.root_page = home
        site.site_name = "Canvass"
        site.save()
        # Wagtail's migrations leave a "Welcome to Wagtail" page; it has no place here.
        if placeholder.specific_class is Page:
            placeholder.delete()
    return home


def _source(guide: dict) -> tuple[str, str]:
    """Split the data's source field, e.g. 'https://www.eac.gov (Chain of Custody Best
    Practices, v1.1, July 2021)', into a link and a title."""
    match = re.match(r"(?P<url>https?://\S+)(?:\s*\((?P<title>.+)\))?", guide["source_url"])
    if match is None:
        return "", guide["source_url"]
    return match["url"], match["title"] or ""


def _summary(body: str) -> str:
    sentences = re.split(r"(?<=[.!?])\s+", body)
    return " ".join(sentences[:2])


def _load_guides(library: ResourceIndexPage) -> int:
    existing = set(GuidePage.objects.child_of(library).values_list("slug", flat=True))
    topics = Topic.objects.in_bulk(field_name="slug")
    created = 0
    with GUIDES_FILE.open(encoding="utf-8") as handle:
        for line in handle:
            guide = json.loads(line)
            slug = guide["id"].removeprefix("g-")
            if slug in existing:
                continue
            url, source_title = _source(guide)
            paragraphs = [p.strip() for p in re.split(r"\n\s*\n", guide["body"]) if p.strip()]
            page = GuidePage(
                title=guide["title"],
                slug=slug,
                summary=_summary(guide["body"]),
                body=[("paragraph", f"<p>{paragraph}</p>") for paragraph in paragraphs],
                source_url=url,
                source_title=source_title,
                publisher=guide["publisher"],
                source_license=guide["source_license"],
            )
            page.topics.set([topics[slug] for slug in guide["tags"] if slug in topics])
            _publish(library, page)
            created += 1
    return created


@transaction.atomic
def load_pages() -> dict[str, int]:
    home = _home()
    library = ResourceIndexPage.objects.child_of(home).first() or _publish(
        home,
        ResourceIndexPage(
            title="Guides & toolkits",
            slug="guides",
            intro="Best practices and adaptable templates from election offices across the "
            "country, each with the public source it draws on.",
        ),
    )
    existing = set(StandardPage.objects.child_of(home).values_list("slug", flat=True))
    plain = 0
    for slug, title, intro, body in PLAIN_PAGES:
        if slug not in existing:
            _publish(
                home,
                StandardPage(title=title, slug=slug, intro=intro, body=body, show_in_menus=True),
            )
            plain += 1
    return {"guides": _load_guides(library), "plain pages": plain}
