"""Every URL the project serves, for every role: the status each role gets, and that no
members-only or hidden text reaches anyone who may not read it, by any door (pages, forms,
the admin, search, JSON, exports, cached fragments, email bodies).

The table (`DOORS`) is keyed by URL name. `test_every_url_pattern_has_an_entry` walks the
resolver, so a new URL pattern without an entry fails until someone decides who may use
it. An entry whose name is not served (yet) is simply unused.

Expectations come from PRODUCT.md's roles and from `accounts/permissions.py` and
`forum/permissions.py`. A cell that contradicts them is marked `xfail(strict=True)` with
the reason: fixing the defect makes the test fail until the mark is removed.

The people, threads and pages are made once for the module (`world`) inside a transaction
that is rolled back afterwards; each test runs in its own savepoint on top of it."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from wagtail.documents.models import Document
from wagtail.models import Page, PageViewRestriction

from accounts import verification
from accounts.models import OfficialRole
from accounts.services import create_member, delete_account, set_verified_until
from cms.models import GuidePage, HomePage, StandardPage
from forum import services as forum_services
from forum.models import Visibility
from tests import factories
from tests.accounts.access import (
    ADMIN_HOME,
    ADMIN_LOGIN,
    BAD_REQUEST,
    FORBIDDEN,
    GROUPS,
    HOME,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REAUTHENTICATE,
    ROLES,
    TWO_FACTOR_SETUP,
    Redirect,
    RedirectUnder,
    cells,
    response_text,
    url_patterns,
)
from tests.content import rolled_back
from tests.search.index import fresh_index

pytestmark = pytest.mark.django_db

# Text that exists only in one place, so finding it in a response proves where it came from.
MEMBERS_TITLE = "MEMBERS-ONLY-MARKER-7f3a"
MEMBERS_BODY = "MEMBERS-BODY-MARKER-91c2"
MEMBERS_ANSWER = "MEMBERS-ANSWER-MARKER-2c9e"
HIDDEN_TITLE = "HIDDEN-QUESTION-MARKER-d41b"
HIDDEN_BODY = "HIDDEN-BODY-MARKER-5e07"
HIDDEN_ANSWER = "HIDDEN-ANSWER-MARKER-b8f6"
PRIVATE_PAGE = "PRIVATE-PAGE-MARKER-0a9d"
DRAFT_PAGE = "DRAFT-PAGE-MARKER-63e1"

# Words of their own in the titles, for searching.
MEMBERS_WORD = "zorblat"
HIDDEN_WORD = "quibbleton"
PRIVATE_WORD = "plimsoll"

MEMBERS_MARKERS = (MEMBERS_TITLE, MEMBERS_BODY, MEMBERS_ANSWER)
HIDDEN_MARKERS = (HIDDEN_TITLE, HIDDEN_BODY, HIDDEN_ANSWER)


# --- The world: one person per role, and the content the doors are tried on -------------


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
    pending_request: object
    private_page: object
    draft_path: str
    document: object

    sessions: dict = field(default_factory=dict)  # role -> session key, made once

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


def _build_world() -> World:
    people = _people()
    moderator = people["moderator"]
    asker = factories.make_official(state="AZ", display_name="Matrix Asker")
    answerer = factories.make_official(state="OH", display_name="Matrix Answerer")

    public_q = factories.ask(
        asker,
        title="How do other counties staff their poll book tests?",
        visibility=Visibility.PUBLIC,
    )
    public_answer = factories.answer(public_q, answerer)
    hidden_answer = factories.answer(
        public_q, answerer, body=f"This answer was hidden by moderators: {HIDDEN_ANSWER}."
    )
    forum_services.hide_post(post=hidden_answer, by=moderator)

    members_q = factories.ask(
        asker,
        title=f"{MEMBERS_WORD.title()} warehouse access after threats {MEMBERS_TITLE}",
        body=f"Our badge readers and camera positions are these: {MEMBERS_BODY}.",
        visibility=Visibility.MEMBERS,
    )
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
    forum_services.hide_post(post=hidden_q, by=moderator)

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
        pending_request=pending_request,
        private_page=private_page,
        draft_path=home.url + draft.slug + "/",
        document=document,
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Made once for the module and rolled back after it; each test's own transaction is a
    savepoint inside this one."""
    with rolled_back(django_db_blocker):
        built = _build_world()
        with fresh_index():  # the world's threads searchable, the members-only one too
            for role in ROLES:
                built.client(role)
            yield built


# --- The table --------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One concrete request to a door, and what each role gets from it."""

    label: str
    expect: dict
    args: Callable = lambda w: []
    query: str = ""
    method: str = "GET"
    data: Callable | None = None
    path: Callable | None = None  # a literal path instead of reverse(name, args)
    xfail: dict = field(default_factory=dict)  # role -> why this cell is a known defect

    def url(self, name: str, world: World) -> str:
        if self.path is not None:
            return self.path(world)
        return reverse(name, args=self.args(world)) + self.query


def get_only(args=lambda w: []) -> Target:
    """A POST-only view behind @login_required: visitors go to sign in, others get 405."""
    return Target("GET", cells(NOT_ALLOWED, visitor=LOGIN), args=args)


def public_q(w):
    return [w.public_q.pk]


def members_q(w):
    return [w.members_q.pk]


def hidden_q(w):
    return [w.hidden_q.pk]


MISSING = 999_999
# A forum action that worked redirects to the question, the new question or the answer.
INTO_THE_FORUM = RedirectUnder("/questions/")

# The issue: "no members-only title ... appears in any response a visitor or member
# receives". accounts/export.py `_post` writes the parent question's title next to each of
# the member's own answers and comments, so an expired official's export names a
# members-only thread (someone else's title) they may no longer read.

# Every /admin/ page for a staff member without two-factor is the set-up page; for a
# person without Wagtail's "access admin" permission it is the admin's sign-in page.
ADMINS_ONLY = cells(
    ADMIN_LOGIN, admin_users=ADMIN_HOME, admin=OK, moderator_no_2fa=TWO_FACTOR_SETUP
)
MODERATORS_ONLY = cells(
    ADMIN_LOGIN, admin_users=ADMIN_HOME, moderators=OK, moderator_no_2fa=TWO_FACTOR_SETUP
)
ADMIN_STAFF = cells(ADMIN_LOGIN, admin_users=OK, moderator_no_2fa=TWO_FACTOR_SETUP)
SIGNED_IN_PAGE = cells(OK, visitor=LOGIN)
PUBLIC_PAGE = cells(OK)

DOORS: dict[str, list[Target]] = {
    # ---- forum (forum/urls.py) ----
    "forum:questions": [
        Target("list", PUBLIC_PAGE),
        Target("unanswered, by topic", PUBLIC_PAGE, query="?sort=unanswered&solved=no"),
    ],
    "forum:ask": [
        Target("form", cells(FORBIDDEN, visitor=LOGIN, askers=OK)),
        Target(
            "POST a question",
            cells(FORBIDDEN, visitor=LOGIN, askers=INTO_THE_FORUM),
            method="POST",
            data=lambda w: {
                "title": "How long do you keep provisional ballot envelopes?",
                "body": "Our retention schedule is unclear on envelopes; what do you do?",
                "topics": [t.pk for t in factories.topics(1)],
                "visibility": Visibility.PUBLIC,
            },
        ),
    ],
    "forum:preview": [
        get_only(),
        Target(
            "POST",
            cells(FORBIDDEN, visitor=LOGIN, participants=OK),
            method="POST",
            data=lambda w: {"body": "**Preview** me"},
        ),
    ],
    "forum:topic": [
        Target("topic", PUBLIC_PAGE, args=lambda w: [w.topic_slug]),
        Target("missing topic", cells(NOT_FOUND), args=lambda w: ["no-such-topic"]),
    ],
    "forum:question": [
        Target("public", PUBLIC_PAGE, args=public_q),
        Target("members-only", cells(NOT_FOUND, readers=OK), args=members_q),
        Target("hidden", cells(NOT_FOUND, moderators=OK), args=hidden_q),
        Target("missing", cells(NOT_FOUND), args=lambda w: [MISSING]),
    ],
    "forum:answer": [
        get_only(public_q),
        Target(
            "POST on public",
            cells(FORBIDDEN, visitor=LOGIN, participants=INTO_THE_FORUM),
            args=public_q,
            method="POST",
            data=lambda w: {"body": "We publish the schedule a month ahead; it works."},
        ),
        Target(
            "POST on members-only",
            cells(NOT_FOUND, visitor=LOGIN, participants=INTO_THE_FORUM),
            args=members_q,
            method="POST",
            data=lambda w: {"body": "We publish the schedule a month ahead; it works."},
        ),
        Target(
            "POST on hidden",
            cells(NOT_FOUND, visitor=LOGIN, moderators=INTO_THE_FORUM),
            args=hidden_q,
            method="POST",
            data=lambda w: {"body": "We publish the schedule a month ahead; it works."},
        ),
    ],
    "forum:edit_question": [
        # The asker is not one of the roles: everyone but moderators edits someone else's.
        Target("public", cells(FORBIDDEN, visitor=LOGIN, moderators=OK), args=public_q),
        Target(
            "members-only",
            cells(NOT_FOUND, visitor=LOGIN, readers=FORBIDDEN, moderators=OK),
            args=members_q,
        ),
        Target("hidden", cells(NOT_FOUND, visitor=LOGIN, moderators=OK), args=hidden_q),
    ],
    "forum:comment": [
        get_only(public_q),
        Target(
            "POST on public",
            cells(FORBIDDEN, visitor=LOGIN, participants=INTO_THE_FORUM),
            args=public_q,
            method="POST",
            data=lambda w: {"body": "Thanks, this is useful."},
        ),
        Target(
            "POST on members-only",
            cells(NOT_FOUND, visitor=LOGIN, participants=INTO_THE_FORUM),
            args=members_q,
            method="POST",
            data=lambda w: {"body": "Thanks, this is useful."},
        ),
    ],
    "forum:vote": [
        get_only(public_q),
        Target(
            "POST up on an answer",
            cells(FORBIDDEN, visitor=LOGIN, participants=INTO_THE_FORUM),
            args=public_q,
            method="POST",
            data=lambda w: {"vote": "up", "answer": w.public_answer.pk},
        ),
        Target(
            "POST up on a hidden answer",
            # Moderators may read it but nobody votes on a hidden post.
            cells(NOT_FOUND, visitor=LOGIN, moderators=FORBIDDEN),
            args=public_q,
            method="POST",
            data=lambda w: {"vote": "up", "answer": w.hidden_answer.pk},
        ),
    ],
    "forum:accept": [
        get_only(public_q),
        Target(
            "POST on someone else's question",
            cells(FORBIDDEN, visitor=LOGIN, moderators=INTO_THE_FORUM),
            args=public_q,
            method="POST",
            data=lambda w: {"answer": w.public_answer.pk},
        ),
    ],
    "forum:moderate": [
        Target("public", cells(FORBIDDEN, visitor=LOGIN, moderators=OK), args=public_q),
        Target(
            "members-only",
            cells(NOT_FOUND, visitor=LOGIN, readers=FORBIDDEN, moderators=OK),
            args=members_q,
        ),
        Target(
            "hidden",
            cells(NOT_FOUND, visitor=LOGIN, moderators=OK),
            args=hidden_q,
        ),
        Target("missing", cells(NOT_FOUND, visitor=LOGIN), args=lambda w: [MISSING]),
        Target(
            "POST lock",
            cells(FORBIDDEN, visitor=LOGIN, moderators=INTO_THE_FORUM),
            args=public_q,
            method="POST",
            data=lambda w: {"action": "lock"},
        ),
    ],
    "forum:question_revisions": [
        Target("public", PUBLIC_PAGE, args=public_q),
        Target("members-only", cells(NOT_FOUND, readers=OK), args=members_q),
        Target("hidden", cells(NOT_FOUND, moderators=OK), args=hidden_q),
    ],
    "forum:edit_answer": [
        Target(
            "public answer",
            cells(FORBIDDEN, visitor=LOGIN, moderators=OK),
            args=lambda w: [w.public_answer.pk],
        ),
        Target(
            "members-only answer",
            cells(NOT_FOUND, visitor=LOGIN, readers=FORBIDDEN, moderators=OK),
            args=lambda w: [w.members_answer.pk],
        ),
        Target(
            "hidden answer",
            cells(NOT_FOUND, visitor=LOGIN, moderators=OK),
            args=lambda w: [w.hidden_answer.pk],
        ),
    ],
    "forum:answer_revisions": [
        Target("public answer", PUBLIC_PAGE, args=lambda w: [w.public_answer.pk]),
        Target(
            "members-only answer",
            cells(NOT_FOUND, readers=OK),
            args=lambda w: [w.members_answer.pk],
        ),
        Target(
            "hidden answer", cells(NOT_FOUND, moderators=OK), args=lambda w: [w.hidden_answer.pk]
        ),
    ],
    # ---- search (search/urls.py) ----
    "search:search": [
        # The page repeats the query, so each protected item is searched for by a word
        # of its own (not by its marker): a marker in the page is a result, not the echo.
        Target("a guide word", PUBLIC_PAGE, query="?q=ballot"),
        Target("the members-only question's word", PUBLIC_PAGE, query=f"?q={MEMBERS_WORD}"),
        Target("the hidden question's word", PUBLIC_PAGE, query=f"?q={HIDDEN_WORD}"),
        Target("the private page's word", PUBLIC_PAGE, query=f"?q={PRIVATE_WORD}"),
        Target("filtered to questions", PUBLIC_PAGE, query=f"?q={MEMBERS_WORD}&kind=question"),
    ],
    "search:similar": [
        Target("like the members-only title", PUBLIC_PAGE, query=f"?title={MEMBERS_WORD}"),
        Target("like the hidden title", PUBLIC_PAGE, query=f"?title={HIDDEN_WORD}+question"),
        Target("without a title", cells(BAD_REQUEST)),
    ],
    "search:health": [Target("report", PUBLIC_PAGE)],
    # Email and cache health (core.views): counts only, for monitoring.
    "health": [Target("report", PUBLIC_PAGE)],
    # The election vocabulary, a snippet: editors and moderators keep it.
    "wagtailsnippets_canvass_search_searchterm:list": [Target("list", ADMIN_STAFF)],
    "wagtailsnippets_canvass_search_searchterm:add": [Target("form", ADMIN_STAFF)],
    # ---- our account pages (accounts/urls.py) ----
    "accounts:verification": [Target("page", SIGNED_IN_PAGE)],
    "accounts:offices": [
        # JSON for the type-ahead: a visitor gets a 403 in JSON, not the sign-in page.
        Target("search", cells(OK, visitor=FORBIDDEN), query="?state=AZ&q=mari"),
        Target("too short", cells(BAD_REQUEST, visitor=FORBIDDEN), query="?q=m"),
    ],
    "accounts:profile": [Target("own profile", SIGNED_IN_PAGE)],
    # ---- a member's page (forum/urls.py people_urlpatterns, at /people/) ----
    "people:person": [
        # The asker's page lists their questions: a door for members-only and hidden titles.
        # An unconfirmed address reaches it only through the sign-in bypass below.
        Target("the asker", SIGNED_IN_PAGE, args=lambda w: [w.asker.pk]),
        Target("a deleted account", cells(NOT_FOUND, visitor=LOGIN), args=lambda w: [w.deleted.pk]),
        Target("missing", cells(NOT_FOUND, visitor=LOGIN), args=lambda w: [MISSING]),
    ],
    "person_old_address": [
        # Its former address (config/urls.py) sends everyone on, whoever it names.
        Target(
            "the asker", cells(RedirectUnder("/people/", code=301)), args=lambda w: [w.asker.pk]
        ),
    ],
    "accounts:export": [
        Target(
            "json",
            SIGNED_IN_PAGE,
            args=lambda w: ["json"],
        ),
        Target(
            "zip",
            SIGNED_IN_PAGE,
            args=lambda w: ["zip"],
        ),
        Target("unknown format", cells(NOT_FOUND, visitor=LOGIN), args=lambda w: ["xml"]),
    ],
    "accounts:delete": [
        Target("confirm page", SIGNED_IN_PAGE),
        Target(
            "POST with a wrong password",
            cells(BAD_REQUEST, visitor=LOGIN),
            method="POST",
            data=lambda w: {"password": "not the password"},
        ),
    ],
    # ---- allauth: account, two-factor, sessions ----
    "account_login": [Target("page", cells(HOME, visitor=OK))],
    "account_logout": [Target("page", cells(OK, visitor=HOME))],
    "account_inactive": [Target("page", PUBLIC_PAGE)],
    "account_signup": [Target("page", cells(HOME, visitor=OK))],
    "account_reauthenticate": [Target("page", SIGNED_IN_PAGE)],
    "account_email": [Target("page", SIGNED_IN_PAGE)],
    "account_email_verification_sent": [Target("page", PUBLIC_PAGE)],
    "account_change_password": [Target("page", SIGNED_IN_PAGE)],
    "account_set_password": [
        # Everyone here has a password, so allauth offers the change form instead.
        Target("page", cells(Redirect("account_change_password"), visitor=LOGIN))
    ],
    "account_reset_password": [Target("page", PUBLIC_PAGE)],
    "account_reset_password_done": [Target("page", PUBLIC_PAGE)],
    "account_reset_password_from_key": [
        Target("bad key", PUBLIC_PAGE, args=lambda w: ["1", "bad-key"])  # says the link is bad
    ],
    "account_reset_password_from_key_done": [Target("page", PUBLIC_PAGE)],
    "account_confirm_email": [Target("bad key", PUBLIC_PAGE, args=lambda w: ["bad-key"])],
    "account_confirm_login_code": [
        # Login by code is off: nobody has a code pending.
        Target("page", cells(HOME, visitor=LOGIN))
    ],
    "mfa_index": [Target("page", SIGNED_IN_PAGE)],
    "mfa_authenticate": [
        # Only in the middle of signing in (after the password, before the code).
        Target("page", cells(HOME, visitor=LOGIN))
    ],
    "mfa_reauthenticate": [
        # Without an authenticator there is no code to ask for: the password instead.
        Target("page", cells(REAUTHENTICATE, visitor=LOGIN, with_totp=OK))
    ],
    "mfa_activate_totp": [
        # allauth asks for the password again first; an unconfirmed address cannot set up
        # two-factor at all.
        Target("page", cells(REAUTHENTICATE, visitor=LOGIN, unconfirmed=Redirect("mfa_index")))
    ],
    "mfa_deactivate_totp": [
        Target("page", cells(NOT_FOUND, visitor=LOGIN, with_totp=REAUTHENTICATE))
    ],
    "mfa_view_recovery_codes": [
        Target("page", cells(NOT_FOUND, visitor=LOGIN, with_totp=REAUTHENTICATE))
    ],
    "mfa_generate_recovery_codes": [Target("page", cells(REAUTHENTICATE, visitor=LOGIN))],
    "mfa_download_recovery_codes": [
        Target("page", cells(NOT_FOUND, visitor=LOGIN, with_totp=REAUTHENTICATE))
    ],
    "usersessions_list": [Target("page", SIGNED_IN_PAGE)],
    # ---- the Wagtail admin: its home, our views (accounts/wagtail_hooks.py), and the
    # Wagtail doors that matter here: people's emails, groups, the audit log, page editing.
    "wagtailadmin_home": [Target("home", ADMIN_STAFF)],
    "verification_queue": [Target("queue", MODERATORS_ONLY)],
    "verification_review": [
        Target("pending request", MODERATORS_ONLY, args=lambda w: [w.pending_request.pk]),
        Target(
            "missing",
            cells(
                ADMIN_LOGIN,
                admin_users=ADMIN_HOME,
                moderators=NOT_FOUND,
                moderator_no_2fa=TWO_FACTOR_SETUP,
            ),
            args=lambda w: [MISSING],
        ),
        Target(
            "POST approve",
            {
                **MODERATORS_ONLY,
                "moderator": Redirect("verification_queue"),
                "admin": Redirect("verification_queue"),
            },
            args=lambda w: [w.pending_request.pk],
            method="POST",
            data=lambda w: {"decision": "approve", "reason": ""},
        ),
    ],
    "role_list": [Target("list", ADMINS_ONLY)],
    "role_edit": [
        Target("a member", ADMINS_ONLY, args=lambda w: [w.people["member"].pk]),
        Target(
            "a deleted account",
            {**ADMINS_ONLY, "admin": NOT_FOUND},
            args=lambda w: [w.deleted.pk],
        ),
        Target(
            "POST grant expert",
            {**ADMINS_ONLY, "admin": Redirect("role_list")},
            args=lambda w: [w.people["member"].pk],
            method="POST",
            data=lambda w: {"roles": ["Experts"]},
        ),
    ],
    # ---- the editors: promote to guide (cms/urls.py), and in the admin the threads to
    # promote and the editors' report (cms/wagtail_hooks.py). Editors are the Editors group
    # with two-factor, and administrators; Wagtail's PermissionDenied is the admin home.
    "cms:promote": [
        get_only(public_q),
        Target(
            "POST a thread without an accepted answer",
            cells(
                FORBIDDEN,
                visitor=LOGIN,
                editor=INTO_THE_FORUM,
                admin=INTO_THE_FORUM,
            ),
            args=public_q,
            method="POST",
        ),
        Target(
            "POST a members-only thread",
            cells(FORBIDDEN, visitor=LOGIN, editor=NOT_FOUND, admin=INTO_THE_FORUM),
            args=members_q,
            method="POST",
        ),
        Target(
            "POST a hidden thread",
            cells(FORBIDDEN, visitor=LOGIN, editor=NOT_FOUND, admin=INTO_THE_FORUM),
            args=hidden_q,
            method="POST",
        ),
        Target(
            "POST a missing thread",
            cells(FORBIDDEN, visitor=LOGIN, editor=NOT_FOUND, admin=NOT_FOUND),
            args=lambda w: [MISSING],
            method="POST",
        ),
    ],
    "cms_promote_list": [
        Target("list", {**ADMIN_STAFF, "moderator": ADMIN_HOME, "editor": OK, "admin": OK}),
        Target(
            "search",
            {**ADMIN_STAFF, "moderator": ADMIN_HOME, "editor": OK, "admin": OK},
            query=f"?q={MEMBERS_WORD}",
        ),
    ],
    "cms_promote": [
        Target(
            "POST a thread without an accepted answer",
            {
                **ADMIN_STAFF,
                "moderator": ADMIN_HOME,
                "editor": Redirect("cms_promote_list"),
                "admin": Redirect("cms_promote_list"),
            },
            args=public_q,
            method="POST",
        ),
        Target(
            "POST a members-only thread",
            {
                **ADMIN_STAFF,
                "moderator": ADMIN_HOME,
                "editor": NOT_FOUND,
                "admin": Redirect("cms_promote_list"),
            },
            args=members_q,
            method="POST",
        ),
    ],
    "cms_editors_report": [Target("report", ADMIN_STAFF)],
    "wagtailusers_users:index": [Target("every account's email", ADMINS_ONLY)],
    "wagtailusers_users:edit": [
        Target("a member", ADMINS_ONLY, args=lambda w: [w.people["member"].pk])
    ],
    "wagtailusers_groups:index": [Target("groups", ADMINS_ONLY)],
    "wagtailadmin_reports:site_history": [Target("audit log", ADMIN_STAFF)],
    "wagtailadmin_pages:edit": [
        # Wagtail's own "Moderators" group may edit pages (its publishers in the default
        # workflow); see the report.
        Target("home page", ADMIN_STAFF, args=lambda w: [HomePage.objects.get().pk])
    ],
    # Wagtail's own sign-in pages send everyone to allauth's (config/urls.py); what a POST
    # lets through is test_sign_in_doors_require_confirmation_and_2fa.
    "wagtailadmin_login": [Target("page", cells(LOGIN, moderator_no_2fa=TWO_FACTOR_SETUP))],
    "admin_sign_in": [Target("page", cells(LOGIN, moderator_no_2fa=TWO_FACTOR_SETUP))],
    # ---- Wagtail's public doors: documents, page privacy, page serving ----
    "wagtaildocs_serve": [
        Target("a document", PUBLIC_PAGE, args=lambda w: [w.document.pk, w.document.filename]),
        Target("missing", cells(NOT_FOUND), args=lambda w: [MISSING, "missing.txt"]),
    ],
    "wagtaildocs_authenticate_with_password": [
        Target("no such restriction", cells(NOT_FOUND), args=lambda w: [MISSING])
    ],
    "wagtailcore_authenticate_with_password": [
        Target("no such restriction", cells(NOT_FOUND), args=lambda w: [MISSING, MISSING])
    ],
    "wagtailcore_login": [Target("page", cells(LOGIN))],
    "private_page_sign_in": [Target("page", cells(LOGIN))],
    "wagtail_serve": [
        # Every live public page is walked by test_every_live_page; these are the others.
        Target("home", PUBLIC_PAGE, path=lambda w: "/"),
        Target(
            "private (signed-in only)",
            cells(OK, visitor=LOGIN),
            path=lambda w: w.private_page.url,
        ),
        Target("unpublished", cells(NOT_FOUND), path=lambda w: w.draft_path),
        Target("missing", cells(NOT_FOUND), path=lambda w: "/no-such-page/"),
    ],
}

# Wagtail's own admin apps, whose views check Wagtail's "access admin" and model permissions
# and are tested by Wagtail: pages, images, documents, snippets, collections, workflows,
# reports, redirects, settings, sites, users, groups, choosers, the admin API. The matrix
# keeps the admin home and the doors listed in DOORS above. The project's own admin views
# (accounts/wagtail_hooks.py; forum moderation viewsets to come) get their own names and
# namespaces, so they are never excluded by this list.
WAGTAIL_ADMIN_NAMESPACES = frozenset(
    {
        "wagtail_bulk_action",
        "wagtailforms",
        "wagtailredirects",
        "wagtailsettings",
        "wagtailembeds",
        "wagtailsnippets",
        "wagtaildocs",
        "wagtailimages",
        "wagtailsites",
        "wagtailusers_users",
        "wagtailusers_groups",
        "wagtaildocs_chooser",
        "wagtailimages_chooser",
    }
)
WAGTAIL_ADMIN_PREFIXES = ("wagtailadmin_", "wagtailsnippets_", "wagtailsnippetchoosers_")
# allauth's social accounts, headless API, WebAuthn and identity provider are not installed
# (settings: allauth.account, allauth.mfa with TOTP and recovery codes, allauth.usersessions),
# so none of their patterns exist. Enabling one adds sign-in doors: give them entries.


# Wagtail's two unnamed admin patterns: a 404 page for its own tests and the admin's
# catch-all 404.
WAGTAIL_ADMIN_UNNAMED = frozenset({"admin/test404/", "admin/^.*/$"})


def is_wagtail_admin_internal(route) -> bool:
    if route.name is None:
        return route.route in WAGTAIL_ADMIN_UNNAMED
    if not route.route.startswith("admin/") or not route.view.startswith("wagtail."):
        return False
    top = route.name.split(":")[0]
    # Each snippet viewset (search/wagtail_hooks.py's "Search terms") has namespaces of
    # its own: wagtailsnippets_<app>_<model> and wagtailsnippetchoosers_<app>_<model>.
    return top.startswith(WAGTAIL_ADMIN_PREFIXES) or top in WAGTAIL_ADMIN_NAMESPACES


SERVED = url_patterns()
SERVED_NAMES = {route.name for route in SERVED if route.name}


def _door_params():
    """One test per target, covering every role at once (a request each) except the cells
    marked as known defects, which are tests of their own with a strict xfail."""
    for name, targets in DOORS.items():
        if name not in SERVED_NAMES:
            continue  # written ahead of the view; used once the URL exists
        for target in targets:
            plain = tuple(role for role in ROLES if role not in target.xfail)
            yield pytest.param(name, target, plain, id=f"{name}|{target.label}")
            for role, reason in target.xfail.items():
                yield pytest.param(
                    name,
                    target,
                    (role,),
                    id=f"{name}|{target.label}|{role}",
                    marks=pytest.mark.xfail(strict=True, reason=reason),
                )


# --- Checks -------------------------------------------------------------------------------


def forbidden_markers(role: str, url: str) -> tuple[str, ...]:
    """What `role` must never find in a response: members-only text unless they may read
    members-only threads, hidden text unless they moderate, a private page's text for
    visitors, and a draft's text outside the admin."""
    markers = ()
    if role not in GROUPS["readers"]:
        markers += MEMBERS_MARKERS
    if role not in GROUPS["moderators"]:
        markers += HIDDEN_MARKERS
    if role == "visitor":
        markers += (PRIVATE_PAGE,)
    if not url.startswith("/admin/"):
        markers += (DRAFT_PAGE,)
    return markers


def leaks(role: str, url: str, response) -> list[str]:
    text = response_text(response)
    return [marker for marker in forbidden_markers(role, url) if marker in text]


def check_cell(world: World, name: str, target: Target, role: str) -> str | None:
    """What is wrong with `role`'s response from `target`, or None. A POST runs in a
    savepoint that is rolled back, and the cache is emptied after it (its keys hold
    versions the rollback undid), so each role finds the world as built whatever the
    previous one did (approved a request, locked a thread...)."""
    url = target.url(name, world)
    client = world.client(role)
    if target.method == "POST":
        with transaction.atomic():
            response = client.post(url, target.data(world) if target.data else {})
            transaction.set_rollback(True)
        cache.clear()
    else:
        response = client.get(url)
    if failure := target.expect[role].failure(response):
        return f"{role} {target.method} {url}: {failure}"
    if leaked := leaks(role, url, response):
        return f"{role} {target.method} {url} shows {leaked}"
    return None


# --- Tests --------------------------------------------------------------------------------


def test_every_url_pattern_has_an_entry():
    """A URL pattern nobody has decided the access rules for fails here."""
    missing = sorted(
        f"{route.name or '(unnamed)'}  {route.route}  ({route.view})"
        for route in SERVED
        if route.name not in DOORS and not is_wagtail_admin_internal(route)
    )
    assert not missing, "URL patterns without an entry in DOORS:\n" + "\n".join(missing)


def test_every_entry_names_a_served_url():
    """An entry whose URL name the project no longer serves is a stale row of the table."""
    unused = sorted(set(DOORS) - SERVED_NAMES)
    assert not unused, f"entries for URL names not served: {', '.join(unused)}"


@pytest.mark.parametrize(("name", "target", "roles"), list(_door_params()))
def test_door(world, name, target, roles):
    failures = [failure for role in roles if (failure := check_cell(world, name, target, role))]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_every_live_page(world, role):
    """Wagtail serves every live public page of the tree to everyone, leaking nothing."""
    client = world.client(role)
    failures = []
    for page in Page.objects.live().public().exclude(depth=1).specific():
        url = page.url
        response = client.get(url)
        if response.status_code != 200:
            failures.append(f"{url}: {response.status_code}")
        if leaked := leaks(role, url, response):
            failures.append(f"{url} shows {leaked}")
    assert not failures, f"{role}: " + "; ".join(failures)


def test_markers_reach_those_who_may_read_them(world):
    """The leak checks can fail: each marker is on the pages of those who may read it."""

    def text(role, url):
        response = world.client(role).get(url)
        assert response.status_code == 200, (role, url, response.status_code)
        return response_text(response)

    members_page = reverse("forum:question", args=[world.members_q.pk])
    for role in sorted(GROUPS["readers"]):
        page = text(role, members_page)
        assert all(marker in page for marker in MEMBERS_MARKERS), role
        assert MEMBERS_TITLE in text(role, reverse("forum:questions"))
        assert MEMBERS_TITLE in text(role, reverse("forum:topic", args=[world.topic_slug]))
        assert MEMBERS_TITLE in text(role, reverse("people:person", args=[world.asker.pk]))
    answer_history = reverse("forum:answer_revisions", args=[world.members_answer.pk])
    assert MEMBERS_ANSWER in text("verified", answer_history)

    for role in sorted(GROUPS["moderators"]):
        assert HIDDEN_TITLE in text(role, reverse("forum:question", args=[world.hidden_q.pk]))
        assert HIDDEN_BODY in text(role, reverse("forum:question", args=[world.hidden_q.pk]))
        assert HIDDEN_ANSWER in text(role, reverse("forum:question", args=[world.public_q.pk]))
        assert HIDDEN_TITLE in text(role, reverse("forum:questions"))

    assert PRIVATE_PAGE in text("member", world.private_page.url)
    # Search answers with real results, members-only threads for those who may read them.
    guide = GuidePage.objects.live().public().order_by("pk").first()
    found = text("visitor", reverse("search:search") + "?" + urlencode({"q": guide.title}))
    assert escape(guide.title) in found
    for role in sorted(GROUPS["readers"]):
        found = text(role, reverse("search:search") + f"?q={MEMBERS_WORD}")
        assert escape(MEMBERS_TITLE) in found, role
        found = text(role, reverse("search:similar") + f"?title={MEMBERS_WORD}")
        assert MEMBERS_TITLE in found, role


def test_moderator_without_two_factor_has_member_rights(world):
    """The role is held but withheld until two-factor is set up: member rights in the
    forum, and the admin sends them to set up an authenticator app."""
    client = world.client("moderator_no_2fa")
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("forum:question", args=[world.members_q.pk])).status_code == 404
    assert client.get(reverse("forum:question", args=[world.hidden_q.pk])).status_code == 404
    assert client.get(reverse("forum:ask")).status_code == 403
    response = client.post(reverse("forum:moderate", args=[world.public_q.pk]), {"action": "hide"})
    assert response.status_code == 403
    world.public_q.refresh_from_db()
    assert not world.public_q.is_hidden


def test_owner_doors(world):
    """The asker (a verified official, not one of the roles above) edits and accepts on
    their own question. The expired official keeps their answer on the members-only
    thread, but may no longer read the thread, so not edit the answer either."""
    asker = Client()
    asker.force_login(world.asker)
    assert asker.get(reverse("forum:edit_question", args=[world.public_q.pk])).status_code == 200
    response = asker.post(
        reverse("forum:accept", args=[world.public_q.pk]), {"answer": world.public_answer.pk}
    )
    assert response.status_code == 302
    world.public_q.refresh_from_db()
    assert world.public_q.accepted_answer_id == world.public_answer.pk

    edit = reverse("forum:edit_answer", args=[world.expired_answer.pk])
    assert world.client("expired").get(edit).status_code == 404
    thread = world.client("verified").get(reverse("forum:question", args=[world.members_q.pk]))
    assert world.expired_answer.body in response_text(thread)


@pytest.mark.parametrize(
    "door",
    ["account_login", "wagtailadmin_login", "wagtailcore_login"],
)
@pytest.mark.parametrize("who", ["unconfirmed", "moderator"])
def test_sign_in_doors_require_confirmation_and_2fa(world, door, who):
    """A password alone never signs in an unconfirmed address, nor a moderator who has
    an authenticator app (the code comes next)."""
    person = world.people[who]
    client = Client()
    client.post(
        reverse(door),
        {"login": person.email, "username": person.email, "password": factories.PASSWORD},
    )
    assert "_auth_user_id" not in client.session, f"{door} signed in {who} with a password alone"


def test_cached_fragments_never_cross_roles(world):
    """The question page is cached in layers shared by people with the same controls. The
    most privileged read first, so what they cached is there when the others come."""
    urls = [
        reverse("forum:question", args=[world.public_q.pk]),
        reverse("forum:question", args=[world.members_q.pk]),
        reverse("forum:question", args=[world.hidden_q.pk]),
        reverse("forum:questions"),
        reverse("forum:topic", args=[world.topic_slug]),
        reverse("people:person", args=[world.asker.pk]),
        "/",
    ]
    order = ["admin", "moderator", "expert", "verified", "editor", "expired", "member"]
    order += ["moderator_no_2fa", "unconfirmed", "visitor"]
    failures = []
    for role in order:
        client = world.client(role)
        for url in urls:
            response = client.get(url)
            if leaked := leaks(role, url, response):
                failures.append(f"{role} {url} shows {leaked}")
    assert not failures, "\n".join(failures)


def test_email_bodies_never_carry_members_only_text(world, django_capture_on_commit_callbacks):
    """Every action on the members-only thread and the verification decision, with the
    after-commit work run: no email body carries members-only or hidden text."""
    participant = world.client("verified")
    moderator = world.client("moderator")
    with django_capture_on_commit_callbacks(execute=True):
        members = [world.members_q.pk]
        participant.post(reverse("forum:answer", args=members), {"body": "Same here, thanks."})
        participant.post(reverse("forum:comment", args=members), {"body": "Thanks, useful."})
        participant.post(
            reverse("forum:vote", args=members),
            {"vote": "up", "answer": world.members_answer.pk},
        )
        asker = Client()
        asker.force_login(world.asker)
        asker.post(reverse("forum:accept", args=members), {"answer": world.members_answer.pk})
        moderator.post(reverse("forum:moderate", args=members), {"action": "lock"})
        moderator.post(
            reverse("verification_review", args=[world.pending_request.pk]),
            {"decision": "approve", "reason": ""},
        )
    assert mail.outbox, "the verification decision sends an email"
    for message in mail.outbox:
        bodies = [
            message.body,
            *(content for content, _type in getattr(message, "alternatives", [])),
        ]
        for body in bodies:
            found = [m for m in (MEMBERS_BODY, MEMBERS_ANSWER, *HIDDEN_MARKERS) if m in body]
            assert not found, f"email {message.subject!r} carries {found}"
