"""The demo's two cohorts (issue 16), each with cohort-only threads and a shared document:

- "Centers for Election Excellence 2026", a learning cohort of the six demo offices that
  shows its badge on its members' posts: Grace Okafor coordinates it and Dr. Priya Raman,
  the demo expert, is added to it. Jordan Lee's office (Boulder County) is one of the six,
  so he belongs as soon as his verification is approved.
- "Large Jurisdictions Network", defined by a rule over the directory's population figures
  (`load_population`): offices serving 250,000 people or more, or among the four most
  populous local offices in their state. Of the demo offices that takes Maricopa, Franklin,
  Madison and Boulder, and leaves Petroleum County and Hanover out, so Tom Becker and Lin
  Hayes show what a non-member official sees. Maria Alvarez coordinates it.

The cohorts are set up through `cohorts.services`, as the demo administrator and each
cohort's coordinator would (a rule cohort's offices are its rule's), the threads through
`forum.services` the way `demo.threads` writes the others (the same history, votes and
dates), and the documents are uploaded by members through `cohorts.services`; the dates
are set afterwards. A cohort that exists already (by slug) is left as it is, offices and
all; threads are matched by title and documents by title within their cohort, so running
`load_demo` again adds nothing and keeps what members and coordinators changed."""

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Jurisdiction, User
from cohorts import membership, services
from cohorts.models import (
    Cohort,
    CohortExpert,
    CohortOffice,
    Coordinator,
    Document,
    DocumentVersion,
    MembershipChange,
)
from forum import limits
from forum.models import Question, Topic, Visibility

from . import documents
from .people import DEMO_PEOPLE
from .threads import (
    DemoAnswer,
    DemoDataError,
    DemoThread,
    _asking_times,
    _check,
    _create_thread,
    _history,
)

ADMINISTRATOR = "admin@demo.example"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


@dataclass(frozen=True)
class DemoDocument:
    content: documents.TextDocument
    filename: str  # its extension says which format `documents` writes it in
    uploaded_by: str  # an email
    note: str


@dataclass(frozen=True)
class DemoCohort:
    name: str
    slug: str
    description: str
    coordinator: str  # an email
    age: datetime.timedelta  # how long ago the cohort was created; its threads are younger
    threads: list[DemoThread]
    document: DemoDocument
    offices: tuple[str, ...] = ()  # office slugs, added by the administrator
    experts: tuple[str, ...] = ()  # emails
    badge_label: str = ""
    rule_min_population: int | None = None
    rule_top_in_state: int | None = None


AFTER_ACTION_TEMPLATE = documents.TextDocument(
    title="After-action review: cohort template",
    intro=(
        "The Centers' shared outline for reviewing an election within six weeks of "
        "certification. Each office keeps its own copy; what the cohort compares are the "
        "findings and the changes planned. Text in [square brackets] is for your office "
        "to replace.",
    ),
    fields=("Office", "Election reviewed", "Review meeting date", "Prepared by"),
    sections=(
        documents.Section(
            "Before the meeting",
            (
                "Collect the incident reports, the chain-of-custody logs and the "
                "reconciliation sheets from every polling place and vote center.",
                "Pull the figures: turnout by voting method, wait times where you measured "
                "them, provisional ballots issued and counted, mail ballots rejected and "
                "cured, calls to the office on election day.",
                "Ask poll workers, staff and [your partner agencies] for a short written "
                "list: what worked, what did not, and one thing they would change.",
            ),
        ),
        documents.Section(
            "The meeting",
            (
                "Walk the election's timeline from ballot proofing to certification, one "
                "phase at a time.",
                "For each phase: what was planned, what happened, why it differed, and what "
                "to keep or change.",
                "Record each change with an owner and a date, and the part of the written "
                "procedure it touches.",
            ),
        ),
        documents.Section(
            "What to share with the cohort",
            (
                "Three findings other offices could use, without names of staff or voters.",
                "The changes planned, and which ones need a vendor, the county board or the "
                "state to agree.",
                "Anything you would like another Center to observe at your next election.",
            ),
            checkboxes=False,
        ),
    ),
    signatures=("Elections director or clerk",),
    footer=documents.DEMO_FOOTER,
)

STAFFING_WORKSHEET = documents.TextDocument(
    title="Central count staffing plan: network worksheet",
    intro=(
        "The network's worksheet for planning central count staffing for a general "
        "election with a large share of mail ballots. Fill in your own figures; the "
        "network compares the ratios, not the totals.",
    ),
    fields=("Office", "Election", "Mail ballots expected", "Processing days before election day"),
    sections=(
        documents.Section(
            "Capacity",
            (
                "Envelopes a signature verification station reviews in an hour, measured in "
                "your last election: ______",
                "Ballots a two-person extraction team opens and flattens in an hour: ______",
                "Ballots each high-speed scanner processes in an hour, with jams and "
                "resolution included: ______",
                "Shifts a day, and hours each, your facility and union agreements allow: ______",
            ),
        ),
        documents.Section(
            "People",
            (
                "Permanent staff assigned to central count, and their roles.",
                "Temporary staff to hire, with the training hours each role needs.",
                "Bipartisan teams your state requires, and at which stations.",
                "Two people cross-trained for every station, each with their own account.",
            ),
        ),
        documents.Section(
            "Checks",
            (
                "The daily reconciliation: envelopes received, accepted, rejected, sent to "
                "cure, and ballots scanned.",
                "The point at which you add a shift, and who decides.",
                "What observers may see at each station, and where they stand.",
            ),
        ),
    ),
    footer=documents.DEMO_FOOTER,
)

CENTERS_THREADS = [
    DemoThread(
        key="c01",
        title="Our after-action review template: what should every Center's version include?",
        body=(
            "As promised at the kickoff, I put a draft of the cohort's after-action review "
            "template in the shared documents. The idea is that each of us reviews the "
            "November election with the same outline, so that when we meet in the spring "
            "we compare findings rather than formats.\n\n"
            "Before I call it final:\n\n"
            "- Is six weeks after certification realistic for your office?\n"
            "- What figures do you already collect that the outline should ask for?\n"
            "- Is there anything in it you could not share with the cohort?"
        ),
        topics=["contingency-planning", "office-administration", "staff-training-development"],
        asker="grace.okafor@demo.example",
        visibility=Visibility.COHORT,
        answers=[
            DemoAnswer(
                "Six weeks works for us if the figures are pulled by someone other than the "
                "people running the canvass. Two additions from our own reviews:\n\n"
                "1. **Wait times by hour, not by day.** Our daily averages looked fine and "
                "hid a two-hour line at 7 am at three vote centers.\n"
                "2. **Calls to the office by reason.** We tag every election-day call (where "
                "do I vote, ID, mail ballot status, complaint) and the tags told us more "
                "about our voter notices than any survey.\n\n"
                "Everything in the outline we could share, as long as incident reports are "
                "summarised without names.",
                accepted=True,
                author="maria.alvarez@demo.example",
            ),
            DemoAnswer(
                "For a small office six weeks is fine; the hard part is the written lists "
                "from poll workers. We get more back when we hand out a half-page form at "
                "the close of the polls than when we email afterwards.",
                author="lin.hayes@demo.example",
            ),
            DemoAnswer(
                "A suggestion from the research side: add a line for what you *expected* to "
                "go wrong and did not. It helps separate luck from preparation when the "
                "cohort compares notes, and it is the part most reviews leave out.",
                author="priya.raman@demo.example",
            ),
        ],
        comments=[
            (
                "accepted",
                "asker",
                "Both added to the template: wait times by hour and calls by reason. Thank "
                "you, Maria.",
            )
        ],
    ),
    DemoThread(
        key="c02",
        title="Hosting another Center during early voting: what did your peer visit include?",
        body=(
            "Part of the cohort commitment is hosting one peer visit a year. We are a town "
            "office with two staff and one polling place, and I am not sure what a visitor "
            "from a large county would get out of a day with us, or what we should ask "
            "them to look at.\n\n"
            "For those who have hosted or visited: how long was the visit, what did it "
            "cover, and what did you need to arrange with your state or your board first?"
        ),
        topics=["early-voting", "community-partnerships-observers", "office-administration"],
        asker="lin.hayes@demo.example",
        visibility=Visibility.COHORT,
        answers=[
            DemoAnswer(
                "We hosted two Centers last year. What worked:\n\n"
                "- **Half a day, not a whole one.** Opening, the first two hours of voters, "
                "then a sit-down with the staff who ran it.\n"
                "- **Let them watch something you are unsure about.** Ours was curbside "
                "voting; the visitors had a better intake process and we adopted it.\n"
                "- **Check your state's observer rules first.** Visitors from another "
                "office are not poll watchers; our state needed a letter from the director "
                "naming them as guests of the office, and they stayed out of the voting "
                "area.\n\n"
                "Small offices are the visits people remember: they see every step at once.",
                accepted=True,
                author="dana.whitfield@demo.example",
            ),
            DemoAnswer(
                "Ask the visitor to bring one of their own procedures for you to keep. Our "
                "best take-away from a visit was another county's one-page opening checklist.",
                author="tom.becker@demo.example",
            ),
        ],
    ),
    DemoThread(
        key="c03",
        title="Plain-language notices: can the cohort share one glossary of election terms?",
        body=(
            "Every one of us rewrites the same notices: the provisional ballot notice, the "
            "mail ballot cure letter, the polling place change postcard. We each maintain our "
            "own list of plain-language replacements for words like *canvass*, *provisional* "
            "and *cure*.\n\n"
            "Would the cohort keep one shared glossary, with the wording each office tested "
            "with voters? If so, who has a list to start from, and how did you test it?"
        ),
        topics=["voter-communications", "language-access", "mail-absentee-voting"],
        asker="dana.whitfield@demo.example",
        visibility=Visibility.COHORT,
        answers=[
            DemoAnswer(
                "Yes, please. Ours is about sixty terms, tested at the counter: we hand a "
                "voter the notice, ask them what they have to do next, and rewrite whatever "
                "they cannot answer. *Cure* was the worst: most voters read it as a medical "
                'word. We now write "fix a problem with your ballot envelope".\n\n'
                "I will add our list to the shared documents; keep the state-specific "
                "deadlines out of the glossary so everyone can use the wording.",
                accepted=True,
                author="grace.okafor@demo.example",
            ),
            DemoAnswer(
                "Include the Spanish wording from the start if you can; our translations "
                "were tested separately and some of the plain English did not carry over.",
                author="maria.alvarez@demo.example",
            ),
        ],
    ),
]

NETWORK_THREADS = [
    DemoThread(
        key="n01",
        title="Central count staffing for a million mail ballots: shifts and cross-training",
        body=(
            "We are planning central count for the next general: about 1.1 million mail "
            "ballots expected, most arriving in the last ten days. Last time we ran two "
            "shifts and still finished signature verification a day later than planned.\n\n"
            "For offices at this scale: how many shifts do you run, how do you staff "
            "signature verification against extraction and scanning, and how early do you "
            "hire and train temporary staff? I put the worksheet we use in the network's "
            "documents."
        ),
        topics=[
            "mail-absentee-voting",
            "staff-training-development",
            "tabulation-results-reporting",
        ],
        asker="dana.whitfield@demo.example",
        visibility=Visibility.COHORT,
        answers=[
            DemoAnswer(
                "We run three shifts in the last ten days, and the change that helped most "
                "was measuring each station's real rate in the primary and planning from "
                "those numbers instead of the vendor's.\n\n"
                "- Signature verification is the bottleneck: we plan one trained reviewer "
                "per 60 envelopes an hour and hire a third more than that, because "
                "reviewers tire.\n"
                "- Temporary staff start six weeks out; the first week is training and a "
                "mock run with last election's rejected envelopes (with names covered).\n"
                "- Every station has two people trained, and the shift leads can cover any "
                "station.\n\n"
                "Our daily reconciliation goes on the public dashboard, which cut the calls "
                "asking why results were not in yet.",
                accepted=True,
                author="maria.alvarez@demo.example",
            ),
            DemoAnswer(
                "We are smaller but the same shape. One thing to add: schedule the "
                "bipartisan teams first and build the rest of the shift around them; they "
                "are the hardest to fill.",
                author="grace.okafor@demo.example",
            ),
        ],
    ),
    DemoThread(
        key="n02",
        title="Ballot-on-demand printers at 100+ vote centers: spares, support and paper",
        body=(
            "We are moving to ballot-on-demand printing at every vote center next year: "
            "about 120 sites, several thousand ballot styles. For offices that already do "
            "this: how many spare printers do you keep and where, who fixes a jam at a site "
            "an hour from the office, and how do you track paper stock during early voting?"
        ),
        topics=["ballot-printing-inventory", "early-voting", "voting-equipment"],
        asker="maria.alvarez@demo.example",
        visibility=Visibility.COHORT,
        answers=[
            DemoAnswer(
                "We keep one spare for every eight sites, staged at four regional "
                "warehouses so a rover reaches any site within 45 minutes. Rovers carry "
                "the common parts and can swap a printer without the vendor.\n\n"
                "Paper: each site reports its count at opening and closing in the poll book, "
                "and the warehouse restocks anything under two days' use overnight. Print "
                "an emergency supply of preprinted ballots for each site's most common "
                "styles anyway; we needed it twice.",
                accepted=True,
                author="dana.whitfield@demo.example",
            ),
        ],
    ),
]

DEMO_COHORTS = [
    DemoCohort(
        name="Centers for Election Excellence 2026",
        slug="centers-for-election-excellence-2026",
        description=(
            "Six offices of different sizes learning together through 2026: a shared "
            "after-action review, peer visits during early voting, and one glossary of "
            "plain-language election terms. Demo content."
        ),
        coordinator="grace.okafor@demo.example",
        age=datetime.timedelta(days=200),
        offices=tuple(p.jurisdiction_slug for p in DEMO_PEOPLE if p.jurisdiction_slug),
        experts=("priya.raman@demo.example",),
        badge_label="Center for Election Excellence",
        threads=CENTERS_THREADS,
        document=DemoDocument(
            AFTER_ACTION_TEMPLATE,
            "after-action-review-template.docx",
            uploaded_by="grace.okafor@demo.example",
            note="Draft for the cohort's comments.",
        ),
    ),
    DemoCohort(
        name="Large Jurisdictions Network",
        slug="large-jurisdictions-network",
        description=(
            "Offices serving 250,000 people or more, or among the four most populous "
            "local offices in their state, sharing practice peer to peer. Membership "
            "follows the office directory's population figures. Demo content."
        ),
        coordinator="maria.alvarez@demo.example",
        age=datetime.timedelta(days=400),
        rule_min_population=250_000,
        rule_top_in_state=4,
        threads=NETWORK_THREADS,
        document=DemoDocument(
            STAFFING_WORKSHEET,
            "central-count-staffing-worksheet.pdf",
            uploaded_by="dana.whitfield@demo.example",
            note="The worksheet our office used for the last general election.",
        ),
    ),
]


def _file(document: DemoDocument) -> tuple[bytes, str]:
    """The document's bytes and content type, in the format its filename names."""
    if document.filename.endswith(".docx"):
        return documents.docx(document.content), DOCX
    return documents.pdf(document.content), PDF


def _create_cohort(data: DemoCohort, *, administrator: User, since: datetime.datetime) -> Cohort:
    """The cohort as its administrator and coordinator set it up, through `cohorts.services`
    (logged as theirs), then dated `since`: only the demo writes the past."""
    people = User.objects.in_bulk([data.coordinator, *data.experts], field_name="email")
    coordinator = people[data.coordinator]
    cohort = services.create_cohort(
        by=administrator,
        name=data.name,
        slug=data.slug,
        description=data.description,
        is_listed=True,
        rule_min_population=data.rule_min_population,
        rule_top_in_state=data.rule_top_in_state,
    )
    services.grant_coordinator(cohort=cohort, user=coordinator, by=administrator)
    for office in Jurisdiction.objects.filter(slug__in=data.offices):
        services.add_office(cohort=cohort, office=office, by=coordinator)
    for email in data.experts:
        services.add_expert(cohort=cohort, user=people[email], by=coordinator)
    if data.badge_label:
        services.set_badge(
            cohort=cohort, by=coordinator, show_badge=True, badge_label=data.badge_label
        )
    Cohort.objects.filter(pk=cohort.pk).update(created_at=since)
    Coordinator.objects.filter(cohort=cohort).update(granted_at=since)
    CohortExpert.objects.filter(cohort=cohort).update(added_at=since)
    CohortOffice.objects.filter(cohort=cohort).update(added_at=since)
    MembershipChange.objects.filter(cohort=cohort).update(at=since)
    return cohort


def _store(data: DemoDocument, cohort: Cohort, *, when: datetime.datetime) -> None:
    """The document and its first version, uploaded by its member through
    `cohorts.services` (into the private storage, under a random name), then dated."""
    content, content_type = _file(data)
    upload = SimpleUploadedFile(data.filename, content, content_type=content_type)
    document = services.upload_document(
        cohort=cohort,
        by=User.objects.get(email=data.uploaded_by),
        title=data.content.title,
        upload=upload,
        note=data.note,
    )
    Document.objects.filter(pk=document.pk).update(created_at=when, updated_at=when)
    DocumentVersion.objects.filter(document=document).update(uploaded_at=when)


def _members(cohort: Cohort) -> tuple[list[User], list[User]]:
    """The verified demo officials and demo experts who belong to the cohort now."""
    emails = [p.email for p in DEMO_PEOPLE]
    people = membership.members(cohort).filter(email__in=emails).select_related("jurisdiction")
    by_email = {user.email: user for user in people}
    present = [by_email[email] for email in emails if email in by_email]
    officials = [user for user in present if user.is_verified_official]
    return officials, [user for user in present if user not in officials]


@transaction.atomic
def load_cohorts() -> dict[str, int]:
    """Create the demo cohorts, their threads and documents that do not exist yet; returns
    how many of each were added."""
    for data in DEMO_COHORTS:
        for thread in data.threads:
            _check(thread)
    if not Jurisdiction.objects.filter(population__isnull=False).exists():
        raise DemoDataError("Load the office populations first (`load_population`).")
    administrator = User.objects.get(email=ADMINISTRATOR)
    topics = Topic.objects.in_bulk(field_name="slug")
    titles = set(Question.objects.values_list("title", flat=True))
    now = timezone.now()
    counts = {"cohorts": 0, "cohort threads": 0, "cohort documents": 0}
    for data in DEMO_COHORTS:
        since = now - data.age
        cohort = Cohort.objects.filter(slug=data.slug).first()
        if cohort is None:
            cohort = _create_cohort(data, administrator=administrator, since=since)
            counts["cohorts"] += 1
        officials, experts = _members(cohort)
        asked = _asking_times(data.threads, now, history=data.age)
        for index, thread in enumerate(data.threads):
            if thread.title.strip() in titles:
                continue
            with limits.lifted():
                _create_thread(
                    thread,
                    index=index,
                    officials=officials,
                    experts=experts,
                    topics=topics,
                    history=_history(thread, asked=asked[thread.key], now=now),
                    cohort=cohort,
                )
            titles.add(thread.title.strip())
            counts["cohort threads"] += 1
        if not cohort.documents.filter(title=data.document.content.title).exists():
            _store(data.document, cohort, when=since + datetime.timedelta(days=7))
            counts["cohort documents"] += 1
    return counts


def summary() -> list[str]:
    """Lines for `load_demo`'s accounts summary: each demo cohort, where it is, and which
    demo accounts belong to it (and whose office is in it, waiting on verification)."""
    lines = []
    demo = {person.email: person for person in DEMO_PEOPLE}
    for cohort in Cohort.objects.filter(slug__in=[c.slug for c in DEMO_COHORTS]):
        offices = cohort.offices.count()
        lines.append(f"  {cohort.name} ({offices} offices): {cohort.get_absolute_url()}")
        coordinators = set(cohort.coordinators.values_list("user__email", flat=True))
        belonging = set(membership.members(cohort).values_list("email", flat=True))
        member_offices = set(cohort.offices.values_list("jurisdiction__slug", flat=True))
        for email, person in demo.items():
            if email in coordinators:
                role = "coordinator"
            elif email in belonging:
                role = person.description
            elif person.jurisdiction_slug in member_offices:
                role = "office is a member; belongs once verified"
            else:
                continue
            lines.append(f"    {email:<30} {role}")
    return lines
