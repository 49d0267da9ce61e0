"""Domain signals reach their receivers only once the change has committed."""

import logging

import pytest
from django.db import transaction
from django.dispatch import Signal

from core.events import send_after_commit

pytestmark = pytest.mark.django_db


@pytest.fixture
def signal():
    return Signal()


def test_receivers_hear_after_the_commit_with_the_arguments(
    signal, django_capture_on_commit_callbacks
):
    heard = []
    signal.connect(lambda sender, **kwargs: heard.append((sender, kwargs["ids"])), weak=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_after_commit(signal, "forum", ids=[1, 2])
        assert heard == []
    assert heard == []  # the transaction has not committed yet
    for callback in callbacks:
        callback()
    assert heard == [("forum", [1, 2])]


def test_a_rolled_back_change_sends_nothing(signal, django_capture_on_commit_callbacks):
    heard = []
    signal.connect(lambda sender, **kwargs: heard.append(sender), weak=False)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send_after_commit(signal, "forum")
        raise RuntimeError("the change fails")
    assert heard == []


def test_a_failing_receiver_is_logged_and_the_others_still_hear(
    signal, django_capture_on_commit_callbacks, caplog
):
    def broken(sender, **kwargs):
        raise ValueError("a receiver's bug")

    heard = []
    signal.connect(broken, weak=False)
    signal.connect(lambda sender, **kwargs: heard.append(sender), weak=False)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        send_after_commit(signal, "forum")
    assert heard == ["forum"]
    assert "a receiver's bug" in caplog.text
