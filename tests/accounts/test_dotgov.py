"""`load_dotgov` loads the .gov registry and refreshes it from a newer file: new domains
are added, changed ones updated, retired ones removed."""

import io

import pytest
from django.core.management import call_command

from accounts.models import DotGovDomain

pytestmark = pytest.mark.django_db

HEADER = (
    "Domain name,Domain type,Organization name,Suborganization name,City,State,"
    "Security contact email\n"
)
ROWS = [
    "ADAMSCOUNTYVOTES.GOV,County - Election,Adams County,Elections Office,Brighton,CO,(blank)\n",
    "springfield.gov,City,City of Springfield,(blank),Springfield,IL,soc@springfield.gov\n",
    "example-state.gov,State,State of Example,,(blank),(blank),(blank)\n",
]


def _write(tmp_path, rows, name="current-full.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def _load(path) -> str:
    out = io.StringIO()
    call_command("load_dotgov", file=path, stdout=out)
    return out.getvalue()


def test_loads_a_file(tmp_path):
    _load(_write(tmp_path, ROWS))

    assert sorted(DotGovDomain.objects.values_list("domain", flat=True)) == [
        "adamscountyvotes.gov",
        "example-state.gov",
        "springfield.gov",
    ]
    adams = DotGovDomain.objects.get(domain="adamscountyvotes.gov")
    assert (adams.organization, adams.suborganization, adams.city, adams.state_abbr) == (
        "Adams County",
        "Elections Office",
        "Brighton",
        "CO",
    )
    assert adams.is_election_office
    springfield = DotGovDomain.objects.get(domain="springfield.gov")
    assert springfield.suborganization == ""
    assert not springfield.is_election_office
    state = DotGovDomain.objects.get(domain="example-state.gov")
    assert (state.city, state.state_abbr) == ("", "")


def test_running_again_changes_nothing(tmp_path):
    path = _write(tmp_path, ROWS)
    _load(path)
    ids = dict(DotGovDomain.objects.values_list("domain", "id"))

    output = _load(path)

    assert "0 added, 0 changed, 0 removed, 3 domains." in output
    assert dict(DotGovDomain.objects.values_list("domain", "id")) == ids


def test_a_newer_file_adds_changes_and_removes(tmp_path):
    _load(_write(tmp_path, ROWS))
    springfield_id = DotGovDomain.objects.get(domain="springfield.gov").id
    newer = [
        ROWS[0],
        ROWS[1].replace("City of Springfield", "Springfield City Clerk"),
        "newtownvotes.gov,City - Election,Town of Newtown,,Newtown,CT,(blank)\n",
    ]

    output = _load(_write(tmp_path, newer, name="newer.csv"))

    assert "1 added, 1 changed, 1 removed, 3 domains." in output
    assert not DotGovDomain.objects.filter(domain="example-state.gov").exists()
    springfield = DotGovDomain.objects.get(domain="springfield.gov")
    assert (springfield.id, springfield.organization) == (springfield_id, "Springfield City Clerk")
    assert DotGovDomain.objects.get(domain="newtownvotes.gov").is_election_office


def test_progress_is_shown_on_a_terminal(tmp_path):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal, pipe = Terminal(), io.StringIO()
    path = _write(tmp_path, ROWS)
    call_command("load_dotgov", file=path, stdout=terminal)
    call_command("load_dotgov", file=path, stdout=pipe)

    assert "\r[" + "#" * 30 + "] 3/3 domains" in terminal.getvalue()
    assert "\r" not in pipe.getvalue()
