import pytest

from forum.models import Visibility
from tests.factories import answer, ask


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


# The thread the forum.services tests act on: `official`'s public question, answered by
# `other_official` (`reply`) and by `expert` (`second_reply`).


@pytest.fixture
def question(official):
    return ask(official, visibility=Visibility.PUBLIC)


@pytest.fixture
def reply(question, other_official):
    return answer(question, other_official)


@pytest.fixture
def second_reply(question, expert):
    return answer(question, expert)
