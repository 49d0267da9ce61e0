"""The office search shared by the verification page and its type-ahead, and the type-ahead's
JSON endpoint, over the offices the test database holds (tests/fixtures/election_offices.csv)."""

import pytest
from django.urls import reverse

from accounts.forms import OfficeSearchForm
from accounts.offices import OFFICES_SUGGESTED, search_offices
from tests.factories import find_jurisdiction, make_member

pytestmark = pytest.mark.django_db

URL = reverse("accounts:offices")


@pytest.fixture
def member_client(client):
    client.force_login(make_member())
    return client


def _rank(name: str, query: str) -> int:
    name, query = name.lower(), query.lower()
    if name.startswith(query):
        return 0
    return 1 if f" {query}" in name else 2


def _labels(response) -> list[str]:
    assert response.status_code == 200
    return [office["label"] for office in response.json()["results"]]


@pytest.mark.parametrize(("state", "query"), [("", "hamp"), ("WI", "mari"), ("NH", "Ham")])
def test_names_that_start_with_the_query_come_first_then_words_then_the_rest(state, query):
    offices = list(search_offices(state=state, query=query))
    ranks = [_rank(office.name, query) for office in offices]
    assert set(ranks) == {0, 1, 2}
    assert ranks == sorted(ranks)
    for office in offices:
        assert query.lower() in f"{office.name} {office.county_name}".lower()


def test_the_search_matches_county_names_case_insensitively():
    offices = list(search_offices(state="WI", query="MARINETTE"))
    assert [str(office) for office in offices[:2]] == [
        "Marinette County, WI",
        "City of Marinette (Marinette County), WI",
    ]
    assert "Town of Amberg (Marinette County), WI" in [str(office) for office in offices]
    assert {office.state_abbr for office in offices} == {"WI"}


def test_the_page_without_javascript_uses_the_same_search():
    form = OfficeSearchForm({"state": "WI", "q": "marinette"})
    assert list(form.offices()) == list(search_offices(state="WI", query="marinette"))


def test_the_endpoint_answers_id_label_and_kind(member_client):
    maricopa = find_jurisdiction("az-maricopa-county")
    response = member_client.get(URL, {"state": "AZ", "q": "mari"})
    assert response.status_code == 200
    assert response.json() == {
        "results": [{"id": maricopa.pk, "label": "Maricopa County, AZ", "kind": "County"}]
    }


def test_the_endpoint_answers_at_most_twenty_offices(member_client):
    assert len(_labels(member_client.get(URL, {"q": "county"}))) == OFFICES_SUGGESTED
    assert len(_labels(member_client.get(URL, {"q": "zzzz"}))) == 0


def test_a_state_alone_lists_its_offices_and_narrows_a_query(member_client):
    arizona = _labels(member_client.get(URL, {"state": "AZ"}))
    assert len(arizona) == 16
    assert all(label.endswith(", AZ") for label in arizona)
    everywhere = _labels(member_client.get(URL, {"q": "marion"}))
    assert len({label[-2:] for label in everywhere}) > 1
    ohio = _labels(member_client.get(URL, {"state": "OH", "q": "marion"}))
    assert ohio == ["Marion County, OH"]


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "m"}, {"q": " m "}, {"state": "XX", "q": "marion"}, {"q": "m" * 101}],
)
def test_the_endpoint_refuses_bad_input_with_a_message(member_client, params):
    response = member_client.get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]


def test_the_message_says_what_to_do(member_client):
    response = member_client.get(URL, {"q": "m"})
    assert response.json() == {
        "error": "Choose a state, or type at least 2 characters of the name."
    }


def test_visitors_are_refused_in_json_not_sent_to_sign_in(client):
    response = client.get(URL, {"state": "AZ", "q": "mari"})
    assert response.status_code == 403
    assert response.json() == {"error": "Sign in to search the office directory."}


def test_the_endpoint_answers_get_only(member_client):
    assert member_client.post(URL, {"q": "mari"}).status_code == 405


@pytest.mark.parametrize("params", [{"state": "AZ", "q": "maricopa"}, {"q": "county"}])
def test_the_endpoint_costs_the_same_queries_whatever_it_finds(
    member_client, django_assert_num_queries, params
):
    member_client.get(URL, params)  # the session's activity stamp is saved on the first
    with django_assert_num_queries(3):  # session, user, offices
        member_client.get(URL, params)
