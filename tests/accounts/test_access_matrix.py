"""Every URL the project serves, for every role: the status each role gets, and that no
members-only or hidden text reaches anyone who may not read it, by any door (pages, forms,
the admin, search, JSON, exports, cached fragments, email bodies).

The table (`DOORS`, in access_doors.py) is keyed by URL name.
`test_every_url_pattern_has_an_entry` walks the resolver, so a new URL pattern without an
entry fails until someone decides who may use it. An entry whose name is not served (yet)
is simply unused.

Expectations come from PRODUCT.md's roles and from `accounts/permissions.py` and
`forum/permissions.py`. A cell that contradicts them is marked `xfail(strict=True)` with
the reason: fixing the defect makes the test fail until the mark is removed.

The people, threads and pages (access_world.py) are made once for the module (`world`)
inside a transaction that is rolled back afterwards; each test runs in its own savepoint on
top of it."""

from urllib.parse import urlencode

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import Page

from cms.models import GuidePage
from notifications.models import Notification
from tests import factories
from tests.accounts.access import GROUPS, ROLES, response_text, url_patterns
from tests.accounts.access_doors import DOORS, Target, is_wagtail_admin_internal
from tests.accounts.access_world import (
    COHORT_ANSWER,
    COHORT_BODY,
    COHORT_MARKERS,
    COHORT_TITLE,
    COHORT_WORD,
    DRAFT_PAGE,
    HIDDEN_ANSWER,
    HIDDEN_BODY,
    HIDDEN_MARKERS,
    HIDDEN_TITLE,
    MADE_MEMBERS_TITLE,
    MEMBERS_ANSWER,
    MEMBERS_BODY,
    MEMBERS_MARKERS,
    MEMBERS_TITLE,
    MEMBERS_WORD,
    PRIVATE_PAGE,
    World,
    build_world,
)
from tests.content import rolled_back
from tests.search.index import fresh_index

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Made once for the module and rolled back after it; each test's own transaction is a
    savepoint inside this one."""
    with rolled_back(django_db_blocker):
        built = build_world()
        with fresh_index():  # the world's threads searchable, the members-only one too
            for role in ROLES:
                built.client(role)
            yield built


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
    made_members_page = reverse("forum:question", args=[world.made_members_q.pk])
    inbox = reverse("notifications:inbox")
    for role in sorted(GROUPS["readers"]):
        page = text(role, members_page)
        assert all(marker in page for marker in (MEMBERS_TITLE, MEMBERS_BODY, MEMBERS_ANSWER))
        assert MADE_MEMBERS_TITLE in text(role, made_members_page), role
        assert MEMBERS_TITLE in text(role, inbox), role
        assert MADE_MEMBERS_TITLE in text(role, inbox), role
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
        assert HIDDEN_TITLE in text(role, inbox), role

    cohort_page = reverse("forum:question", args=[world.cohort.question.pk])
    for role in sorted(GROUPS["moderators"]):
        assert all(marker in text(role, cohort_page) for marker in COHORT_MARKERS), role

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


def test_inbox_items_open_only_while_their_thread_is_readable(world):
    """Each role opens its own inbox items: one about a thread it may read now takes it
    there; one about a thread made members-only or hidden since, or asked while an expired
    official was still verified, answers 404 like someone else's item."""
    readers_of = {
        world.public_q.pk: GROUPS["signed_in"],
        world.members_q.pk: GROUPS["readers"],
        world.made_members_q.pk: GROUPS["readers"],
        world.hidden_q.pk: GROUPS["moderators"],
        world.cohort.question.pk: GROUPS["moderators"],
    }
    failures = []
    for role in sorted(GROUPS["signed_in"]):
        items = dict(
            Notification.objects.filter(recipient=world.people[role]).values_list(
                "question_id", "pk"
            )
        )
        told_of = {world.public_q.pk, world.hidden_q.pk, world.made_members_q.pk}
        if role in GROUPS["readers"] | {"expired"}:  # could read it when it was asked
            told_of.add(world.members_q.pk)
        if role in GROUPS["moderators"]:  # no role is a member of the cohort
            told_of.add(world.cohort.question.pk)
        assert set(items) == told_of, role
        client = world.client(role)
        for question_id, pk in items.items():
            response = client.get(reverse("notifications:open", args=[pk]))
            if role in readers_of[question_id]:
                expected = (302, reverse("forum:question", args=[question_id]))
            else:
                expected = (404, None)
            found = (response.status_code, response.get("Location", "").split("#")[0] or None)
            if found != expected:
                failures.append(f"{role} item about {question_id}: {found}, not {expected}")
    assert not failures, "\n".join(failures)


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
    response = client.post(reverse("forum:hide", args=[world.public_q.pk]))
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
        moderator.post(reverse("forum:lock", args=members))
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


# --- The cohort audience (issue 16) ----------------------------------------------------------


def test_a_cohort_thread_reaches_its_members_alone(world):
    """The cohort-only thread at every door a person reading the forum has, for the people
    it is about (`access_world.build_cohort_world`): its member and the expert added to it
    read it everywhere; an official of another office, one whose office left the cohort
    (told of the thread while a member) and a visitor find it nowhere, and its page answers
    them exactly like a thread that does not exist."""
    cohort = world.cohort
    question = cohort.question
    page = reverse("forum:question", args=[question.pk])
    missing = reverse("forum:question", args=[999_999])
    doors = [
        page,
        reverse("forum:question_revisions", args=[question.pk]),
        reverse("forum:answer_revisions", args=[cohort.answer.pk]),
        reverse("forum:questions"),
        reverse("forum:topic", args=[world.topic_slug]),
        reverse("people:person", args=[cohort.people["cohort_member"].pk]),
        reverse("search:search") + f"?q={COHORT_WORD}",
        reverse("search:similar") + f"?title={COHORT_WORD}",
        reverse("notifications:inbox"),
        reverse("accounts:export", args=["json"]),
        "/",
    ]
    failures = []
    for who, person in cohort.people.items():
        client = Client()
        if person is not None:
            client.force_login(person)
        reads = who in cohort.readers
        for url in doors:
            response = client.get(url)
            if response.status_code in (302, 404) and url != page:
                continue  # a door this person may not use at all (sign in first)
            text = response_text(response)
            leaked = [marker for marker in COHORT_MARKERS if marker in text]
            if reads and url == page and leaked != list(COHORT_MARKERS):
                failures.append(f"{who} {url}: the thread is missing")
            if not reads and leaked:
                failures.append(f"{who} {url} shows {leaked}")
        if reads:
            for url in (reverse("forum:questions"), reverse("search:search") + f"?q={COHORT_WORD}"):
                if COHORT_TITLE not in response_text(client.get(url)):
                    failures.append(f"{who} {url}: the thread is not listed")
        else:
            response, absent = client.get(page), client.get(missing)
            if (response.status_code, response.content) != (404, absent.content):
                failures.append(f"{who} {page}: not answered as a missing thread")
        if person is not None:
            items = Notification.objects.filter(recipient=person, question=question)
            for item in items:
                opened = client.get(reverse("notifications:open", args=[item.pk]))
                if (opened.status_code == 404) is reads:
                    failures.append(f"{who} inbox item {item.pk}: {opened.status_code}")
    told = set(
        Notification.objects.filter(question=question).values_list("recipient_id", flat=True)
    )
    assert cohort.people["cohort_former"].pk in told, "the former member was told as a member"
    assert cohort.people["non_member"].pk not in told
    assert not failures, "\n".join(failures)


def test_email_about_the_cohort_thread_never_carries_its_text(
    world, django_capture_on_commit_callbacks
):
    """An answer in the cohort thread, its after-commit work run: the asker hears of it by
    email with its title and link at most, never the question's or an answer's text."""
    member = Client()
    member.force_login(world.cohort.people["cohort_expert"])
    with django_capture_on_commit_callbacks(execute=True):
        response = member.post(
            reverse("forum:answer", args=[world.cohort.question.pk]),
            {"body": "We switch the routes every week too."},
        )
    assert response.status_code == 302
    assert mail.outbox, "the asker's question was answered: they hear of it"
    for message in mail.outbox:
        bodies = [message.body, *(content for content, _type in message.alternatives)]
        for body in bodies:
            assert COHORT_BODY not in body and COHORT_ANSWER not in body
