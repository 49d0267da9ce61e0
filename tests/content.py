"""What the test database holds.

Every test starts from the reference data (`load_reference_data`, loaded once per run by
tests/conftest.py): the election offices, their sizes and the .gov registry of
tests/fixtures/, loaded by the same commands as the shipped files, the topic taxonomy, the
search vocabulary (its migration seeds it), the page tree every site has and the editorial
workflow. Anything else a test needs it makes itself (tests/factories.py).

The demo content is loaded only for the tests that judge it (`loaded_demo`)."""

from contextlib import contextmanager
from pathlib import Path

from django.core.management import call_command
from django.db import transaction
from wagtail.models import Page, Site

from cms.models import EventIndexPage, HomePage, ResourceIndexPage
from cms.services import sync_topic_pages
from tests.factories import publish
from tests.search.index import fresh_index

FIXTURES = Path(__file__).resolve().parent / "fixtures"
HOME_INTRO = "Where U.S. local election officials ask each other how they do the work."


def build_page_tree() -> HomePage:
    """The home page (the default site's root, in place of Wagtail's welcome page), the
    library at /guides/, the events at /events/ and /topics/ with a page per topic."""
    home = publish(
        Page.get_first_root_node(), HomePage(title="Canvass", slug="canvass", intro=HOME_INTRO)
    )
    site = Site.objects.get(is_default_site=True)
    welcome = site.root_page
    site.root_page = home
    site.save()
    welcome.delete()
    publish(home, ResourceIndexPage(title="Guides & toolkits", slug="guides"))
    publish(home, EventIndexPage(title="Events", slug="events", show_in_menus=True))
    sync_topic_pages()
    return home


def load_reference_data() -> None:
    call_command("load_jurisdictions", file=FIXTURES / "election_offices.csv", verbosity=0)
    call_command("load_population", file=FIXTURES / "jurisdiction_population.csv", verbosity=0)
    call_command("load_dotgov", file=FIXTURES / "dotgov_sample.csv", verbosity=0)
    call_command("load_topics", verbosity=0)
    build_page_tree()
    # The editorial workflow applies to the home page, so it comes after the pages.
    call_command("setup_editorial", verbosity=0)
    call_command("rebuild_search", verbosity=0)


@contextmanager
def rolled_back(django_db_blocker):
    """A transaction for what a module or a package of tests shares, rolled back at the
    end. Each test runs in a savepoint inside it, so it sees what was made as made."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@contextmanager
def loaded_demo(django_db_blocker):
    """The demo content (`load_demo`) over the reference data, searchable in an index of
    its own, rolled back at the end."""
    with rolled_back(django_db_blocker):
        call_command("load_demo", verbosity=0)
        with fresh_index():
            yield
