"""Merging a duplicate into its canonical thread (`forum.services.merge_questions`, the
`forum:merge` view, the merged thread's old address): everything moves, the canonical keeps
its acceptance, the counters are right, and the merged thread is read by no one."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from forum import services
from forum.models import Question, Visibility, Vote
from forum.services import ForumError
from forum.signals import threads_changed
from notifications import services as notification_services
from notifications.models import Follow, Kind, Level, Notification
from search import queue
from search.queries import Filters, search
from tests import factories
from tests.factories import answer, ask, comment
from tests.forum.stored import pks, reload
from tests.search.index import fresh_index

pytestmark = pytest.mark.django_db

WORD = "quillwort"  # in the merged thread's answer only
DUPLICATE_WORD = "bladderpod"  # in the merged question only


@pytest.fixture
def canonical(asker):
    return ask(asker, title="How do you store ballots between elections?", visibility="public")


@pytest.fixture
def duplicate(official):
    return ask(
        official,
        title=f"Where should a county keep {DUPLICATE_WORD} ballots after an election?",
        visibility=Visibility.PUBLIC,
    )


def merge(duplicate, canonical, by, reason="The same question."):
    return services.merge_questions(question=duplicate, into=canonical, by=by, reason=reason)


def client_of(person) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


# What moves --------------------------------------------------------------------------------


def test_answers_and_comments_move_and_the_counters_follow(
    canonical, duplicate, moderator, expert, other_official
):
    kept = answer(canonical, expert)
    moved = [answer(duplicate, other_official), answer(duplicate, expert)]
    hidden = answer(duplicate, other_official)
    services.hide_post(post=hidden, by=moderator)
    on_question = comment(expert, question=duplicate)
    on_answer = comment(expert, answer=moved[0])
    before = {q.pk: reload(q) for q in (canonical, duplicate)}
    answer_versions = {a.pk: reload(a).version for a in (*moved, hidden)}

    merge(duplicate, canonical, moderator)

    stored, gone = reload(canonical), reload(duplicate)
    assert pks(stored.answers.all()) == {kept.pk, hidden.pk, *(a.pk for a in moved)}
    assert not gone.answers.exists() and not gone.comments.exists()
    assert reload(on_question).question_id == canonical.pk
    assert reload(on_answer).answer_id == moved[0].pk  # with its answer, now the canonical's
    assert reload(hidden).is_hidden  # still hidden there
    assert stored.answer_count == 3  # the visible ones
    assert gone.answer_count == 0
    assert gone.merged_into_id == canonical.pk
    assert stored.version == before[canonical.pk].version + 1
    assert gone.version == before[duplicate.pk].version + 1
    assert stored.last_activity_at == max(q.last_activity_at for q in before.values())
    assert all(reload(a).version == answer_versions[a.pk] + 1 for a in (*moved, hidden))


def test_the_canonical_keeps_its_accepted_answer(asker, official, expert, moderator):
    canonical, kept = factories.solved_thread(asker, expert)
    duplicate, dropped = factories.solved_thread(official, expert)
    merge(duplicate, canonical, moderator)
    assert reload(canonical).accepted_answer_id == kept.pk
    assert reload(duplicate).accepted_answer_id is None
    assert reload(dropped).question_id == canonical.pk


def test_the_duplicates_acceptance_is_dropped_even_into_an_unsolved_thread(
    canonical, official, expert, moderator
):
    duplicate, accepted = factories.solved_thread(official, expert)
    merge(duplicate, canonical, moderator)
    assert reload(canonical).accepted_answer_id is None
    assert reload(accepted).question_id == canonical.pk


def test_votes_move_one_per_person_the_canonicals_kept(
    canonical, duplicate, asker, moderator, expert, other_official
):
    both, only_duplicate = factories.make_official(), factories.make_official()
    services.cast_vote(user=both, post=canonical, value=1)
    services.cast_vote(user=both, post=duplicate, value=-1)
    services.cast_vote(user=only_duplicate, post=duplicate, value=1)
    services.cast_vote(user=other_official, post=duplicate, value=1)
    services.cast_vote(user=asker, post=duplicate, value=1)  # the canonical's own asker
    reply = answer(duplicate, expert)
    services.cast_vote(user=both, post=reply, value=1)

    merge(duplicate, canonical, moderator)

    votes = dict(Vote.objects.filter(question=canonical).values_list("user", "value"))
    assert votes == {both.pk: 1, only_duplicate.pk: 1, other_official.pk: 1}
    assert not Vote.objects.filter(question=duplicate).exists()
    assert reload(canonical).score == 3
    assert reload(duplicate).score == 0
    assert reload(reply).score == 1
    assert Vote.objects.get(answer=reply).user_id == both.pk


def test_followers_and_inbox_items_move_to_the_canonical(
    canonical, duplicate, official, moderator, expert, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply = answer(duplicate, expert)  # tells the duplicate's asker
    item = Notification.objects.get(recipient=official, kind=Kind.ANSWER)
    assert item.question_id == duplicate.pk
    follows = {
        # person: (level on the duplicate, level on the canonical or None)
        "watcher": (Level.WATCHING, None),
        "raised": (Level.WATCHING, Level.NORMAL),
        "kept_higher": (Level.NORMAL, Level.WATCHING),
        "kept_muted": (Level.WATCHING, Level.MUTED),
        "unmuted_elsewhere": (Level.MUTED, Level.NORMAL),
    }
    people = {name: factories.make_official() for name in follows}
    for name, (on_duplicate, on_canonical) in follows.items():
        notification_services.follow_question(
            user=people[name], question=duplicate, level=on_duplicate
        )
        if on_canonical:
            notification_services.follow_question(
                user=people[name], question=canonical, level=on_canonical
            )

    merge(duplicate, canonical, moderator)

    levels = dict(Follow.objects.filter(question=canonical).values_list("user", "level"))
    expected = {
        "watcher": Level.WATCHING,
        "raised": Level.WATCHING,
        "kept_higher": Level.WATCHING,
        "kept_muted": Level.MUTED,
        "unmuted_elsewhere": Level.NORMAL,
    }
    for name, level in expected.items():
        assert levels[people[name].pk] == level, name
    assert expert.pk in levels  # followed the duplicate by answering in it
    assert not Follow.objects.filter(question=duplicate).exists()
    item.refresh_from_db()
    assert (item.question_id, item.answer_id) == (canonical.pk, reply.pk)
    page = client_of(official).get(reverse("notifications:inbox")).content.decode()
    assert canonical.title in page and duplicate.title not in page


def test_the_merge_is_in_the_audit_log(canonical, duplicate, moderator):
    merge(duplicate, canonical, moderator, reason="Both ask where ballots are kept.")
    entry = ModelLogEntry.objects.get(action="canvass.forum.merge")
    assert entry.object_id == str(canonical.pk)
    assert entry.user == moderator
    assert entry.data["merged"] == duplicate.pk
    assert entry.data["reason"] == "Both ask where ballots are kept."


def test_both_threads_are_announced_with_their_readers_changed(
    canonical, duplicate, moderator, django_capture_on_commit_callbacks
):
    announced = []

    def record(sender, **kwargs):
        announced.append((set(kwargs["question_ids"]), kwargs["readers_changed"]))

    threads_changed.connect(record)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            merge(duplicate, canonical, moderator)
    finally:
        threads_changed.disconnect(record)
    assert announced == [({duplicate.pk, canonical.pk}, True)]


def test_a_thread_merged_before_follows_its_canonical_on(asker, official, moderator):
    first, second, third = (ask(person, visibility="public") for person in (official,) * 3)
    merge(first, second, moderator)
    merge(second, third, moderator)
    assert reload(first).merged_into_id == third.pk
    response = Client().get(first.get_absolute_url())
    assert (response.status_code, response["Location"]) == (301, third.get_absolute_url())


# What is refused -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["official", "expert", "moderator_without_2fa"])
def test_only_moderators_merge(canonical, duplicate, who, official, expert):
    person = {
        "official": official,
        "expert": expert,
        "moderator_without_2fa": factories.make_moderator(two_factor=False),
    }[who]
    with pytest.raises(PermissionDenied):
        merge(duplicate, canonical, person)
    assert reload(duplicate).merged_into_id is None


def _anonymous_asker_who_commented(asker):
    question = ask(asker, visibility="public", is_anonymous=True)
    comment(asker, question=question, body="We are a small county, for context.")
    return question


@pytest.mark.parametrize(
    "case",
    [
        "itself",
        "into a merged thread",
        "merged already",
        "no reason",
        "members into public",
        "hidden",
        "anonymous asker who wrote in it",
    ],
)
def test_refusals_change_nothing(case, canonical, duplicate, official, expert, moderator):
    reply = answer(duplicate, expert)
    into, reason = canonical, "The same question."
    if case == "itself":
        into = duplicate
    elif case == "into a merged thread":
        into = ask(official, visibility="public")
        merge(into, canonical, moderator)
    elif case == "merged already":
        merge(duplicate, ask(official, visibility="public"), moderator)
        duplicate.refresh_from_db()
    elif case == "no reason":
        reason = "  "
    elif case == "members into public":
        Question.objects.filter(pk=duplicate.pk).update(visibility=Visibility.MEMBERS)
    elif case == "hidden":
        services.hide_post(post=duplicate, by=moderator)
    else:
        duplicate = _anonymous_asker_who_commented(official)
        reply = answer(duplicate, expert)
    before = reload(duplicate)
    where = reload(reply).question_id
    with pytest.raises(ForumError):
        merge(duplicate, into, moderator, reason=reason)
    after = reload(duplicate)
    assert (after.merged_into_id, after.version) == (before.merged_into_id, before.version)
    assert reload(reply).question_id == where


def test_an_anonymous_question_whose_asker_wrote_nothing_more_is_merged(
    canonical, official, moderator
):
    duplicate = ask(official, visibility="public", is_anonymous=True)
    merge(duplicate, canonical, moderator)
    assert reload(duplicate).merged_into_id == canonical.pk


def test_a_public_question_merges_into_a_members_only_thread(asker, official, moderator):
    canonical = ask(asker, visibility=Visibility.MEMBERS)
    duplicate = ask(official, visibility=Visibility.PUBLIC)
    merge(duplicate, canonical, moderator)
    assert reload(duplicate).merged_into_id == canonical.pk


# Read by no one, and its address -------------------------------------------------------------


def test_the_merged_thread_is_listed_and_read_by_no_one(canonical, duplicate, moderator):
    merge(duplicate, canonical, moderator)
    for reader in (AnonymousUser(), moderator):
        assert pks(Question.objects.visible_to(reader)) == {canonical.pk}
        listing = client_of(None if reader.is_anonymous else reader).get(reverse("forum:questions"))
        assert duplicate.title not in listing.content.decode()
        assert canonical.title in listing.content.decode()
    # Its other doors answer as for a missing thread, moderators' too.
    for name in ("forum:question_revisions", "forum:moderate", "forum:merge"):
        assert client_of(moderator).get(reverse(name, args=[duplicate.pk])).status_code == 404


def test_the_old_address_redirects_for_good_including_a_visitors_cached_page(
    canonical, duplicate, moderator
):
    visitor = Client()
    assert visitor.get(duplicate.get_absolute_url()).status_code == 200  # now cached
    merge(duplicate, canonical, moderator)
    response = visitor.get(duplicate.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"] == canonical.get_absolute_url()


@pytest.mark.parametrize(
    "role,redirected",
    [("visitor", False), ("member", False), ("official", True), ("moderator", True)],
)
def test_the_redirect_is_only_for_those_who_may_read_the_canonical(
    role, redirected, asker, official, member, moderator
):
    canonical = ask(asker, visibility=Visibility.MEMBERS)
    duplicate = ask(official, visibility=Visibility.MEMBERS)
    merge(duplicate, canonical, moderator)
    client = client_of(
        {"visitor": None, "member": member, "official": official, "moderator": moderator}[role]
    )
    response = client.get(duplicate.get_absolute_url())
    if redirected:
        assert (response.status_code, response["Location"]) == (301, canonical.get_absolute_url())
    else:  # exactly like a thread that does not exist
        missing = client.get(reverse("forum:question", args=[999_999]))
        assert response.status_code == 404
        assert response.content == missing.content


def test_search_finds_the_canonical_with_the_merged_answers(
    canonical, duplicate, moderator, expert, django_capture_on_commit_callbacks
):
    answer(duplicate, expert, body=f"We keep them sealed with {WORD} tape in the vault.")
    with fresh_index():
        with django_capture_on_commit_callbacks(execute=True):
            merge(duplicate, canonical, moderator)
        queue.drain()
        for reader in (AnonymousUser(), moderator):
            found = search(reader, WORD, Filters())
            assert [hit.url for hit in found.hits] == [canonical.get_absolute_url()]
            assert search(reader, DUPLICATE_WORD, Filters()).page is None


# The view ------------------------------------------------------------------------------------


def test_moderators_find_merge_among_the_moderation_controls(duplicate, moderator):
    page = client_of(moderator).get(reverse("forum:moderate", args=[duplicate.pk]))
    assert reverse("forum:merge", args=[duplicate.pk]) in page.content.decode()


def test_the_form_merges_into_a_question_given_by_its_address(canonical, duplicate, moderator):
    client = client_of(moderator)
    url = reverse("forum:merge", args=[duplicate.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"into": f"https://example.org{canonical.get_absolute_url()}", "reason": "Same thing."},
    )
    assert response.status_code == 302 and response["Location"] == canonical.get_absolute_url()
    assert reload(duplicate).merged_into_id == canonical.pk


def test_the_old_address_of_a_merged_thread_stands_for_its_canonical(
    canonical, duplicate, official, moderator
):
    earlier = ask(official, visibility="public")
    merge(earlier, canonical, moderator)
    client_of(moderator).post(
        reverse("forum:merge", args=[duplicate.pk]),
        {"into": earlier.get_absolute_url(), "reason": "Same thing."},
    )
    assert reload(duplicate).merged_into_id == canonical.pk


@pytest.mark.parametrize(
    "typed,error",
    [
        ("999999", "Give the number or address of an existing question."),
        ("/guides/", "Give the number or address of an existing question."),
        ("itself", "A question cannot be merged into itself."),
    ],
)
def test_errors_are_shown_next_to_the_field_with_what_was_typed(
    typed, error, canonical, duplicate, moderator
):
    typed = str(duplicate.pk) if typed == "itself" else typed
    response = client_of(moderator).post(
        reverse("forum:merge", args=[duplicate.pk]), {"into": typed, "reason": "Kept reason"}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["into"] == [error]
    page = response.content.decode()
    assert f'value="{typed}"' in page and 'value="Kept reason"' in page
    assert reload(duplicate).merged_into_id is None
