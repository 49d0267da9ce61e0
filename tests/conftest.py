"""What every test may count on: the reference data in the database (tests/content.py), an
empty cache, and one fixture per role. The demo content only for the tests that ask for
it (`demo`)."""

import pytest
from django.core.cache import cache

from tests import factories
from tests.content import load_reference_data, loaded_demo


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The reference data, loaded once per run. Each test runs in a transaction that is
    rolled back, so it stays as loaded."""
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo content, for a module whose tests judge it: loaded once for the module and
    rolled back after it, with a search index of its own."""
    with loaded_demo(django_db_blocker):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rolled-back transactions hand out the same
    primary keys again, and cache keys are built from primary keys and versions."""
    cache.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a block's after-commit work (signals, the fan-out task, email) as if it had
    committed: ``with committed(): ...``."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


# One person per role (tests/factories.py says what each holds) --------------------------


@pytest.fixture
def member():
    return factories.make_member(display_name="Pat Member")


@pytest.fixture
def official():
    """A verified official in Maricopa County, AZ."""
    return factories.make_official(display_name="Maria Official")


@pytest.fixture
def other_official():
    """A verified official of another office, in Ohio."""
    return factories.make_official(state="OH", display_name="Dana Other")


@pytest.fixture
def asker():
    """The verified official (in Arizona) who asks the thread a test is about."""
    return factories.make_official(state="AZ", display_name="Avery Asker")


@pytest.fixture
def expert():
    return factories.make_expert(display_name="Priya Expert")


@pytest.fixture
def moderator():
    return factories.make_moderator(display_name="Sam Moderator")


@pytest.fixture
def editor():
    return factories.make_editor(display_name="Edna Editor")
