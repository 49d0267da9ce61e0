import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference data and demo content once per run: the election-office
    directory, the topic taxonomy, the page tree with the 14 demo guides and the demo
    people. Each test runs in a transaction that is rolled back, so this stays as loaded."""
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)
        call_command("rebuild_search", verbosity=0)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rolled-back transactions hand out the same
    primary keys again, and cache keys are built from primary keys and versions."""
    from django.core.cache import cache

    cache.clear()
