"""The demo page tree: home (featuring four guides), the resource library with the 14 demo
guides laid out as blocks and two toolkits of generated documents, the topic pages, the
events, a guide the demo editor promoted from a thread, and the plain pages the footer
links to. Pages that exist already are never touched (matched by slug, or for the promoted
guide by its thread), so an editor's changes survive `make run`."""

import datetime
import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from accounts.models import User
from cms.models import (
    GuidePage,
    HomeFeaturedGuide,
    HomePage,
    ResourceIndexPage,
    StandardPage,
    ToolkitPage,
    ToolkitTemplate,
)
from cms.promotion import promote_to_guide
from cms.services import sync_topic_pages
from core.sites import site_address
from forum.models import Question, Topic, Visibility

from . import documents
from .events import load_events
from .threads import QA_FILE, DemoDataError

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
            **site_address(), root_page=home, is_default_site=True, site_name="Canvass"
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


# --- guides ----------------------------------------------------------------------------
#
# Each demo guide in data/demo/guides.jsonl is one paragraph of sentences. `GUIDE_SHAPES`
# lays each guide's sentences out as blocks: which sentences make a paragraph, which a
# list, which a callout on what the law requires, in the guide's own words. Only headings
# and list titles are written here; every other word comes from the data, and every
# sentence is used exactly once (`shape_guide` checks both, so a change to the data that
# the shape no longer fits fails loudly instead of dropping text). The data holds no
# attributed statement, so no guide has a quote block; the forum's voice comes in through
# Q&A excerpts of the demo threads instead.


@dataclass(frozen=True)
class Shape:
    """One block of a guide, made from some of its sentences (numbered from 0)."""

    kind: str  # heading, paragraph, bullets, callout, checklist, steps, qa_excerpt, document
    sentences: tuple[int, ...] = ()
    text: str = ""  # a heading; a callout's, checklist's or steps block's title; a key
    callout: str = "note"  # note, warning or legal
    # The start of the first sentence that introduces its list ("Survey ... Places:"), or
    # ":" for everything up to the first colon. It is left out of the list, or shown as a
    # paragraph before it ("paragraph"), or becomes the list's title ("title").
    lead: str = ""
    lead_as: str = "drop"
    separator: str = ","  # list items are split on commas (and the last "and") or on ";"
    items: tuple[str, ...] = ()  # items quoted from the sentences, where splitting reads badly


def H(text: str) -> Shape:
    return Shape("heading", text=text)


def P(*sentences: int) -> Shape:
    return Shape("paragraph", sentences)


def LEGAL(title: str, *sentences: int) -> Shape:
    return Shape("callout", sentences, text=title, callout="legal")


def NOTE(title: str, *sentences: int, kind: str = "note") -> Shape:
    return Shape("callout", sentences, text=title, callout=kind)


def BULLETS(sentence: int, lead: str) -> Shape:
    return Shape("bullets", (sentence,), lead=lead)


def CHECK(*sentences: int, **options) -> Shape:
    return Shape("checklist", sentences, **options)


def STEPS(*sentences: int, **options) -> Shape:
    return Shape("steps", sentences, **options)


def QA(thread: str) -> Shape:
    return Shape("qa_excerpt", text=thread)


def DOC(template: str) -> Shape:
    return Shape("document", text=template)


GUIDE_SHAPES: dict[str, list[Shape]] = {
    "emg-overview": [
        P(0),
        H("What the chapters cover"),
        BULLETS(1, lead="Chapters walk through"),
        H("What the 2023 update adds"),
        P(2),
    ],
    "chain-of-custody": [
        P(0),
        H("Write the procedure down"),
        CHECK(1, separator=";"),
        H("What the procedure covers"),
        CHECK(2, lead="Cover"),
        P(3),
        DOC("custody-log-xlsx"),
        H("After the election"),
        P(4),
        QA("q17"),
    ],
    "list-maintenance": [
        P(0),
        LEGAL("What the NVRA requires", 1),
        H("Voters who appear to have moved"),
        STEPS(2, separator=";", text="Confirmation notices"),
        LEGAL("Other removals follow state procedures", 3),
        H("Keep the process explainable"),
        P(4),
        QA("q04"),
    ],
    "provisional": [
        H("What the law requires"),
        LEGAL("Under HAVA", 0, 1, 3),
        LEGAL("What each state decides", 2),
        H("Good practice"),
        CHECK(4, lead="Good practice:"),
        QA("q06"),
    ],
    "la-testing": [
        BULLETS(0, lead=":"),
        H("Running the test"),
        STEPS(1, 4, separator=";"),
        LEGAL("Check your state's rules", 2),
        H("Testing during and after voting"),
        P(3),
        QA("q02"),
    ],
    "poll-workers": [
        P(0),
        LEGAL("Who may serve differs by state", 1),
        H("Recruiting"),
        CHECK(2, separator=";"),
        H("Training"),
        P(3),
        H("Staffing and retention"),
        CHECK(4),
        DOC("checklist-docx"),
        QA("q24"),
    ],
    "accessibility": [
        H("Survey and fix barriers"),
        CHECK(0, lead=":", lead_as="paragraph"),
        P(1),
        LEGAL("What HAVA requires", 2),
        H("Information and assistance for voters"),
        CHECK(3),
        QA("q13"),
    ],
    "records-retention": [
        H("What the law requires"),
        LEGAL("Federal law: 52 U.S.C. 20701", 0, 1, 2),
        LEGAL("State law", 3),
        H("Before destroying anything"),
        NOTE("Litigation and preservation notices", 4, kind="warning"),
        QA("q01"),
    ],
    "rla": [
        P(0),
        H("How many ballots"),
        P(1),
        H("Kinds of risk-limiting audit"),
        P(2),
        H("A checklist for every RLA"),
        CHECK(
            3,
            items=(
                "a trustworthy ballot manifest",
                "strong chain of custody",
                "a public random seed",
                "clear escalation rules",
                "finish before certification",
            ),
        ),
        QA("q03"),
    ],
    "physical-security": [
        BULLETS(0, lead="CISA publishes no-cost"),
        H("Working through the checklists"),
        CHECK(1),
        QA("q07"),
    ],
    "personal-safety": [
        H("When a threat arrives"),
        STEPS(
            0,
            text="Document and report every threat; call, in this order",
            items=(
                "911 for immediate danger",
                "your FBI field office's election crimes coordinator",
                "your CISA protective security advisor",
            ),
        ),
        H("Reduce your exposure"),
        CHECK(1, lead="Reduce exposure by"),
        P(2),
        H("Prepare your staff"),
        P(3),
        QA("q10"),
    ],
    "mail-hazmat": [
        H("Written procedures for suspicious mail"),
        CHECK(0, lead=":", lead_as="paragraph"),
        NOTE("Joint federal guidance", 1),
    ],
    "dotgov": [
        P(0),
        H("Who can register"),
        P(1),
        LEGAL("Some states require it", 2),
        QA("q16"),
    ],
    "ei-isac": [
        P(0),
        H("Joining"),
        P(1),
        H("Services"),
        BULLETS(2, lead="Services have included"),
        NOTE("Check what is available now", 3),
    ],
}
FEATURED_GUIDES = ["chain-of-custody", "la-testing", "rla", "poll-workers"]
# Their sources change most (a 2010 quick-start guide; an ISAC whose funding has changed),
# so these two show as past their review date in the editors' report.
REVIEW_OVERDUE = {"accessibility", "ei-isac"}
REVIEW_EVERY = datetime.timedelta(days=365)
FURTHER_SOURCES = "Also drawn from:"


def sentences(body: str) -> list[str]:
    """Split at a sentence end: a full stop after a lower-case letter, digit or bracket,
    so "52 U.S.C. 20701" stays whole."""
    return re.split(r"(?<=[a-z0-9)][.!?])\s+(?=[A-Z0-9])", body.strip())


def _outside_brackets(text: str, separator: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in text:
        depth += (char == "(") - (char == ")")
        if char == separator and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def _split_last_and(item: str) -> list[str]:
    """'recounts and any third-party review' -> both, unless 'and' is inside brackets."""
    depth, cut = 0, -1
    for position, char in enumerate(item):
        depth += (char == "(") - (char == ")")
        if depth == 0 and item.startswith(" and ", position):
            cut = position
    return [item[:cut], item[cut + 5 :]] if cut >= 0 else [item]


def list_items(text: str, separator: str) -> list[str]:
    """A list written as a sentence, as items: "a, b and c" or "a, b, and c" (the serial
    comma keeps "canvass and certification" whole), or clauses split on ";"."""
    parts = [part.strip() for part in _outside_brackets(text.strip().rstrip("."), separator)]
    if separator == "," and len(parts) > 1:
        if parts[-1].startswith("and "):
            parts[-1] = parts[-1][4:]
        else:
            parts[-1:] = _split_last_and(parts[-1])
    return [part.strip() for part in parts if part.strip()]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _html(text: str) -> str:
    return html.escape(text, quote=False)


def _paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{_html(text)}</p>" for text in texts)


def _lead(shape: Shape, sentence: str, key: str) -> tuple[str, str]:
    """Split a sentence into its lead and the list that follows."""
    lead = sentence.split(":", 1)[0] + ":" if shape.lead == ":" else shape.lead
    if not lead or not sentence.startswith(lead):
        raise DemoDataError(f"Demo guide {key}: a sentence does not start with {lead!r}.")
    return lead.strip(), sentence[len(lead) :].strip()


def shape_guide(key: str, body: str, shapes: list[Shape], *, threads=None, documents=None):
    """The guide's body as (block type, value) pairs. `threads` maps a demo thread's key to
    its question's number, `documents` a template's key to its document; a block whose
    thread or document does not exist is left out."""
    text = sentences(body)
    used = sorted(n for shape in shapes for n in shape.sentences)
    if used != list(range(len(text))):
        raise DemoDataError(
            f"Demo guide {key}: its shape uses sentences {used}, but it has {len(text)}."
        )
    threads, documents = threads or {}, documents or {}
    blocks: list[tuple[str, object]] = []
    for shape in shapes:
        chosen = [text[n] for n in shape.sentences]
        if shape.kind == "heading":
            blocks.append(("heading", shape.text))
        elif shape.kind == "paragraph":
            blocks.append(("paragraph", RichText(_paragraphs([" ".join(chosen)]))))
        elif shape.kind == "callout":
            value = {"kind": shape.callout, "title": shape.text}
            blocks.append(("callout", {**value, "text": RichText(_paragraphs(chosen))}))
        elif shape.kind == "bullets":
            lead, rest = _lead(shape, chosen[0], key)
            items = "".join(f"<li>{_html(item)}</li>" for item in list_items(rest, ","))
            intro = lead if lead.endswith(":") else f"{lead}:"
            blocks.append(("paragraph", RichText(f"<p>{_html(intro)}</p><ul>{items}</ul>")))
        elif shape.kind in ("checklist", "steps"):
            title = shape.text
            if shape.items:
                joined = " ".join(chosen).lower()
                missing = [item for item in shape.items if item.lower() not in joined]
                if missing:
                    raise DemoDataError(f"Demo guide {key}: {missing} are not in its text.")
                items = list(shape.items)
            else:
                if shape.lead:
                    lead, chosen[0] = _lead(shape, chosen[0], key)
                    if shape.lead_as == "paragraph":
                        blocks.append(("paragraph", RichText(_paragraphs([lead]))))
                    elif shape.lead_as == "title":
                        title = lead.rstrip(":")
                items = [
                    item for sentence in chosen for item in list_items(sentence, shape.separator)
                ]
            items = [_upper_first(item) for item in items]
            if shape.kind == "checklist":
                blocks.append(("checklist", {"title": title, "items": items}))
            else:
                steps = [{"title": item, "text": RichText("")} for item in items]
                blocks.append(("steps", {"title": title, "steps": steps}))
        elif shape.kind == "qa_excerpt":
            if shape.text in threads:
                blocks.append(("qa_excerpt", {"question": threads[shape.text], "note": ""}))
        elif shape.kind == "document":
            if shape.text in documents:
                document, description = documents[shape.text]
                blocks.append(("document", {"document": document, "description": description}))
        else:
            raise ValueError(f"Unknown shape {shape.kind!r}.")
    return blocks


def _sources(guide: dict) -> list[tuple[str, str]]:
    """The data's source field as (link, title) pairs: 'https://www.eac.gov (Chain of
    Custody Best Practices, v1.1, July 2021)', or several such separated by '; '."""
    found = re.findall(
        r"(https?://[^\s;]+)(?:\s*\(([^)]*(?:\([^)]*\)[^)]*)*)\))?", guide["source_url"]
    )
    return found or [("", guide["source_url"])]


def _further_sources(sources: list[tuple[str, str]], publisher: str) -> list[tuple[str, RichText]]:
    """A closing paragraph linking the sources after the first (the page's source fields
    hold one), named by their title, else by their publisher where the data lists one per
    source."""
    if len(sources) < 2:
        return []
    publishers = [name.strip() for name in publisher.split(";")]
    if len(publishers) != len(sources):
        publishers = [""] * len(sources)
    links = [
        f'<a href="{html.escape(url)}">{_html(title or name or url)}</a>'
        for (url, title), name in zip(sources[1:], publishers[1:], strict=True)
    ]
    return [("paragraph", RichText(f"<p>{FURTHER_SOURCES} {', '.join(links)}.</p>"))]


def _summary(body: str) -> str:
    return " ".join(sentences(body)[:2])


def _authors(publisher: str) -> str:
    """The guides are the Canvass editors' summaries of the publisher's work, so both are
    credited: 'CISA; EAC; FBI; USPIS' -> 'Canvass editors, summarising CISA, EAC, FBI and
    USPIS'."""
    names = [name.strip() for name in publisher.split(";")]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"Canvass editors, summarising {listed}"


def review_dates(slug: str, position: int, today: datetime.date) -> tuple:
    """Reviewed some weeks ago, each guide a little earlier than the one before; due a year
    later, except the REVIEW_OVERDUE guides, reviewed 13 months ago and so past due."""
    if slug in REVIEW_OVERDUE:
        reviewed = today - datetime.timedelta(days=400 + position)
    else:
        reviewed = today - datetime.timedelta(days=20 + 9 * position)
    return reviewed, reviewed + REVIEW_EVERY


def read_guides() -> list[dict]:
    with GUIDES_FILE.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def thread_numbers() -> dict[str, int]:
    """Demo thread key (q01 ...) -> the number of its question, for the public demo threads
    that exist with an accepted answer."""
    with QA_FILE.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    titles = {row["id"]: row["title"] for row in rows}
    found = dict(
        Question.objects.filter(
            title__in=titles.values(),
            visibility=Visibility.PUBLIC,
            accepted_answer__isnull=False,
            is_hidden=False,
        ).values_list("title", "pk")
    )
    return {key: found[title] for key, title in titles.items() if title in found}


def _template_documents() -> dict[str, tuple[Document, str]]:
    """Template key -> (its document, a description for a guide's document block), for the
    toolkit documents that exist (found by title)."""
    wanted = {
        template.title: (key, template.guide_description)
        for toolkit in TOOLKITS
        for key, template in toolkit.templates.items()
        if template.guide_description
    }
    found = {}
    for document in Document.objects.filter(title__in=wanted).order_by("-pk"):
        key, description = wanted[document.title]
        found[key] = (document, description)
    return found


def _load_guides(library: ResourceIndexPage) -> int:
    existing = set(GuidePage.objects.child_of(library).values_list("slug", flat=True))
    topics = Topic.objects.in_bulk(field_name="slug")
    threads, documents = thread_numbers(), _template_documents()
    today = timezone.localdate()
    created = 0
    for position, guide in enumerate(read_guides()):
        slug = guide["id"].removeprefix("g-")
        if slug in existing:
            continue
        sources = _sources(guide)
        url, source_title = sources[0]
        shapes = GUIDE_SHAPES.get(slug) or [P(*range(len(sentences(guide["body"]))))]
        reviewed, due = review_dates(slug, position, today)
        page = GuidePage(
            title=guide["title"],
            slug=slug,
            summary=_summary(guide["body"]),
            body=shape_guide(slug, guide["body"], shapes, threads=threads, documents=documents)
            + _further_sources(sources, guide["publisher"]),
            authors=_authors(guide["publisher"]),
            last_reviewed=reviewed,
            next_review_due=due,
            source_url=url,
            source_title=source_title,
            publisher=guide["publisher"],
            source_license=guide["source_license"],
        )
        page.topics.set([topics[slug] for slug in guide["tags"] if slug in topics])
        _publish(library, page)
        created += 1
    return created


def _feature_guides(home: HomePage) -> int:
    """Feature FEATURED_GUIDES on the home page, when it features none and has no draft
    an editor is working on (publishing would publish their draft too)."""
    home = HomePage.objects.get(pk=home.pk)  # as it is now, after the pages added under it
    if home.featured.exists() or home.has_unpublished_changes:
        return 0
    guides = {page.slug: page for page in GuidePage.objects.live().filter(slug__in=FEATURED_GUIDES)}
    chosen = [guides[slug] for slug in FEATURED_GUIDES if slug in guides]
    if not chosen:
        return 0
    home.featured = [HomeFeaturedGuide(guide=guide, sort_order=n) for n, guide in enumerate(chosen)]
    home.save_revision().publish()
    return len(chosen)


# --- toolkits --------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    title: str
    filename: str
    make: Callable[[], bytes]
    note: str
    guide_description: str = ""  # set for a template a guide offers as a download


@dataclass(frozen=True)
class Toolkit:
    slug: str
    title: str
    summary: str
    intro: str
    topics: list[str]
    templates: dict[str, Template]


TOOLKITS = [
    Toolkit(
        slug="polling-place-opening-closing-checklist",
        title="Polling place opening and closing checklist",
        summary=(
            "A checklist poll workers tick off when they open and close a polling place: "
            "seals and seal numbers, the accessible voting system, zero reports and results "
            "tapes, reconciliation and the hand-off of materials."
        ),
        intro=(
            "<p>Every line that depends on your state or your office is in [square "
            "brackets]: opening and closing times, required postings, the office's phone "
            "number, where materials go back. Replace them, delete what your procedures do "
            "not use, and print one copy per polling place.</p>"
        ),
        topics=["poll-workers", "polling-place-management", "chain-of-custody"],
        templates={
            "checklist-docx": Template(
                title="Polling place opening and closing checklist (Word)",
                filename="polling-place-opening-closing-checklist.docx",
                make=lambda: documents.docx(documents.POLL_WORKER_CHECKLIST),
                note=(
                    "Replace every text in [square brackets] with your office's times, phone "
                    "number, return location and your state's requirements; delete lines your "
                    "procedures do not use and add your own. Keep both signature lines where "
                    "your state requires two workers, of different parties, to sign."
                ),
                guide_description=(
                    "A polling place opening and closing checklist to adapt, from the "
                    "toolkit of the same name."
                ),
            ),
            "checklist-odt": Template(
                title="Polling place opening and closing checklist (OpenDocument)",
                filename="polling-place-opening-closing-checklist.odt",
                make=lambda: documents.odt(documents.POLL_WORKER_CHECKLIST),
                note=(
                    "The same checklist for LibreOffice and other OpenDocument editors; adapt "
                    "it as you would the Word version."
                ),
            ),
            "checklist-pdf": Template(
                title="Polling place opening and closing checklist (PDF)",
                filename="polling-place-opening-closing-checklist.pdf",
                make=lambda: documents.pdf(documents.POLL_WORKER_CHECKLIST),
                note=(
                    "Ready to print as it is, for training or a first look. For election "
                    "day, adapt the Word or OpenDocument version so the bracketed lines say "
                    "what your office does."
                ),
            ),
        },
    ),
    Toolkit(
        slug="chain-of-custody-log",
        title="Chain-of-custody log",
        summary=(
            "A blank log for every transfer of ballots, voting equipment and removable "
            "media: who released it, who received it, the witness, when, and the seal "
            "numbers, as a spreadsheet and as a printable form."
        ),
        intro=(
            "<p>A written chain-of-custody procedure needs a record of every transfer (who, "
            "what, when, seal numbers), made by the people who hand over and receive. "
            "These templates give staff one place to write it, with instructions for "
            "checking seals before accepting a container.</p>"
        ),
        topics=["chain-of-custody", "physical-security", "post-election-audits"],
        templates={
            "custody-log-xlsx": Template(
                title="Chain-of-custody log (Excel)",
                filename="chain-of-custody-log.xlsx",
                make=lambda: documents.xlsx(documents.CUSTODY_LOG),
                note=(
                    "Put your office's names for containers and equipment in the drop-down "
                    "list of the \u201cItem or container\u201d column (any other entry is "
                    "accepted too), and add columns your procedure needs, such as a ballot "
                    "count per container. The \u201cHow to use\u201d sheet holds the "
                    "instructions for staff; the header row repeats on every printed page."
                ),
                guide_description=(
                    "A blank chain-of-custody log to adapt, from the chain-of-custody log toolkit."
                ),
            ),
            "custody-log-pdf": Template(
                title="Chain-of-custody log (PDF form)",
                filename="chain-of-custody-log.pdf",
                make=lambda: documents.log_pdf(documents.CUSTODY_LOG),
                note=(
                    "A one-page form with the same columns, for places without a computer: "
                    "print as many copies as needed, number the pages, and keep the sheets "
                    "with the materials they cover."
                ),
            ),
        },
    ),
]


def _load_toolkits(library: ResourceIndexPage) -> tuple[int, int]:
    """Create the missing toolkits with their documents; returns (toolkits, documents)."""
    existing = set(ToolkitPage.objects.child_of(library).values_list("slug", flat=True))
    topics = Topic.objects.in_bulk(field_name="slug")
    toolkits = stored = 0
    for toolkit in TOOLKITS:
        if toolkit.slug in existing:
            continue
        rows = []
        for template in toolkit.templates.values():
            document = documents.store(template.title, template.filename, template.make())
            rows.append(ToolkitTemplate(document=document, note=template.note))
            stored += 1
        page = ToolkitPage(
            title=toolkit.title,
            slug=toolkit.slug,
            summary=toolkit.summary,
            intro=toolkit.intro,
            templates=rows,
        )
        page.topics.set([topics[slug] for slug in toolkit.topics if slug in topics])
        _publish(library, page)
        toolkits += 1
    return toolkits, stored


# --- a guide promoted from a thread ----------------------------------------------------

DEMO_EDITOR = "evelyn.chen@demo.example"  # an editor with two-factor sign-in
PROMOTED_THREAD = "q14"  # "What belongs in a continuity of operations plan ...?"
PROMOTED_INTRO = (
    "<p>This guide began as a question in the Canvass forum: what belongs in a continuity "
    "of operations plan for an election office? The answer the asker accepted is quoted "
    "below with its author, and links to the whole thread.</p>"
)


def _promote_demo_thread() -> int:
    """Promote PROMOTED_THREAD to a guide as the demo editor does (through
    `cms.promotion.promote_to_guide`), add an introduction and publish it. Nothing happens
    when a guide from that thread exists, live or not."""
    number = thread_numbers().get(PROMOTED_THREAD)
    if number is None or GuidePage.objects.filter(source_question_id=number).exists():
        return 0
    editor = User.objects.get(email=DEMO_EDITOR)
    guide = promote_to_guide(question=Question.objects.get(pk=number), editor=editor)
    draft = guide.get_latest_revision_as_object()
    draft.body = [
        ("paragraph", RichText(PROMOTED_INTRO)),
        *[(block.block_type, block.value) for block in draft.body],
    ]
    draft.last_reviewed = timezone.localdate()
    draft.next_review_due = draft.last_reviewed + REVIEW_EVERY
    # Wagtail's Editors group may not publish (moderators do, in the workflow); the loader
    # publishes the editor's revision itself, as the brief of the demo asks.
    draft.save_revision(user=editor, log_action=True).publish()
    return 1


@transaction.atomic
def load_pages() -> dict[str, int]:
    """Create what is missing of the page tree. Threads and people must be loaded first:
    guides quote threads, and the demo editor promotes one."""
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
    topic_pages = sync_topic_pages()
    toolkits, stored = _load_toolkits(library)
    guides = _load_guides(library)
    featured = _feature_guides(home) if guides else 0
    events, materials = load_events(home)
    return {
        "guides": guides,
        "featured guides": featured,
        "toolkits": toolkits,
        "documents": stored + materials,
        "events": events,
        "topic pages": topic_pages,
        "plain pages": plain,
        "guides promoted from threads": _promote_demo_thread(),
    }
