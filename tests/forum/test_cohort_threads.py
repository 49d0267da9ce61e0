"""Cohort-only threads in the forum (issue 16): asking into one's own cohort, a moderator
moving a thread into a cohort, the audience shown in lists and on the thread, the cohort
space's threads panel, and the doors that must keep a cohort thread from non-members
(similar questions, the Q&A excerpt in guides, the export, email). Who reads a cohort
thread at the page, list, search and answer doors is walked in `test_audience.py`."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse
from wagtail import hooks
from wagtail.models import ModelLogEntry

from accounts import roles
from accounts.models import Jurisdiction, SizeBand
from accounts.permissions import load_roles
from accounts.services import grant_role
from cms import promotion
from cms.promotion import PromotionError
from cohorts import badges
from cohorts.hooks import COHORT_PANELS
from cohorts.models import Cohort, Source
from forum import audience, services
from forum.forms import QuestionEditForm
from forum.models import Question, Visibility
from forum.services import ForumError
from forum.wagtail_hooks import cohort_threads
from tests.factories import (
    answer,
    ask,
    find_jurisdiction,
    make_cohort,
    make_editor,
    make_expert,
    make_guide,
    make_member,
    make_moderator,
    make_official,
    remove_office,
    solved_thread,
    topics,
)
from tests.forum.stored import reload
from tests.search.index import fresh_index

pytestmark = pytest.mark.django_db

WORD = "brindlewick"  # in no other document


@pytest.fixture
def office():
    return find_jurisdiction(state="AZ")


@pytest.fixture
def cohort(office):
    return make_cohort("Centers of Excellence", offices=[office])


@pytest.fixture
def insider(office):
    """A verified official of one of the cohort's offices."""
    return make_official(jurisdiction=office)


@pytest.fixture
def outsider():
    """A verified official of an office outside the cohort."""
    return make_official(state="OH")


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def ask_form(person, **data):
    fields = {
        "title": f"How do you store {WORD} seals between elections?",
        "body": "We need a plan for the seals before the primary, with a log of each.",
        "topics": [topic.pk for topic in topics(1)],
        "states": ["AZ"],
        "visibility": Visibility.MEMBERS,
    }
    return signed_in(person).post(reverse("forum:ask"), {**fields, **data})


# Asking ----------------------------------------------------------------------------------


def test_the_ask_form_offers_the_askers_own_cohorts_as_one_audience_choice(
    insider, outsider, cohort
):
    other = make_cohort("Large jurisdictions network", offices=[outsider.jurisdiction])
    html = signed_in(insider).get(reverse("forum:ask")).content.decode()
    assert 'value="members"' in html and 'value="public"' in html
    assert f'value="cohort:{cohort.slug}"' in html
    assert "Only Centers of Excellence" in html
    assert other.slug not in html and other.name not in html
    # A moderator reads every cohort's threads, but asks only into their own.
    moderator_page = signed_in(make_moderator()).get(reverse("forum:ask")).content.decode()
    assert cohort.slug not in moderator_page


def test_ask_in_this_cohort_chooses_the_cohort_and_only_ones_own(insider, outsider, cohort):
    url = reverse("forum:ask") + f"?cohort={cohort.slug}"
    html = signed_in(insider).get(url).content.decode()
    assert f'value="cohort:{cohort.slug}" id="id_visibility_2" checked' in html
    html = signed_in(outsider).get(url).content.decode()
    assert cohort.slug not in html
    assert 'value="members" id="id_visibility_0" checked' in html


def test_a_member_asks_into_their_cohort(insider, cohort):
    response = ask_form(insider, visibility=f"cohort:{cohort.slug}")
    assert response.status_code == 302
    question = Question.objects.get(title__contains=WORD)
    assert (question.visibility, question.cohort) == (Visibility.COHORT, cohort)
    assert audience.of_thread(question) == audience.cohort_audience(cohort.pk)


def test_asking_into_someone_elses_cohort_is_refused_beside_the_field(outsider, cohort):
    response = ask_form(outsider, visibility=f"cohort:{cohort.slug}")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert WORD in response.content.decode()  # what was typed is kept
    assert not Question.objects.filter(title__contains=WORD).exists()


@pytest.mark.parametrize("who", ["outsider", "moderator", "former"])
def test_the_service_asks_only_into_a_cohort_the_asker_belongs_to(who, outsider, cohort):
    former_office = find_jurisdiction(state="WI")
    cohort.offices.create(jurisdiction=former_office, source=Source.COORDINATOR)
    remove_office(cohort, former_office)
    people = {
        "outsider": outsider,
        "moderator": make_moderator(),
        "former": make_official(jurisdiction=former_office),
    }
    with pytest.raises(ForumError):
        ask(people[who], visibility=Visibility.COHORT, cohort=cohort)
    assert not Question.objects.filter(cohort=cohort).exists()


@pytest.mark.parametrize(
    ("visibility", "with_cohort"),
    [(Visibility.COHORT, False), (Visibility.MEMBERS, True), (Visibility.PUBLIC, True)],
)
def test_a_cohort_goes_with_the_cohort_audience_alone(insider, cohort, visibility, with_cohort):
    with pytest.raises(ForumError):
        ask(insider, visibility=visibility, cohort=cohort if with_cohort else None)


def test_an_expert_added_to_the_cohort_reads_but_does_not_ask(insider, cohort):
    expert = make_expert()
    cohort.experts.create(user=expert)
    thread = ask(insider, visibility=Visibility.COHORT, cohort=cohort)
    assert audience.may_read(expert, thread)
    with pytest.raises(PermissionDenied):
        ask(expert, visibility=Visibility.COHORT, cohort=cohort)


def test_editing_keeps_the_audience(insider, cohort):
    thread = ask(insider, visibility=Visibility.COHORT, cohort=cohort)
    assert "visibility" not in QuestionEditForm(instance=thread).fields
    response = signed_in(insider).post(
        reverse("forum:edit_question", args=[thread.pk]),
        {
            "title": thread.title,
            "body": thread.body + " More detail.",
            "topics": [topic.pk for topic in topics(1)],
            "states": ["AZ"],
            "reason": "More detail.",
            "visibility": Visibility.PUBLIC,
        },
    )
    assert response.status_code == 302
    stored = reload(thread)
    assert (stored.visibility, stored.cohort_id) == (Visibility.COHORT, cohort.pk)


# A moderator's change of audience --------------------------------------------------------


def test_a_moderator_moves_a_thread_into_a_cohort_and_out_again(insider, outsider, cohort):
    moderator = make_moderator()
    thread = ask(outsider, visibility=Visibility.PUBLIC)
    page = signed_in(moderator).get(reverse("forum:moderate", args=[thread.pk]))
    assert f'value="cohort:{cohort.slug}"' in page.content.decode()
    response = signed_in(moderator).post(
        reverse("forum:audience", args=[thread.pk]),
        {"audience-visibility": f"cohort:{cohort.slug}", "audience-reason": "Cohort work."},
    )
    assert response.status_code == 302
    stored = reload(thread)
    assert (stored.visibility, stored.cohort_id) == (Visibility.COHORT, cohort.pk)
    assert audience.may_read(insider, stored) and not audience.may_read(outsider, stored)
    moderate = signed_in(moderator).get(reverse("forum:moderate", args=[thread.pk]))
    assert "Only Centers of Excellence." in moderate.content.decode()

    again = signed_in(moderator).post(
        reverse("forum:audience", args=[thread.pk]),
        {"audience-visibility": f"cohort:{cohort.slug}", "audience-reason": "Again."},
    )
    assert "The thread has this audience already." in again.content.decode()
    services.change_audience(
        question=reload(thread), visibility=Visibility.MEMBERS, by=moderator, reason="Wider."
    )
    stored = reload(thread)
    assert (stored.visibility, stored.cohort_id) == (Visibility.MEMBERS, None)
    entries = ModelLogEntry.objects.filter(
        object_id=str(thread.pk), action="canvass.forum.audience"
    ).order_by("pk")
    assert [(entry.data["from"], entry.data["to"]) for entry in entries] == [
        (Visibility.PUBLIC, audience.cohort_audience(cohort.pk)),
        (audience.cohort_audience(cohort.pk), Visibility.MEMBERS),
    ]


def test_an_audience_change_between_cohorts_needs_the_cohort(insider, cohort):
    thread = ask(insider, visibility=Visibility.COHORT, cohort=cohort)
    other = make_cohort("Other cohort", offices=[find_jurisdiction(state="WI")])
    moderator = make_moderator()
    with pytest.raises(ForumError):
        services.change_audience(
            question=thread, visibility=Visibility.COHORT, by=moderator, reason="Moved."
        )
    services.change_audience(
        question=thread, visibility=Visibility.COHORT, cohort=other, by=moderator, reason="Moved."
    )
    assert reload(thread).cohort_id == other.pk
    assert not audience.may_read(insider, reload(thread))


# Showing the audience --------------------------------------------------------------------


def test_lists_and_the_thread_name_the_cohort(client, insider, cohort, django_assert_num_queries):
    thread = ask(insider, title=f"Our {WORD} seal log", visibility=Visibility.COHORT, cohort=cohort)
    client.force_login(insider)
    listing = client.get(reverse("forum:questions")).content.decode()
    assert "Only Centers of Excellence" in listing
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Only Centers of Excellence" in page
    # The cohort's name comes with the rows: no query per cohort thread.
    for number in range(3):
        ask(
            insider, visibility=Visibility.COHORT, cohort=cohort, title=f"More seals, case {number}"
        )
    with django_assert_num_queries(3):  # the rows with their cohorts, the topics, the states
        rows = list(Question.objects.filter(cohort=cohort).for_listing())
        assert [row.cohort.name for row in rows] == [cohort.name] * 4


# The cohort space's threads panel ---------------------------------------------------------


def _panels(person, cohort) -> str:
    """The forum's panel in the cohort's space, as this person sees it."""
    assert cohort_threads in hooks.get_hooks(COHORT_PANELS)
    request = RequestFactory().get("/")
    request.user = person
    return cohort_threads(request, cohort)


def test_the_threads_panel_lists_the_cohorts_threads_the_reader_may_read(
    insider, cohort, django_assert_max_num_queries
):
    mine = ask(insider, title=f"Cohort {WORD} thread", visibility=Visibility.COHORT, cohort=cohort)
    elsewhere = ask(insider, title="A members-only thread elsewhere", visibility=Visibility.MEMBERS)
    hidden = ask(
        insider, title="A hidden cohort thread here", visibility=Visibility.COHORT, cohort=cohort
    )
    moderator = make_moderator()
    services.hide_post(post=hidden, by=moderator)
    reader = make_official(jurisdiction=insider.jurisdiction)
    load_roles([reader])  # as the space's own check of the reader has
    with django_assert_max_num_queries(3):  # the reader's cohorts, the threads, may ask here
        html = _panels(reader, cohort)
    assert mine.title in html
    assert elsewhere.title not in html and hidden.title not in html
    assert f"{reverse('forum:ask')}?cohort={cohort.slug}" in html
    as_moderator = _panels(moderator, cohort)
    assert mine.title in as_moderator and hidden.title in as_moderator
    assert "Ask in this cohort" not in as_moderator  # moderators ask only into their own


# Doors that must keep a cohort thread from non-members ------------------------------------


def test_similar_questions_on_the_ask_page_only_for_members(insider, outsider, cohort):
    thread = ask(
        insider,
        title=f"Where do you keep {WORD} seals?",
        visibility=Visibility.COHORT,
        cohort=cohort,
    )
    with fresh_index():
        for person, shown in [(insider, True), (outsider, False), (make_moderator(), True)]:
            found = signed_in(person).get(reverse("search:similar"), {"title": f"{WORD} seals"})
            assert (thread.title in json.dumps(found.json())) is shown


def test_a_guides_qa_excerpt_of_a_cohort_thread_only_for_members(client, insider, cohort):
    other = make_official(jurisdiction=insider.jurisdiction)
    question, reply = solved_thread(insider, other)
    services.change_audience(
        question=question,
        visibility=Visibility.COHORT,
        cohort=cohort,
        by=make_moderator(),
        reason="Cohort work.",
    )
    body = [("qa_excerpt", {"question": question.pk, "note": ""})]
    guide = make_guide("Guide quoting a cohort thread", body=body)
    for person, shown in [(None, False), (make_official(state="OH"), False), (other, True)]:
        if person is not None:
            client.force_login(person)
        html = client.get(guide.url).content.decode()
        assert (reply.body_html in html) is shown
        assert (question.get_absolute_url() in html) is shown


def test_promoting_a_cohort_thread_needs_a_moderators_confirmation(insider, cohort):
    other = make_official(jurisdiction=insider.jurisdiction)
    question, _ = solved_thread(insider, other)
    moderator = make_moderator()
    services.change_audience(
        question=question,
        visibility=Visibility.COHORT,
        cohort=cohort,
        by=moderator,
        reason="Cohort work.",
    )
    question = reload(question)
    assert promotion.needs_public_confirmation(question)
    editor = make_editor()
    assert not promotion.promotable_questions(editor).filter(pk=question.pk).exists()
    editor_moderator = make_moderator()
    grant_role(user=editor_moderator, role=roles.EDITORS)
    with pytest.raises(PromotionError):
        promotion.promote_to_guide(question=question, editor=editor_moderator)
    guide = promotion.promote_to_guide(
        question=question, editor=editor_moderator, confirm_public=True
    )
    assert guide.title == question.title


def test_the_export_names_a_cohort_thread_only_while_the_member_may_read_it(
    insider, office, cohort
):
    thread = ask(
        insider, title=f"Cohort {WORD} export", visibility=Visibility.COHORT, cohort=cohort
    )
    peer = make_official(jurisdiction=office)
    answer(thread, peer, body="Our own words about seals, kept in the export.")

    def rows():
        client = signed_in(peer)
        return json.loads(client.get(reverse("accounts:export", args=["json"])).content)["posts"]

    assert [row["question_title"] for row in rows()] == [thread.title]
    remove_office(cohort, office)
    exported = rows()
    assert [row["question_title"] for row in exported] == [""]
    assert "Our own words about seals" in exported[0]["body"]


def test_email_about_a_cohort_thread_carries_its_title_only(insider, cohort):
    thread = ask(insider, visibility=Visibility.COHORT, cohort=cohort)
    assert audience.email_detail(thread) == audience.TITLE
    assert not audience.is_public(thread)
    assert not audience.may_read(AnonymousUser(), thread)
    assert not audience.may_read(make_member(), thread)


# Bylines: the office's size and its cohorts' badges ---------------------------------------


def test_bylines_show_the_size_band_and_badges_where_the_office_shows(client, office):
    office.size_band = SizeBand.VERY_LARGE
    office.save(update_fields=["size_band"])
    cohort = make_cohort("Centers of Excellence", offices=[office], badge="Center 2026")
    asker = make_official(jurisdiction=office)
    thread = ask(asker, title=f"How do you test {WORD} scanners?", visibility=Visibility.PUBLIC)
    hidden_office = ask(
        make_official(jurisdiction=office, show_jurisdiction=False),
        title="Asked by someone who hides their office",
        visibility=Visibility.PUBLIC,
    )
    anonymous = ask(
        make_official(jurisdiction=office),
        title="Asked without a name from a large office",
        visibility=Visibility.PUBLIC,
        is_anonymous=True,
    )
    size = str(SizeBand.VERY_LARGE.label)
    badge = f'href="{reverse("cohorts:cohort", args=[cohort.slug])}">Center 2026</a>'

    def bylines(html: str, question) -> str:
        return html.split(question.title)[1][:1500]

    visitor_page = client.get(thread.get_absolute_url()).content.decode()
    assert size not in visitor_page and "Center 2026" not in visitor_page
    client.force_login(make_official(state="OH"))
    page = client.get(thread.get_absolute_url()).content.decode()
    assert f"{office} ({size})" in page and badge in page
    listing = client.get(reverse("forum:questions")).content.decode()
    assert size in bylines(listing, thread) and badge in bylines(listing, thread)
    for question in (hidden_office, anonymous):
        shown = bylines(listing, question).split("</li>")[0]
        assert size not in shown and "Center 2026" not in shown

    # A badge withdrawn: the cached question page draws its bylines again.
    Cohort.objects.filter(pk=cohort.pk).update(show_badge=False, badge_label="")
    badges.changed()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert f"{office} ({size})" in page and "Center 2026" not in page


# The asker's office size, in the list and in search ----------------------------------------


def test_the_list_and_search_filter_by_the_askers_office_size_for_signed_in_readers(client):
    large = find_jurisdiction(state="AZ")
    small = find_jurisdiction(state="WI")
    Jurisdiction.objects.filter(pk=large.pk).update(size_band=SizeBand.VERY_LARGE)
    Jurisdiction.objects.filter(pk=small.pk).update(size_band=SizeBand.SMALL)
    big = ask(
        make_official(jurisdiction=reload(large)),
        title=f"Large office {WORD} staffing plans",
        visibility=Visibility.PUBLIC,
    )
    little = ask(
        make_official(jurisdiction=reload(small)),
        title=f"Small office {WORD} staffing plans",
        visibility=Visibility.PUBLIC,
    )
    nameless = ask(
        make_official(jurisdiction=reload(large)),
        title=f"Nameless {WORD} staffing plans",
        visibility=Visibility.PUBLIC,
        is_anonymous=True,
    )
    band = {"band": SizeBand.VERY_LARGE.value}
    search = reverse("search:search")
    with fresh_index():
        # Visitors see no offices: no filter, no facet, and the parameter does nothing.
        listing = client.get(reverse("forum:questions"), band).content.decode()
        assert 'name="band"' not in listing
        assert all(q.title in listing for q in (big, little, nameless))
        found = client.get(search, {"q": WORD, **band}).content.decode()
        assert 'name="band"' not in found and "office size" not in found
        assert all(q.get_absolute_url() in found for q in (big, little, nameless))

        client.force_login(make_official(state="OH"))
        listing = client.get(reverse("forum:questions"), band).content.decode()
        assert 'name="band"' in listing
        assert big.title in listing
        assert little.title not in listing and nameless.title not in listing
        found = client.get(search, {"q": WORD}).content.decode()
        facet = found.split("Asker's office size</h3>")[1].split("</ul>")[0]
        assert f"{SizeBand.VERY_LARGE.label}</a> (1)" in facet  # not the nameless question
        assert f"{SizeBand.SMALL.label}</a> (1)" in facet
        found = client.get(search, {"q": WORD, **band}).content.decode()
        assert big.get_absolute_url() in found
        assert little.get_absolute_url() not in found
        assert nameless.get_absolute_url() not in found
