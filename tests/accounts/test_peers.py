"""Peers by size: the size bands, `load_population` (against tests/fixtures/
jurisdiction_population.csv, which the reference data loads) and "Offices like mine"."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts import peers, services
from accounts.models import Jurisdiction, SizeBand, User
from accounts.signals import offices_changed
from accounts.sizes import band_of
from tests.content import FIXTURES
from tests.factories import find_jurisdiction, make_expired_official, make_member, make_official

pytestmark = pytest.mark.django_db

URL = reverse("offices:like_mine")
POPULATION_FILE = FIXTURES / "jurisdiction_population.csv"
HEADER = (
    "jurisdiction_id,population,population_year,population_source,registered_voters,"
    "registered_voters_year,registered_voters_source\n"
)


@pytest.mark.parametrize(
    ("population", "band"),
    [
        (None, ""),
        (0, SizeBand.SMALL),
        (9_999, SizeBand.SMALL),
        (10_000, SizeBand.MEDIUM),
        (49_999, SizeBand.MEDIUM),
        (50_000, SizeBand.LARGE),
        (249_999, SizeBand.LARGE),
        (250_000, SizeBand.VERY_LARGE),
        (999_999, SizeBand.VERY_LARGE),
        (1_000_000, SizeBand.LARGEST),
        (40_000_000, SizeBand.LARGEST),
    ],
)
def test_bands_start_at_their_threshold(population, band):
    assert band_of(population) == band


# ---- load_population -------------------------------------------------------------------


def figures(slug: str) -> tuple:
    office = Jurisdiction.objects.get(slug=slug)
    return office.population, office.registered_voters, office.size_band


def load(file, capture) -> str:
    output = io.StringIO()
    with capture(execute=True):
        call_command("load_population", file=file, stdout=output)
    return output.getvalue()


@pytest.fixture
def announced():
    """The offices_changed signals sent (after commit) while the test runs."""
    sent = []

    def receiver(sender, **kwargs):
        sent.append(sender)

    offices_changed.connect(receiver)
    yield sent
    offices_changed.disconnect(receiver)


def test_the_reference_data_carries_the_fixtures_figures_and_bands():
    assert figures("az-maricopa-county") == (4_673_096, 3_063_444, SizeBand.LARGEST)
    assert figures("nh-hampstead") == (9_156, 6_874, SizeBand.SMALL)
    # EAVS reports Wisconsin by municipality: a county clerk has a population, no voters.
    assert figures("wi-dane-county") == (588_347, None, SizeBand.VERY_LARGE)
    # The fixture leaves Wyoming out: no figure, no band.
    assert figures("wy-laramie-county") == (None, None, "")


def test_loading_again_changes_nothing_announces_nothing_and_counts(
    django_capture_on_commit_callbacks, announced
):
    output = load(POPULATION_FILE, django_capture_on_commit_callbacks)
    assert output == (
        "Office sizes: 42 offices matched, 2 without a figure, 1 unknown ids in the file; "
        "0 changed.\n"
    )
    assert announced == []


def test_new_figures_replace_old_ones_and_offices_without_a_row_lose_theirs(
    tmp_path, django_capture_on_commit_callbacks, announced
):
    file = tmp_path / "population.csv"
    file.write_text(
        HEADER
        + "az-maricopa-county,900000,2024,census-pep-county-2024,,,\n"
        + "wy-laramie-county,101783,2024,census-pep-county-2024,47711,2024,eac-eavs-2024-v1\n"
    )
    output = load(file, django_capture_on_commit_callbacks)
    assert "2 offices matched, 42 without a figure, 0 unknown ids" in output
    assert figures("az-maricopa-county") == (900_000, None, SizeBand.VERY_LARGE)
    assert figures("wy-laramie-county") == (101_783, 47_711, SizeBand.LARGE)
    assert figures("az-pima-county") == (None, None, "")
    assert announced == [Jurisdiction]


def test_load_jurisdictions_announces_a_change_to_the_directory(
    tmp_path, django_capture_on_commit_callbacks, announced
):
    offices = (FIXTURES / "election_offices.csv").read_text()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_jurisdictions", file=FIXTURES / "election_offices.csv", verbosity=0)
    assert announced == []
    file = tmp_path / "offices.csv"
    file.write_text(
        offices + "tx-harrison-county,TX,48,Harrison County,county,48203,Harrison County,"
        "4820300000,yes,us-4.0.0,\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_jurisdictions", file=file, verbosity=0)
    assert announced == [Jurisdiction]


# ---- offices like mine -----------------------------------------------------------------


def main(response) -> str:
    """The page's content, without the header (which names the viewer)."""
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def office(slug: str) -> Jurisdiction:
    return find_jurisdiction(slug)


def peer(slug: str, name: str, **fields) -> User:
    """A verified official of ``slug`` who agreed to be contacted by peers."""
    fields.setdefault("contact_by_peers", True)
    return make_official(jurisdiction=office(slug), display_name=name, **fields)


def test_visitors_sign_in_and_people_who_are_not_verified_officials_are_told_why(client):
    assert client.get(URL)["Location"].startswith(reverse("account_login"))
    for person in (make_member(), make_expired_official(), peer("az-pima-county", "Off Duty")):
        User.objects.filter(pk=person.pk).update(verified_until=None)
        client.force_login(person)
        response = client.get(URL)
        assert response.status_code == 403
        assert "is for verified election officials" in response.content.decode()


def test_offices_of_the_same_band_and_kind_in_the_state_and_nationally(client):
    client.force_login(make_official())  # Maricopa County, AZ: a county of over 1 million
    response = client.get(URL)
    assert response.status_code == 200
    found = response.context["peers"]
    assert [p.office.slug for p in found.in_state] == ["az-pima-county"]
    # Nearest in population to Maricopa's 4.67 million first.
    assert [p.office.slug for p in found.national] == [
        "tx-harris-county",
        "pa-philadelphia-county",
        "tx-travis-county",
        "oh-franklin-county",
        "oh-cuyahoga-county",
        "pa-allegheny-county",
    ]
    page = response.content.decode()
    assert "Pima County, AZ" in page
    assert "1,080,149" in page  # Census figures are public: shown here, never in bylines
    assert "Apache County" not in page  # another band
    assert "Arizona state election office" not in page  # another kind
    assert "Maricopa County, AZ (county) that serve over 1 million people" in page


def test_only_verified_officials_who_opted_in_are_listed_and_never_their_email(client):
    listed = peer("az-pima-county", "Listed Pima", job_title="Elections director")
    private_title = peer(
        "tx-harris-county", "Listed Harris", job_title="Secret title", show_job_title=False
    )
    peer("az-pima-county", "Not Opted In", contact_by_peers=False)
    make_expired_official(
        jurisdiction=office("az-pima-county"), display_name="Expired Pima", contact_by_peers=True
    )
    gone = peer("az-pima-county", "Deleted Pima")
    services.delete_account(user=gone)
    inactive = peer("az-pima-county", "Inactive Pima")
    User.objects.filter(pk=inactive.pk).update(is_active=False)
    peer("az-apache-county", "Other Band")
    viewer = make_official(contact_by_peers=True, display_name="Viewer Maricopa")
    colleague = peer("az-maricopa-county", "Colleague Maricopa")
    client.force_login(viewer)
    page = main(client.get(URL))
    assert "Listed Pima" in page and "Elections director" in page
    assert reverse("people:person", args=[listed.pk]) in page
    assert "Listed Harris" in page and "Secret title" not in page
    assert reverse("people:person", args=[private_title.pk]) in page
    for absent in (
        "Not Opted In",
        "Expired Pima",
        "Deleted Pima",
        "A former member",
        "Inactive Pima",
        "Other Band",
        "Viewer Maricopa",
        colleague.display_name,  # one's own office is not a peer
    ):
        assert absent not in page
    assert "@test.example" not in page


def test_an_office_without_a_figure_has_no_peers(client):
    client.force_login(make_official(jurisdiction=office("wy-laramie-county")))
    response = client.get(URL)
    assert response.context["peers"] is None
    assert "We have no population figure for Laramie County, WY" in response.content.decode()


def test_nationally_only_the_nearest_are_listed_with_a_note(client, monkeypatch):
    monkeypatch.setattr(peers, "SHOWN", 2)
    client.force_login(make_official())
    response = client.get(URL)
    assert [p.office.slug for p in response.context["peers"].national] == [
        "tx-harris-county",
        "pa-philadelphia-county",
    ]
    assert "The 2 offices nearest to yours in population." in response.content.decode()


def test_the_page_costs_the_same_queries_however_many_people_are_listed(
    client, django_assert_num_queries
):
    client.force_login(make_official())
    peer("az-pima-county", "First Peer")

    def queries() -> None:
        client.get(URL)  # the navigation and the unread count are cached from here on
        # The session, the person, their office, the offices in the state, those
        # elsewhere, the people listed; the person's groups and cohorts (which key the
        # header's cached unread count).
        with django_assert_num_queries(8):
            assert client.get(URL).status_code == 200

    queries()
    for number in range(8):
        slug = ["az-pima-county", "tx-harris-county", "oh-franklin-county"][number % 3]
        peer(slug, f"Peer {number}")
    queries()


def test_the_profile_form_turns_contact_by_peers_on_and_links_the_page(client):
    official = make_official(display_name="Pat Clerk")
    client.force_login(official)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'name="contact_by_peers"' in page
    assert URL in page
    response = client.post(
        reverse("accounts:profile"),
        {"display_name": "Pat Clerk", "show_jurisdiction": "on", "contact_by_peers": "on"},
    )
    assert response.status_code == 302
    official.refresh_from_db()
    assert official.contact_by_peers
    client.force_login(make_member())
    assert URL not in client.get(reverse("accounts:profile")).content.decode()
