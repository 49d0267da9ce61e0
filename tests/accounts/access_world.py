"""The world the access matrix (`test_access_matrix.py`) tries every door on: one person
per role, a public, a members-only and a hidden thread, a pending verification request, a
deleted account, a private and an unpublished page, a document, and a page of each type the
library and the events hold.

Everyone signed in (and the answerer) watches the threads' topic, so each has inbox items
about the threads asked while they could read them: the hidden thread was public when asked,
a fourth thread was public and is members-only now, and the expired official was still
verified when the members-only thread was asked. Their inboxes must no longer show those.

Each protected item carries a marker, text found nowhere else, so finding it in a response
proves where it came from; and its title a word of its own, for searching."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import PageViewRestriction

from accounts import verification
from accounts.models import OfficialRole
from accounts.services import create_member, delete_account, set_verified_until
from cms.models import HomePage, StandardPage
from forum import services as forum_services
from forum.models import FlagReason, Visibility
from forum.signals import ASKED
from notifications import fanout
from notifications import services as notification_services
from notifications.models import Level, Notification
from tests import factories
from tests.factories import make_cohort, remove_office

# Text that exists only in one place, so finding it in a response proves where it came from.
MEMBERS_TITLE = "MEMBERS-ONLY-MARKER-7f3a"
MEMBERS_BODY = "MEMBERS-BODY-MARKER-91c2"
MEMBERS_ANSWER = "MEMBERS-ANSWER-MARKER-2c9e"
# A thread that was public when people were told of it, and is members-only now.
MADE_MEMBERS_TITLE = "MADE-MEMBERS-ONLY-MARKER-e5a0"
HIDDEN_TITLE = "HIDDEN-QUESTION-MARKER-d41b"
HIDDEN_BODY = "HIDDEN-BODY-MARKER-5e07"
HIDDEN_ANSWER = "HIDDEN-ANSWER-MARKER-b8f6"
# An answer held for review (a personal-information report): its author (not one of the
# roles) and moderators alone may see it.
HELD_ANSWER = "HELD-ANSWER-MARKER-3c7d"
PRIVATE_PAGE = "PRIVATE-PAGE-MARKER-0a9d"
DRAFT_PAGE = "DRAFT-PAGE-MARKER-63e1"

# A cohort-only thread (`build_cohort_world`): among the roles only moderators read it, as
# hidden text, so its markers are with the hidden ones.
COHORT_TITLE = "COHORT-ONLY-MARKER-a61f"
COHORT_BODY = "COHORT-BODY-MARKER-0b3d"
COHORT_ANSWER = "COHORT-ANSWER-MARKER-c77e"

# Words of their own in the titles, for searching.
MEMBERS_WORD = "zorblat"
HIDDEN_WORD = "quibbleton"
PRIVATE_WORD = "plimsoll"
COHORT_WORD = "thimbleroot"

MEMBERS_MARKERS = (MEMBERS_TITLE, MEMBERS_BODY, MEMBERS_ANSWER, MADE_MEMBERS_TITLE)
COHORT_MARKERS = (COHORT_TITLE, COHORT_BODY, COHORT_ANSWER)
HIDDEN_MARKERS = (HIDDEN_TITLE, HIDDEN_BODY, HIDDEN_ANSWER, HELD_ANSWER, *COHORT_MARKERS)


@dataclass
class World:
    people: dict  # role -> User (None for the visitor)
    asker: object
    answerer: object
    applicant: object
    deleted: object
    topic_slug: str
    public_q: object
    public_answer: object
    hidden_answer: object
    members_q: object
    members_answer: object
    expired_answer: object
    hidden_q: object
    made_members_q: object
    answerers_item: object  # a notification of someone none of the roles is
    pending_request: object
    private_page: object
    draft_path: str
    document: object

    sessions: dict = field(default_factory=dict)  # role -> session key, made once
    space: object = None  # cohorts (space): `CohortSpace`, made by `build_cohort_space`
    cohort: "CohortWorld | None" = None  # `build_cohort_world`

    def client(self, role: str) -> Client:
        """A client signed in as `role` (no one for the visitor). The session is made once
        for the module, so a test costs its request and little else."""
        client = Client()
        if self.people[role] is None:
            return client
        if role not in self.sessions:
            client.force_login(self.people[role])
            self.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        else:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client


def _people() -> dict:
    return {
        "visitor": None,
        # allauth (ACCOUNT_EMAIL_VERIFICATION="mandatory") never signs them in; the matrix
        # signs them in anyway, to show what the doors themselves allow.
        "unconfirmed": create_member(
            email="unconfirmed@matrix.example",
            password=factories.PASSWORD,
            display_name="Unconfirmed Person",
            email_confirmed=False,
        ),
        "member": factories.make_member(display_name="Matrix Member"),
        "verified": factories.make_official(display_name="Matrix Official"),
        "expired": factories.make_official(display_name="Matrix Expired"),  # lapses below
        "expert": factories.make_expert(display_name="Matrix Expert"),
        "moderator": factories.make_moderator(display_name="Matrix Moderator"),
        "editor": factories.make_editor(display_name="Matrix Editor"),
        "admin": factories.make_admin(display_name="Matrix Admin"),
        "moderator_no_2fa": factories.make_moderator(
            two_factor=False, display_name="Matrix Moderator Without 2FA"
        ),
    }


def _tell_followers_of(question) -> None:
    """What the background task does once an ask commits. The world is built in a
    transaction that is rolled back, so its after-commit work never runs by itself."""
    fanout.deliver(
        activity=ASKED, question_id=question.pk, actor_id=question.author_id, post_id=None
    )


def build_world() -> World:
    people = _people()
    moderator = people["moderator"]
    asker = factories.make_official(state="AZ", display_name="Matrix Asker")
    answerer = factories.make_official(state="OH", display_name="Matrix Answerer")
    topic = factories.topics(1)[0]  # every thread below is in it
    for person in [*people.values(), answerer]:
        if person is not None:
            notification_services.follow_topic(user=person, topic=topic, level=Level.WATCHING)

    public_q = factories.ask(
        asker,
        title="How do other counties staff their poll book tests?",
        visibility=Visibility.PUBLIC,
    )
    _tell_followers_of(public_q)
    public_answer = factories.answer(public_q, answerer)
    hidden_answer = factories.answer(
        public_q, answerer, body=f"This answer was hidden by moderators: {HIDDEN_ANSWER}."
    )
    forum_services.hide_post(post=hidden_answer, by=moderator)
    held_answer = factories.answer(
        public_q, answerer, body=f"Her home is on Elm Street, {HELD_ANSWER}."
    )
    forum_services.flag_post(post=held_answer, by=asker, reason=FlagReason.PERSONAL)

    members_q = factories.ask(
        asker,
        title=f"{MEMBERS_WORD.title()} warehouse access after threats {MEMBERS_TITLE}",
        body=f"Our badge readers and camera positions are these: {MEMBERS_BODY}.",
        visibility=Visibility.MEMBERS,
    )
    _tell_followers_of(members_q)
    members_answer = factories.answer(
        members_q, answerer, body=f"We moved the cameras like this: {MEMBERS_ANSWER}."
    )
    # The expired official answered while verified (with no marker of their own), then
    # the verification lapsed: they keep their posts and return to member rights.
    expired_answer = factories.answer(
        members_q, people["expired"], body="We did much the same last year."
    )
    set_verified_until(user=people["expired"], until=factories.verified_until_yesterday())

    hidden_q = factories.ask(
        asker,
        title=f"A {HIDDEN_WORD} question moderators hid {HIDDEN_TITLE}",
        body=f"Something that should not be shown: {HIDDEN_BODY}.",
        visibility=Visibility.PUBLIC,
    )
    _tell_followers_of(hidden_q)
    forum_services.hide_post(post=hidden_q, by=moderator)

    made_members_q = factories.ask(
        asker,
        title=f"Poll worker safety plans, shared while public {MADE_MEMBERS_TITLE}",
        visibility=Visibility.PUBLIC,
    )
    _tell_followers_of(made_members_q)
    made_members_q = forum_services.change_audience(
        question=made_members_q,
        visibility=Visibility.MEMBERS,
        by=moderator,
        reason="It names the office's staffing plan.",
    )

    applicant = factories.make_member(display_name="Matrix Applicant")
    pending_request = verification.request_verification(
        user=applicant,
        jurisdiction=factories.find_jurisdiction(),
        role=OfficialRole.STAFF,
        how_to_confirm="Call the main office line and ask for the elections desk.",
    )
    deleted = factories.make_member(display_name="Matrix Deleted")
    delete_account(user=deleted)

    home = HomePage.objects.get()
    private_page = home.add_child(
        instance=StandardPage(
            title=f"{PRIVATE_WORD.title()} staff notes {PRIVATE_PAGE}",
            slug="access-matrix-private",
            intro=f"Private page {PRIVATE_PAGE}",
            show_in_menus=True,
        )
    )
    PageViewRestriction.objects.create(
        page=private_page, restriction_type=PageViewRestriction.LOGIN
    )
    draft = home.add_child(
        instance=StandardPage(
            title=f"Unpublished {DRAFT_PAGE}",
            slug="access-matrix-draft",
            intro=f"Draft page {DRAFT_PAGE}",
            live=False,
            show_in_menus=True,
        )
    )
    document = Document.objects.create(
        title="Poll book checklist", file=ContentFile(b"checklist", name="matrix-checklist.txt")
    )
    # A page of each type the library and the events hold, for the walk over live pages.
    factories.make_guide("Poll book testing guide", topics=factories.topics(1))
    factories.make_toolkit("Poll book checklists", document=document)
    start = timezone.now() + datetime.timedelta(days=10)
    factories.make_event("Poll book webinar", start=start, end=start + datetime.timedelta(hours=1))
    cohort_world = build_cohort_world(topic=topic)
    return World(
        people=people,
        asker=asker,
        answerer=answerer,
        applicant=applicant,
        deleted=deleted,
        topic_slug=factories.topics(1)[0].slug,
        public_q=public_q,
        public_answer=public_answer,
        hidden_answer=hidden_answer,
        members_q=members_q,
        members_answer=members_answer,
        expired_answer=expired_answer,
        hidden_q=hidden_q,
        made_members_q=made_members_q,
        answerers_item=Notification.objects.get(recipient=answerer, question=public_q),
        pending_request=pending_request,
        private_page=private_page,
        draft_path=home.url + draft.slug + "/",
        document=document,
        space=build_cohort_space(people, answerer),
        cohort=cohort_world,
    )


# --- The cohort audience (issue 16) ----------------------------------------------------------


@dataclass
class CohortWorld:
    """A cohort of one office with a cohort-only thread, and the people it is about, beside
    the roles (among whom only moderators read the thread): its member (an official of the
    cohort's office), an expert added to it, an official whose office left the cohort after
    being told of the thread, an official of another office, and a visitor."""

    cohort: object
    question: object
    answer: object
    people: dict  # who -> User (None for the visitor)
    readers: frozenset  # who of `people` may read the thread


def build_cohort_world(*, topic) -> CohortWorld:
    """The thread is in the topic everyone watches, so each was told of it if they could
    read it when it was asked (the former member too): inbox items that must no longer
    open for those who may not read it now."""
    office = factories.find_jurisdiction(state="WI")
    former_office = factories.find_jurisdiction(state="PA")
    people = {
        "visitor": None,
        "cohort_member": factories.make_official(
            jurisdiction=office, display_name="Matrix Cohort Member"
        ),
        "cohort_expert": factories.make_expert(display_name="Matrix Cohort Expert"),
        "cohort_former": factories.make_official(
            jurisdiction=former_office, display_name="Matrix Former Cohort Member"
        ),
        "non_member": factories.make_official(state="TX", display_name="Matrix Outsider"),
    }
    cohort = make_cohort(
        "Matrix Centers", offices=[office, former_office], experts=[people["cohort_expert"]]
    )
    for person in people.values():
        if person is not None:
            notification_services.follow_topic(user=person, topic=topic, level=Level.WATCHING)
    question = factories.ask(
        people["cohort_member"],
        title=f"{COHORT_WORD.title()} ballot courier routes {COHORT_TITLE}",
        body=f"Our courier schedule and drop points are these: {COHORT_BODY}.",
        visibility=Visibility.COHORT,
        cohort=cohort,
    )
    _tell_followers_of(question)
    answer = factories.answer(
        question, people["cohort_expert"], body=f"Vary the routes weekly: {COHORT_ANSWER}."
    )
    remove_office(cohort, former_office)
    return CohortWorld(
        cohort=cohort,
        question=question,
        answer=answer,
        people=people,
        readers=frozenset({"cohort_member", "cohort_expert"}),
    )


# ---- cohorts (space): the cohorts' own pages ----------------------------------------------
# The "verified" official's office (Maricopa County) is in both cohorts and they coordinate
# the listed one; the expert is added to the listed one; the expired official's office is in
# both, but their verification has lapsed. The answerer's office (Ohio) asks to join.


@dataclass
class CohortSpace:
    listed: object
    unlisted: object
    document: object
    version: object
    join_request: object


def build_cohort_space(people: dict, answerer) -> CohortSpace:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cohorts import services as cohort_services

    office = people["verified"].jurisdiction
    listed = cohort_services.create_cohort(
        by=None, name="Matrix listed cohort", slug="matrix-listed", description="Listed."
    )
    unlisted = cohort_services.create_cohort(
        by=None, name="Matrix unlisted cohort", slug="matrix-unlisted", is_listed=False
    )
    for cohort in (listed, unlisted):
        cohort_services.add_office(cohort=cohort, office=office, by=None)
    cohort_services.grant_coordinator(cohort=listed, user=people["verified"], by=None)
    cohort_services.add_expert(cohort=listed, user=people["expert"], by=None)
    document = cohort_services.upload_document(
        cohort=listed,
        by=people["verified"],
        title="Matrix staffing plan",
        upload=SimpleUploadedFile("staffing.txt", b"Staffing plan."),
    )
    join_request = cohort_services.request_join(cohort=listed, by=answerer, note="Please.")
    return CohortSpace(listed, unlisted, document, document.versions.get(), join_request)
