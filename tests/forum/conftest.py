import pytest

from forum.models import Visibility
from tests.factories import ask


@pytest.fixture
def public_thread(asker):
    return ask(
        asker, title="How do other counties staff their L&A tests?", visibility=Visibility.PUBLIC
    )


@pytest.fixture
def members_thread(asker):
    return ask(
        asker,
        title="Members only: threats against our warehouse staff",
        visibility=Visibility.MEMBERS,
    )
