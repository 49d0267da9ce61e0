"""The moderator's verbs (issue 15): one door each, refused to everyone but moderators and
written to Wagtail's audit log by the service; hiding comments; changing who may read a
thread, which every door forgets at once."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from core import caching
from forum import services
from forum.models import CloseReason, Status, Visibility
from forum.services import ForumError
from tests.factories import answer, ask, comment, make_member, make_moderator, make_official
from tests.forum.stored import reload
from tests.forum.test_page_cache import stored
from tests.search.index import fresh_index

pytestmark = pytest.mark.django_db


def logged(instance, action: str) -> list[ModelLogEntry]:
    """The audit log's entries of ``action`` on ``instance``, oldest first."""
    entries = ModelLogEntry.objects.for_instance(instance).filter(action=action)
    return list(entries.order_by("pk"))


def signed_in(person) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


# Each verb: what it is posted (after `prepare` has set the thread up), what it acts on,
# how its effect reads back, and what its audit-log entry holds.


@dataclass(frozen=True)
class Verb:
    label: str
    url_name: str
    action: str
    prepare: Callable  # (thread, moderator) -> (post data, the object acted on)
    done: Callable  # (the object acted on, reloaded) -> whether the change is stored
    data: Callable  # (thread, object) -> the log entry's data


def _on_thread(thread, moderator):
    return {}, thread


def _closed(thread, moderator):
    services.close_question(question=thread, by=moderator, reason=CloseReason.OUTDATED)
    return {}, reload(thread)


def _locked(thread, moderator):
    services.lock_question(question=thread, by=moderator)
    return {}, reload(thread)


def _hidden_thread(thread, moderator):
    services.hide_post(post=thread, by=moderator)
    return {}, reload(thread)


def _an_answer(thread, moderator, *, hidden=False):
    reply = answer(thread, make_official(state="OH"))
    if hidden:
        services.hide_post(post=reply, by=moderator)
    return {"answer": reply.pk}, reload(reply)


def _a_comment(thread, moderator, *, on_answer=False, hidden=False):
    writer = make_official(state="WY")
    target = {"answer": answer(thread, writer)} if on_answer else {"question": thread}
    made = comment(writer, body="Our county does the same.", **target)
    if hidden:
        services.hide_post(post=made, by=moderator)
    return {"comment": made.pk}, reload(made)


def _on_the_thread(thread, acted_on):
    return {"question": thread.pk}


VERBS = [
    Verb(
        "close",
        "forum:close",
        "canvass.forum.close",
        lambda thread, moderator: ({"reason": CloseReason.OFF_TOPIC}, thread),
        lambda q: (q.status, q.close_reason) == (Status.CLOSED, CloseReason.OFF_TOPIC),
        lambda thread, q: {"reason": CloseReason.OFF_TOPIC, "duplicate_of": None},
    ),
    Verb(
        "reopen a closed thread",
        "forum:reopen",
        "canvass.forum.reopen",
        _closed,
        lambda q: q.status == Status.OPEN,
        lambda thread, q: {"status_was": Status.CLOSED},
    ),
    Verb(
        "reopen a locked thread",
        "forum:reopen",
        "canvass.forum.reopen",
        _locked,
        lambda q: q.status == Status.OPEN,
        lambda thread, q: {"status_was": Status.LOCKED},
    ),
    Verb(
        "lock",
        "forum:lock",
        "canvass.forum.lock",
        _on_thread,
        lambda q: q.status == Status.LOCKED,
        lambda thread, q: {"status_was": Status.OPEN},
    ),
    Verb(
        "hide the question",
        "forum:hide",
        "canvass.forum.hide",
        _on_thread,
        lambda q: q.is_hidden,
        _on_the_thread,
    ),
    Verb(
        "hide an answer",
        "forum:hide",
        "canvass.forum.hide",
        _an_answer,
        lambda a: a.is_hidden,
        _on_the_thread,
    ),
    Verb(
        "hide a comment on the question",
        "forum:hide",
        "canvass.forum.hide",
        _a_comment,
        lambda c: c.is_hidden,
        _on_the_thread,
    ),
    Verb(
        "hide a comment on an answer",
        "forum:hide",
        "canvass.forum.hide",
        lambda thread, moderator: _a_comment(thread, moderator, on_answer=True),
        lambda c: c.is_hidden,
        _on_the_thread,
    ),
    Verb(
        "show the question again",
        "forum:unhide",
        "canvass.forum.unhide",
        _hidden_thread,
        lambda q: not q.is_hidden,
        _on_the_thread,
    ),
    Verb(
        "show an answer again",
        "forum:unhide",
        "canvass.forum.unhide",
        lambda thread, moderator: _an_answer(thread, moderator, hidden=True),
        lambda a: not a.is_hidden,
        _on_the_thread,
    ),
    Verb(
        "show a comment again",
        "forum:unhide",
        "canvass.forum.unhide",
        lambda thread, moderator: _a_comment(thread, moderator, on_answer=True, hidden=True),
        lambda c: not c.is_hidden,
        _on_the_thread,
    ),
    Verb(
        "make members-only",
        "forum:audience",
        "canvass.forum.audience",
        lambda thread, moderator: (
            {"audience-visibility": Visibility.MEMBERS, "audience-reason": "Names a door code."},
            thread,
        ),
        lambda q: q.visibility == Visibility.MEMBERS,
        lambda thread, q: {
            "from": Visibility.PUBLIC,
            "to": Visibility.MEMBERS,
            "reason": "Names a door code.",
        },
    ),
]


@pytest.mark.parametrize("verb", VERBS, ids=[verb.label for verb in VERBS])
def test_each_verb_is_refused_to_all_but_moderators_and_logged_once(verb, asker):
    """Visitor, member and verified official (not the thread's asker) change nothing and
    leave no record; the moderator's request does it and writes one entry."""
    thread = ask(asker, visibility=Visibility.PUBLIC)
    moderator = make_moderator()
    data, acted_on = verb.prepare(thread, moderator)
    url = reverse(verb.url_name, args=[thread.pk])
    # A hidden thread does not exist for those who may not read it; a readable one refuses.
    refused = 404 if reload(thread).is_hidden else 403
    walk = [
        (None, 302),
        (make_member(), refused),
        (make_official(state="AZ"), refused),
    ]
    for person, status in walk:
        response = signed_in(person).post(url, data)
        assert response.status_code == status, person
        if person is None:
            assert response["Location"].startswith(reverse("account_login"))
        assert not verb.done(reload(acted_on)), person
        assert logged(acted_on, verb.action) == [], person

    response = signed_in(moderator).post(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith(thread.get_absolute_url())
    assert verb.done(reload(acted_on))
    [entry] = logged(acted_on, verb.action)
    assert entry.user_id == moderator.pk
    assert entry.data == verb.data(thread, acted_on)


def test_the_moderation_page_has_a_form_for_each_verb(client, asker, moderator):
    thread = ask(asker, visibility=Visibility.PUBLIC)
    client.force_login(moderator)
    page = client.get(reverse("forum:moderate", args=[thread.pk])).content.decode()
    for name in ("close", "lock", "hide", "audience"):
        assert f'action="{reverse(f"forum:{name}", args=[thread.pk])}"' in page, name
    assert reverse("forum:reopen", args=[thread.pk]) not in page  # it is open
    services.lock_question(question=thread, by=moderator)
    services.hide_post(post=reload(thread), by=moderator)
    page = client.get(reverse("forum:moderate", args=[thread.pk])).content.decode()
    for name in ("reopen", "unhide"):
        assert f'action="{reverse(f"forum:{name}", args=[thread.pk])}"' in page, name
    assert f'action="{reverse("forum:lock", args=[thread.pk])}"' not in page


def test_the_old_dispatch_on_an_action_string_is_gone(client, asker, moderator):
    thread = ask(asker, visibility=Visibility.PUBLIC)
    client.force_login(moderator)
    response = client.post(reverse("forum:moderate", args=[thread.pk]), {"action": "lock"})
    assert response.status_code == 405
    assert reload(thread).status == Status.OPEN


def test_an_audience_refused_is_explained_beside_the_field_keeping_the_reason(
    client, asker, moderator
):
    thread = ask(asker, visibility=Visibility.PUBLIC)
    client.force_login(moderator)
    response = client.post(
        reverse("forum:audience", args=[thread.pk]),
        {"audience-visibility": Visibility.PUBLIC, "audience-reason": "Typed with care."},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_audience-visibility_error"' in html
    assert "The thread has this audience already." in html
    assert "Typed with care.</textarea>" in html
    assert logged(thread, "canvass.forum.audience") == []


def test_a_comment_of_another_thread_is_not_found(client, asker, moderator):
    thread, other = (ask(asker, visibility=Visibility.PUBLIC) for _ in range(2))
    elsewhere = comment(make_official(state="WY"), question=other)
    client.force_login(moderator)
    response = client.post(reverse("forum:hide", args=[thread.pk]), {"comment": elsewhere.pk})
    assert response.status_code == 404
    assert not reload(elsewhere).is_hidden


# hide_post on comments ---------------------------------------------------------------------


@pytest.mark.parametrize("on_answer", [False, True], ids=["on the question", "on an answer"])
def test_a_hidden_comment_leaves_the_page_of_all_but_moderators_cached_or_not(
    on_answer, asker, official, moderator
):
    """Everyone's page is cached first (a visitor's whole page, the official's thread and
    answer fragments); after the hide, none of them shows the comment."""
    thread = ask(asker, visibility=Visibility.PUBLIC)
    reply = answer(thread, make_official(state="OH"))
    text = "Call the vendor at home on weekends."
    target = {"answer": reply} if on_answer else {"question": thread}
    made = comment(make_official(state="WY"), body=text, **target)
    readers = {"visitor": Client(), "official": signed_in(official)}
    url = thread.get_absolute_url()
    for role, reader in readers.items():
        assert text in reader.get(url).content.decode(), role
    assert stored(thread)  # the visitor's page is the cached one

    response = signed_in(moderator).post(
        reverse("forum:hide", args=[thread.pk]), {"comment": made.pk}
    )
    assert response["Location"] == f"{url}#comment-{made.pk}"
    for role, reader in readers.items():
        assert text not in reader.get(url).content.decode(), role
    moderators_page = signed_in(moderator).get(url).content.decode()
    assert text in moderators_page
    assert "Show comment" in moderators_page

    signed_in(moderator).post(reverse("forum:unhide", args=[thread.pk]), {"comment": made.pk})
    for role, reader in readers.items():
        assert text in reader.get(url).content.decode(), role


def test_hiding_a_comment_moves_on_the_versions_that_show_it(asker, moderator):
    thread = ask(asker, visibility=Visibility.PUBLIC)
    reply = answer(thread, make_official(state="OH"))
    on_question = comment(make_official(state="WY"), question=thread)
    on_answer = comment(make_official(state="WY"), answer=reply)

    before, answer_before = reload(thread), reload(reply)
    services.hide_post(post=on_question, by=moderator)
    assert reload(thread).version == before.version + 1
    assert reload(thread).last_activity_at == before.last_activity_at
    assert reload(reply).version == answer_before.version  # not inside the answer

    services.hide_post(post=on_answer, by=moderator)
    assert reload(thread).version == before.version + 2
    assert reload(reply).version == answer_before.version + 1


def test_hiding_a_hidden_comment_changes_and_logs_nothing(asker, moderator):
    made = comment(make_official(state="WY"), question=ask(asker))
    services.hide_post(post=made, by=moderator)
    version = reload(made.question).version
    services.hide_post(post=reload(made), by=moderator)
    assert reload(made.question).version == version
    assert len(logged(made, "canvass.forum.hide")) == 1


def test_only_moderators_hide_comments(asker, official):
    made = comment(make_official(state="WY"), question=ask(asker))
    for person in (official, make_member(), AnonymousUser()):
        with pytest.raises(PermissionDenied):
            services.hide_post(post=made, by=person)
    assert not reload(made).is_hidden
    assert logged(made, "canvass.forum.hide") == []


# change_audience ---------------------------------------------------------------------------


def test_an_audience_change_removes_the_thread_from_a_visitors_list_page_and_search_at_once(
    asker, official, moderator, django_capture_on_commit_callbacks
):
    word = "wrenfeather"  # in no other document
    with django_capture_on_commit_callbacks(execute=True):
        thread = ask(
            asker, title=f"Where do you keep the {word} seals?", visibility=Visibility.PUBLIC
        )
    url = thread.get_absolute_url()
    visitor, member = Client(), signed_in(official)

    def seen_by(reader) -> dict:
        page = reader.get(url)
        return {
            "page": page.status_code == 200 and word in page.content.decode(),
            "list": word in reader.get(reverse("forum:questions")).content.decode(),
            "search": f'href="{url}"'
            in reader.get(reverse("search:search"), {"q": word}).content.decode(),
        }

    everywhere = {"page": True, "list": True, "search": True}
    with fresh_index():
        assert seen_by(visitor) == seen_by(member) == everywhere
        assert stored(thread)  # the visitor's page is cached
        content = caching.generation(caching.CONTENT)
        with django_capture_on_commit_callbacks(execute=True):
            response = signed_in(moderator).post(
                reverse("forum:audience", args=[thread.pk]),
                {"audience-visibility": Visibility.MEMBERS, "audience-reason": "Door codes."},
            )
        assert response.status_code == 302
        assert visitor.get(url).status_code == 404
        assert seen_by(visitor) == {"page": False, "list": False, "search": False}
        assert seen_by(member) == everywhere
        # Pages that list threads elsewhere (home, topic pages) are rebuilt.
        assert caching.generation(caching.CONTENT) > content

        with django_capture_on_commit_callbacks(execute=True):
            services.change_audience(
                question=reload(thread),
                visibility=Visibility.PUBLIC,
                by=moderator,
                reason="The codes were changed.",
            )
        assert seen_by(visitor) == everywhere
    entries = logged(thread, "canvass.forum.audience")
    assert [(entry.data["from"], entry.data["to"]) for entry in entries] == [
        (Visibility.PUBLIC, Visibility.MEMBERS),
        (Visibility.MEMBERS, Visibility.PUBLIC),
    ]


@pytest.mark.parametrize(
    ("visibility", "reason"),
    [("everyone", "A reason."), ("", "A reason."), (Visibility.MEMBERS, "   ")],
    ids=["unknown audience", "no audience", "no reason"],
)
def test_an_audience_change_needs_a_known_audience_and_a_reason(
    asker, moderator, visibility, reason
):
    thread = ask(asker, visibility=Visibility.PUBLIC)
    with pytest.raises(ForumError):
        services.change_audience(
            question=thread, visibility=visibility, by=moderator, reason=reason
        )
    assert reload(thread).visibility == Visibility.PUBLIC
    assert logged(thread, "canvass.forum.audience") == []


def test_the_same_audience_again_changes_and_logs_nothing(asker, moderator):
    thread = ask(asker, visibility=Visibility.MEMBERS)
    version = reload(thread).version
    services.change_audience(
        question=thread, visibility=Visibility.MEMBERS, by=moderator, reason="Checked."
    )
    assert reload(thread).version == version
    assert logged(thread, "canvass.forum.audience") == []


def test_only_moderators_change_the_audience(asker, official):
    thread = ask(asker, visibility=Visibility.PUBLIC)
    for person in (official, asker, make_member()):
        with pytest.raises(PermissionDenied):
            services.change_audience(
                question=thread, visibility=Visibility.MEMBERS, by=person, reason="Mine."
            )
    assert reload(thread).visibility == Visibility.PUBLIC
    assert logged(thread, "canvass.forum.audience") == []
