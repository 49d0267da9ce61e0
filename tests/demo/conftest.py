import pytest

from tests.content import loaded_demo


@pytest.fixture(scope="package", autouse=True)
def demo(django_db_setup, django_db_blocker):
    """The demo content under test, loaded once for the whole package and rolled back
    after it, with a search index of its own."""
    with loaded_demo(django_db_blocker):
        yield
