from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from wagtail.documents.models import Document
from wagtail.models import Page, Revision, Site, Workflow, WorkflowPage

from accounts import roles
from accounts.models import DotGovDomain, Jurisdiction, User
from cms import editorial
from cms.models import (
    EventPage,
    GuidePage,
    HomeFeaturedGuide,
    HomePage,
    StandardPage,
    ToolkitPage,
    ToolkitTemplate,
    TopicPage,
)
from demo.people import DEMO_PASSWORD, DEMO_PEOPLE
from forum.models import Topic

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "jurisdictions": Jurisdiction.objects.count(),
        "topics": Topic.objects.count(),
        "users": User.objects.count(),
        "emails": EmailAddress.objects.count(),
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "documents": Document.objects.count(),
        "featured": HomeFeaturedGuide.objects.count(),
        "toolkit templates": ToolkitTemplate.objects.count(),
    }


def test_demo_content_is_loaded():
    assert Jurisdiction.objects.count() == 8063
    assert Topic.objects.count() == 35
    # The 14 guides of data/demo/guides.jsonl and the one promoted from a demo thread.
    assert GuidePage.objects.live().count() == 15
    assert GuidePage.objects.live().filter(source_question__isnull=False).count() == 1
    assert ToolkitPage.objects.live().count() == 2
    assert EventPage.objects.live().count() == 5
    assert TopicPage.objects.live().count() == Topic.objects.count()
    assert set(StandardPage.objects.live().values_list("slug", flat=True)) == {
        "about",
        "code-of-conduct",
        "privacy",
        "accessibility",
    }
    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk


def test_loading_again_adds_nothing_and_keeps_edits():
    guide = GuidePage.objects.get(slug="rla")
    guide.title = "Risk-limiting audits, edited by an editor"
    guide.save_revision().publish()
    event = EventPage.objects.get(slug="rla-in-practice-webinar")
    event.summary = "Edited by an editor."
    event.save_revision().publish()
    home = HomePage.objects.get()
    home.featured.filter(guide__slug="rla").delete()
    before = counts()

    call_command("load_demo", verbosity=0)

    assert counts() == before
    guide.refresh_from_db()
    assert guide.title == "Risk-limiting audits, edited by an editor"
    event.refresh_from_db()
    assert event.summary == "Edited by an editor."


def test_the_shipped_registry_is_loaded():
    assert DotGovDomain.objects.count() > 16000
    assert DotGovDomain.objects.get(domain="albiontwpmi.gov").is_election_office


def test_load_demo_sets_up_the_editorial_workflow():
    """`load_demo` runs `setup_editorial`, so `make run` and the e2e server have it."""
    Workflow.objects.filter(name=editorial.WORKFLOW_NAME).delete()
    call_command("load_demo", verbosity=0)
    assert WorkflowPage.objects.filter(
        page=HomePage.objects.get(), workflow__name=editorial.WORKFLOW_NAME
    ).exists()


def test_load_demo_prints_what_it_added():
    out = StringIO()
    call_command("load_demo", verbosity=1, stdout=out)
    for name in ("guides", "toolkits", "documents", "events", "topic pages"):
        assert f"0 {name} added" in out.getvalue()


def test_guides_carry_topics_and_sources():
    guide = GuidePage.objects.get(slug="chain-of-custody")
    assert set(guide.topics.values_list("slug", flat=True)) == {
        "chain-of-custody",
        "physical-security",
        "post-election-audits",
    }
    assert guide.source_url == "https://www.eac.gov"
    assert guide.source_title == "Chain of Custody Best Practices, v1.1, July 2021"
    assert guide.publisher == "U.S. Election Assistance Commission"


def test_demo_people_can_sign_in_with_their_roles():
    for person in DEMO_PEOPLE:
        user = User.objects.get(email=person.email)
        assert user.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.get(user=user).verified
        assert user.is_verified_official == person.verified
        groups = set(user.groups.values_list("name", flat=True))
        assert groups == ({person.role} if person.role else set())
        assert user.is_superuser == person.superuser


def test_demo_officials_come_from_offices_of_different_states_and_sizes():
    officials = User.objects.filter(verified_until__isnull=False).select_related("jurisdiction")
    kinds = {u.jurisdiction.kind for u in officials}
    states = {u.jurisdiction.state_abbr for u in officials}
    assert {"county", "municipality"} <= kinds
    assert len(states) >= 4
    assert User.objects.filter(groups__name=roles.EXPERTS).exists()
