"""Test data made the way the product makes it: people through `accounts.services`,
questions, answers and comments through `forum.services`, so every object a test sees has
passed the same rules (and has the same byline, revisions and counters) as the real thing.

People::

    UserFactory()                       # member: confirmed email, not verified
    UserFactory(official=True)          # verified official for a year, Maricopa County, AZ
    UserFactory(official=True, jurisdiction=find_jurisdiction(state="OH"))
    UserFactory(expired=True)           # was verified, verification lapsed yesterday
    UserFactory(expert=True) / (moderator=True) / (editor=True) / (admin=True)
    UserFactory(moderator=True, two_factor=False)  # holds the role, cannot use it yet

or the same through the short helpers `make_member()`, `make_official(state="OH")`, ...

Posts, with valid defaults any field of which a test may override::

    question = ask(official, visibility=Visibility.PUBLIC)
    reply = answer(question, expert)
    remark = comment(official, question=question)

Pages, published under the page tree every test database holds (tests/content.py)::

    guide = make_guide("Sealing ballot boxes", topics=topics(1), states=["AZ"])
    toolkit = make_toolkit("Seal log templates")   # with a template document of its own
    event = make_event("Seals webinar", start=start, end=end)
"""

import datetime
import itertools
import re

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import Page

from accounts import roles
from accounts.models import Jurisdiction, JurisdictionKind, User
from accounts.services import (
    activate_totp,
    create_member,
    grant_role,
    make_administrator,
    set_verified_until,
)
from cms.models import (
    EventIndexPage,
    EventPage,
    GuidePage,
    PageState,
    ResourceIndexPage,
    ToolkitPage,
    ToolkitTemplate,
)
from forum import services
from forum.models import Answer, Comment, Question, Topic, Visibility

PASSWORD = "a-long-test-password"
# Moderators, editors and administrators use their powers only with two-factor sign-in, so
# the factory sets it up for them with this authenticator-app secret.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
DEFAULT_JURISDICTION = "az-maricopa-county"
VERIFICATION_PERIOD = datetime.timedelta(days=365)


def find_jurisdiction(slug: str | None = None, *, state: str | None = None) -> Jurisdiction:
    """An election office from the preloaded directory: by slug, or the first county (else
    the first office) of a state, or Maricopa County, AZ."""
    if state is not None:
        offices = Jurisdiction.objects.in_state(state)
        return offices.filter(kind=JurisdictionKind.COUNTY).first() or offices.first()
    return Jurisdiction.objects.get(slug=slug or DEFAULT_JURISDICTION)


def verified_until_next_year() -> datetime.date:
    return timezone.localdate() + VERIFICATION_PERIOD


def verified_until_yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


class UserFactory(factory.django.DjangoModelFactory):
    """A person created through `accounts.services.create_member`. Besides the model
    fields, `verified_until` (a date), `staff_roles` (group names from `accounts.roles`)
    and `administrator` say what staff granted afterwards; the traits set them for the
    usual roles."""

    email = factory.Sequence(lambda n: f"person{n}@test.example")
    display_name = factory.Sequence(lambda n: f"Test Person {n}")
    job_title = "Elections clerk"
    password = PASSWORD
    jurisdiction = None
    verified_until = None
    staff_roles = ()
    administrator = False
    two_factor = factory.LazyAttribute(
        lambda o: o.administrator or not roles.TWO_FACTOR_ROLES.isdisjoint(o.staff_roles)
    )

    class Meta:
        model = User

    class Params:
        official = factory.Trait(
            jurisdiction=factory.LazyFunction(find_jurisdiction),
            verified_until=factory.LazyFunction(verified_until_next_year),
        )
        expired = factory.Trait(
            jurisdiction=factory.LazyFunction(find_jurisdiction),
            verified_until=factory.LazyFunction(verified_until_yesterday),
        )
        expert = factory.Trait(staff_roles=(roles.EXPERTS,), job_title="Election law researcher")
        moderator = factory.Trait(staff_roles=(roles.MODERATORS,), job_title="Community moderator")
        editor = factory.Trait(staff_roles=(roles.EDITORS,), job_title="Guide editor")
        admin = factory.Trait(administrator=True, job_title="Site administrator")

    @classmethod
    def _create(
        cls, model_class, *, verified_until, staff_roles, administrator, two_factor, **fields
    ):
        user = create_member(email_confirmed=True, **fields)
        if two_factor:
            activate_totp(user=user, secret=TOTP_SECRET)
        if verified_until is not None:
            set_verified_until(user=user, until=verified_until)
        for role in staff_roles:
            grant_role(user=user, role=role)
        if administrator:
            make_administrator(user=user)
        return user


def make_member(**overrides) -> User:
    """Signed up, email confirmed, not verified as an official."""
    return UserFactory(**overrides)


def make_official(*, state: str | None = None, **overrides) -> User:
    """Verified for the next 365 days; in Maricopa County, AZ unless `state` or
    `jurisdiction` says otherwise."""
    if state is not None:
        overrides.setdefault("jurisdiction", find_jurisdiction(state=state))
    return UserFactory(official=True, **overrides)


def make_expired_official(*, state: str | None = None, **overrides) -> User:
    """Verified once; the verification ended yesterday, so only member rights are left."""
    if state is not None:
        overrides.setdefault("jurisdiction", find_jurisdiction(state=state))
    return UserFactory(expired=True, **overrides)


def make_expert(**overrides) -> User:
    return UserFactory(expert=True, **overrides)


def make_moderator(**overrides) -> User:
    return UserFactory(moderator=True, **overrides)


def make_editor(**overrides) -> User:
    return UserFactory(editor=True, **overrides)


def make_admin(**overrides) -> User:
    return UserFactory(admin=True, **overrides)


def topics(count: int = 2) -> list[Topic]:
    """The first `count` topics of the preloaded taxonomy."""
    return list(Topic.objects.order_by("position", "pk")[:count])


_numbers = itertools.count(1)


def ask(author, **overrides) -> Question:
    """A question through `forum.services.ask_question`: members-only (the model default),
    two topics, the asker's state, a unique 15-150 character title and a 20+ character body."""
    number = next(_numbers)
    fields = {
        "title": f"How do other offices handle this, case {number}?",
        "body": f"We are planning for the next election (case {number}) and want advice.",
        "topics": topics(2),
        "states": [],
        "visibility": Visibility.MEMBERS,
        "is_anonymous": False,
    }
    fields.update(overrides)
    return services.ask_question(author=author, **fields)


def answer(question: Question, author, **overrides) -> Answer:
    """An answer through `forum.services.post_answer`."""
    fields = {"body": f"In our office we did this in {next(_numbers)} steps; it worked well."}
    fields.update(overrides)
    return services.post_answer(question=question, author=author, **fields)


def comment(
    author,
    *,
    question: Question | None = None,
    answer: Answer | None = None,
    body: str = "Thanks, that helps.",
) -> Comment:
    """A comment through `forum.services.add_comment` on a question or an answer."""
    return services.add_comment(author=author, body=body, question=question, answer=answer)


def solved_thread(asker, expert, *, visibility=Visibility.PUBLIC, **fields):
    """A question by `asker` with `expert`'s answer, accepted; returns (question, answer)."""
    question = ask(asker, visibility=visibility, **fields)
    reply = answer(question, expert)
    services.accept_answer(question=question, answer=reply, by=asker)
    return question, reply


def publish(parent: Page, page: Page) -> Page:
    """`page` added under `parent` and published, as an editor's first revision."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def make_document(title: str, name: str, size: int = 2048) -> Document:
    document = Document(title=title, file=ContentFile(b"x" * size, name=name))
    document._set_document_file_metadata()
    document.save()
    return document


def make_guide(title: str, *, topics=(), states=(), body=(), **fields) -> GuidePage:
    """A published guide in the library; for every state unless `states` says which."""
    fields.setdefault("slug", _slug(title))
    guide = GuidePage(title=title, summary=fields.pop("summary", f"Summary of {title}."), **fields)
    guide.body = list(body)
    guide.topics.set(list(topics))
    guide.applies_to = [PageState(state=state) for state in states]
    return publish(ResourceIndexPage.objects.get(), guide)


def make_toolkit(
    title: str, *, document: Document | None = None, topics=(), states=()
) -> ToolkitPage:
    """A published toolkit in the library offering `document` (a new one when not given)."""
    if document is None:
        document = make_document(f"{title} template", f"{_slug(title)}.docx")
    toolkit = ToolkitPage(
        title=title,
        slug=_slug(title),
        summary=f"Summary of {title}.",
        intro="<p>Adapt the templates to your office.</p>",
    )
    toolkit.topics.set(list(topics))
    toolkit.templates = [ToolkitTemplate(document=document, note="Put your county's name in.")]
    toolkit.applies_to = [PageState(state=state) for state in states]
    return publish(ResourceIndexPage.objects.get(), toolkit)


def make_event(title: str, *, start, end, topics=(), **fields) -> EventPage:
    """A published webinar (unless `kind` says otherwise) with an online link."""
    fields.setdefault("slug", _slug(title))
    fields.setdefault("kind", "webinar")
    fields.setdefault("summary", f"Summary of {title}.")
    fields.setdefault("online_url", "https://meet.example.org/canvass")
    event = EventPage(title=title, start=start, end=end, **fields)
    event.topics.set(list(topics))
    return publish(EventIndexPage.objects.get(), event)


def make_cohort(
    name: str | None = None, *, offices=(), coordinators=(), experts=(), badge="", **fields
):
    """A cohort made by the site (``by=None``) through `cohorts.services`, as an administrator
    would: listed unless told, with these offices, coordinators and added experts; ``badge``
    shows that badge on its members' posts."""
    from django.utils.text import slugify

    from cohorts import services

    number = make_cohort.count = getattr(make_cohort, "count", 0) + 1
    fields.setdefault("name", name or f"Test cohort {number}")
    fields.setdefault("slug", slugify(fields["name"]))
    cohort = services.create_cohort(by=None, **fields)
    for office in offices:
        services.add_office(cohort=cohort, office=office, by=None)
    for person in coordinators:
        services.grant_coordinator(cohort=cohort, user=person, by=None)
    for person in experts:
        services.add_expert(cohort=cohort, user=person, by=None)
    if badge:
        services.set_badge(cohort=cohort, by=None, show_badge=True, badge_label=badge)
    return cohort


def remove_office(cohort, office) -> None:
    """The office leaves the cohort (a coordinator's act): its officials stop belonging."""
    from cohorts import services

    services.remove_office(cohort=cohort, office=office, by=None)
