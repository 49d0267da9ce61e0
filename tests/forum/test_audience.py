"""Every audience `forum.audience` defines, for every role, at every door a thread has: the
page, the list, search, similar questions, revisions and answering. A new audience is one
entry in `forum.audience`; this test then fails until `READERS` says who reads it, and
walks it like the others.

Who reads what is stated here independently of the module (PRODUCT.md's roles), so a
wrong rule in the module fails the test rather than defining it."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from forum import audience
from forum.models import Visibility
from tests import factories
from tests.accounts.access import GROUPS
from tests.factories import make_cohort, remove_office
from tests.search.index import fresh_index

pytestmark = pytest.mark.django_db

# Beside the roles of the access matrix, people a cohort-only thread is about: an official of
# one of the cohort's offices, an expert added to the cohort, and an official whose office
# left it. (The matrix's "verified" official is of an office outside the cohort.)
COHORT_PEOPLE = {"cohort_member", "cohort_expert", "former_member"}
READERS = {
    "public": GROUPS["everyone"] - {"unconfirmed"} | COHORT_PEOPLE,
    "members": GROUPS["readers"] | COHORT_PEOPLE,
    "cohort": {"cohort_member", "cohort_expert", "moderator", "admin"},
}
WORD = "quaggamire"  # a word of the thread's own, for searching


def _people() -> dict:
    return {
        "visitor": None,
        "member": factories.make_member(),
        "verified": factories.make_official(state="OH"),
        "expired": factories.make_expired_official(),
        "expert": factories.make_expert(),
        "moderator": factories.make_moderator(),
        "editor": factories.make_editor(),
        "admin": factories.UserFactory(admin=True),
        "moderator_no_2fa": factories.make_moderator(two_factor=False),
        "cohort_member": factories.make_official(state="AZ"),
        "cohort_expert": factories.make_expert(),
        "former_member": factories.make_official(state="WI"),
    }


def _ask(asker, people: dict, title: str, audience_name: str):
    """A thread of this audience; a cohort-only one in a cohort of the asker's office
    (where the cohort member works too), the cohort expert added, and the former member's
    office removed from it."""
    if audience_name != Visibility.COHORT:
        return factories.ask(asker, title=title, visibility=audience_name)
    former = people["former_member"].jurisdiction
    cohort = make_cohort(
        "Audience walk cohort",
        offices=[asker.jurisdiction, former],
        experts=[people["cohort_expert"]],
    )
    remove_office(cohort, former)
    return factories.ask(asker, title=title, visibility=Visibility.COHORT, cohort=cohort)


def _client(person) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def test_every_audience_says_who_reads_it():
    assert set(READERS) == set(audience.AUDIENCES)


@pytest.mark.parametrize("audience_name", audience.AUDIENCES)
def test_each_role_reads_a_thread_exactly_when_it_belongs_to_its_audience(audience_name):
    asker = factories.make_official(state="AZ")
    title = f"How do you store {WORD} seals between elections?"
    people = _people()
    thread = _ask(asker, people, title, audience_name)
    factories.answer(thread, people["cohort_member"])
    with fresh_index():
        for role, person in people.items():
            reads = role in READERS[audience_name]
            assert audience.may_read(person or AnonymousUser(), thread) is reads, role
            client = _client(person)
            doors = {
                "page": thread.get_absolute_url(),
                "revisions": reverse("forum:question_revisions", args=[thread.pk]),
            }
            for door, url in doors.items():
                response = client.get(url)
                assert response.status_code == (200 if reads else 404), (role, door)
                if not reads:  # exactly like a thread that does not exist
                    missing = client.get(url.replace(str(thread.pk), "999999", 1))
                    assert response.content == missing.content, (role, door)
            listing = client.get(reverse("forum:questions")).content.decode()
            assert (WORD in listing) is reads, (role, "list")
            found = client.get(reverse("search:search"), {"q": WORD}).content.decode()
            assert (f'href="{thread.get_absolute_url()}"' in found) is reads, (role, "search")
            similar = client.get(reverse("search:similar"), {"title": f"{WORD} seals"})
            assert (WORD in json.dumps(similar.json())) is reads, (role, "similar")
            if person is not None and not reads:
                answer = client.post(
                    reverse("forum:answer", args=[thread.pk]), {"body": "An answer " * 5}
                )
                missing = client.post(reverse("forum:answer", args=[999_999]), {"body": "x" * 30})
                assert answer.status_code == missing.status_code == 404, (role, "answer")
