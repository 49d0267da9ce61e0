import io
from pathlib import Path

import docx as python_docx
import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Jurisdiction, JurisdictionKind, User
from cohorts import membership
from cohorts.models import ChangeKind, Cohort, DocumentVersion, MembershipChange, Source
from demo.cohorts import CENTERS_THREADS, DEMO_COHORTS, NETWORK_THREADS, load_cohorts
from demo.people import DEMO_PEOPLE
from forum.models import Answer, Question, Visibility
from tests.factories import make_official

pytestmark = pytest.mark.django_db

CENTERS = "centers-for-election-excellence-2026"
NETWORK = "large-jurisdictions-network"
DEMO_OFFICES = {p.jurisdiction_slug for p in DEMO_PEOPLE if p.jurisdiction_slug}


def emails(users) -> set[str]:
    return {user.email for user in users}


def offices(cohort: Cohort) -> set[str]:
    return set(cohort.offices.values_list("jurisdiction__slug", flat=True))


def cohort_threads(slug: str):
    return Question.objects.filter(cohort__slug=slug)


def test_the_centers_cohort_is_the_six_demo_offices_with_its_badge_coordinator_and_expert():
    cohort = Cohort.objects.get(slug=CENTERS)
    assert cohort.name == "Centers for Election Excellence 2026"
    assert cohort.is_listed and cohort.show_badge
    assert cohort.badge_label == "Center for Election Excellence"
    assert not cohort.has_rule
    assert offices(cohort) == DEMO_OFFICES and len(DEMO_OFFICES) == 6
    assert emails(c.user for c in cohort.coordinators.all()) == {"grace.okafor@demo.example"}
    assert emails(e.user for e in cohort.experts.all()) == {"priya.raman@demo.example"}
    # The five verified officials and the expert; Jordan Lee's office is in, but he is not
    # verified yet.
    verified = {p.email for p in DEMO_PEOPLE if p.verified}
    assert emails(membership.members(cohort)) == verified | {"priya.raman@demo.example"}
    # Each office's joining is on the record coordinators read.
    added = MembershipChange.objects.filter(cohort=cohort, change=ChangeKind.ADDED)
    assert set(added.values_list("jurisdiction__slug", flat=True)) == DEMO_OFFICES
    assert set(added.values_list("source", flat=True)) == {Source.COORDINATOR}


def test_the_network_is_every_office_its_rule_takes():
    cohort = Cohort.objects.get(slug=NETWORK)
    assert cohort.is_listed and not cohort.show_badge
    assert (cohort.rule_min_population, cohort.rule_top_in_state) == (250_000, 4)
    local = Jurisdiction.objects.exclude(kind=JurisdictionKind.STATE)
    large = set(local.filter(population__gte=250_000).values_list("slug", flat=True))
    assert large <= offices(cohort)
    assert set(cohort.offices.values_list("source", flat=True)) == {Source.RULE}
    # The four largest local offices of a state without one of 250,000 people.
    vermont = local.filter(state_abbr="VT", population__isnull=False).order_by("-population")
    assert set(vermont.values_list("slug", flat=True)[:4]) <= offices(cohort)
    assert not set(vermont.values_list("slug", flat=True)[4:]) & offices(cohort)
    # Of the demo offices: the large ones, not Petroleum County or Hanover.
    assert DEMO_OFFICES & offices(cohort) == {
        "az-maricopa-county",
        "oh-franklin-county",
        "wi-city-of-madison-dane-county",
        "co-boulder-county",
    }
    assert emails(membership.members(cohort)) == {
        "maria.alvarez@demo.example",
        "dana.whitfield@demo.example",
        "grace.okafor@demo.example",
    }
    assert emails(c.user for c in cohort.coordinators.all()) == {"maria.alvarez@demo.example"}


@pytest.mark.parametrize(
    ("slug", "threads"), [(CENTERS, CENTERS_THREADS), (NETWORK, NETWORK_THREADS)]
)
def test_cohort_threads_are_cohort_only_written_by_members_and_dated_within_the_cohort(
    slug, threads
):
    cohort = Cohort.objects.get(slug=slug)
    found = cohort_threads(slug)
    assert set(found.values_list("title", flat=True)) == {t.title for t in threads}
    assert set(found.values_list("visibility", flat=True)) == {Visibility.COHORT}
    members = set(membership.members(cohort).values_list("pk", flat=True))
    answers = Answer.objects.filter(question__in=found)
    assert answers.count() == sum(len(t.answers) for t in threads)
    assert set(found.values_list("author", flat=True)) <= members
    assert set(answers.values_list("author", flat=True)) <= members
    assert all(q.accepted_answer_id for q in found)
    now = timezone.now()
    for question in found:
        assert cohort.created_at < question.created_at < now
        assert question.created_at <= question.last_activity_at < now


@pytest.mark.parametrize("slug", [CENTERS, NETWORK])
def test_cohort_threads_reach_members_alone(client, slug):
    cohort = Cohort.objects.get(slug=slug)
    member = membership.members(cohort).filter(verified_until__isnull=False).first()
    outsider = make_official(jurisdiction=Jurisdiction.objects.get(slug="mt-garfield-county"))
    titles = set(cohort_threads(slug).values_list("title", flat=True))
    assert titles <= set(Question.objects.visible_to(member).values_list("title", flat=True))
    for reader in (AnonymousUser(), outsider):
        assert not titles & set(Question.objects.visible_to(reader).values_list("title", flat=True))

    question = cohort_threads(slug).first()
    assert client.get(question.get_absolute_url()).status_code == 404
    client.force_login(outsider)
    assert client.get(question.get_absolute_url()).status_code == 404
    client.force_login(member)
    assert client.get(question.get_absolute_url()).status_code == 200


def test_a_demo_official_outside_the_network_does_not_read_its_threads():
    tom = User.objects.get(email="tom.becker@demo.example")
    readable = set(Question.objects.visible_to(tom).values_list("cohort__slug", flat=True))
    assert CENTERS in readable
    assert NETWORK not in readable


@pytest.mark.parametrize(
    ("slug", "filename", "content_type"),
    [
        (
            CENTERS,
            "after-action-review-template.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (NETWORK, "central-count-staffing-worksheet.pdf", "application/pdf"),
    ],
)
def test_each_cohort_shares_a_document_stored_outside_the_media_root(slug, filename, content_type):
    document = Cohort.objects.get(slug=slug).documents.get()
    version = document.versions.get()
    assert (version.filename, version.content_type) == (filename, content_type)
    path = Path(version.file.path).resolve()
    assert path.is_relative_to(Path(settings.CANVASS_PRIVATE_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    # Under a random name, neither the document's nor its file's.
    assert filename.rsplit(".", 1)[0] not in version.file.name
    assert path.stat().st_size == version.size
    with version.file.open("rb") as handle:
        data = handle.read()
    if filename.endswith(".pdf"):
        assert data.startswith(b"%PDF")
    else:
        assert python_docx.Document(io.BytesIO(data)).core_properties.title == document.title


def test_loading_again_adds_nothing_and_keeps_what_coordinators_changed():
    centers = Cohort.objects.get(slug=CENTERS)
    centers.offices.filter(jurisdiction__slug="nh-hanover").delete()
    centers.description = "Edited by the coordinator."
    centers.save()
    before = (
        Cohort.objects.count(),
        Question.objects.count(),
        Answer.objects.count(),
        DocumentVersion.objects.count(),
    )

    assert load_cohorts() == {"cohorts": 0, "cohort threads": 0, "cohort documents": 0}

    after = (
        Cohort.objects.count(),
        Question.objects.count(),
        Answer.objects.count(),
        DocumentVersion.objects.count(),
    )
    assert after == before
    centers.refresh_from_db()
    assert centers.description == "Edited by the coordinator."
    assert "nh-hanover" not in offices(centers)


def test_load_demo_prints_the_cohorts_and_the_demo_accounts_in_them():
    out = io.StringIO()
    call_command("load_demo", verbosity=1, stdout=out)
    printed = out.getvalue()
    assert "0 cohorts added, 0 cohort threads added, 0 cohort documents added" in printed
    cohorts = printed.split("Demo cohorts")[1]
    for data in DEMO_COHORTS:
        assert f"/cohorts/{data.slug}/" in cohorts
    centers, network = cohorts.split("Large Jurisdictions Network")
    assert "grace.okafor@demo.example      coordinator" in centers
    assert "priya.raman@demo.example       expert" in centers
    assert "jordan.lee@demo.example        office is a member; belongs once verified" in centers
    assert "maria.alvarez@demo.example     coordinator" in network
    assert "tom.becker@demo.example" not in network
