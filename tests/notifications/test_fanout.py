"""Who is told of what happens in a thread, and what they are told."""

import pytest
from django.core import mail

from forum.models import Visibility
from notifications.models import Follow, Kind, Level, Notification
from tests import factories

pytestmark = pytest.mark.django_db


def kinds_for(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_an_answer_reaches_the_asker_and_email_follows(
    asker, expert, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = factories.ask(asker, visibility=Visibility.PUBLIC)
    with django_capture_on_commit_callbacks(execute=True):
        answer = factories.answer(question, expert)
    assert kinds_for(asker) == [Kind.ANSWER]
    assert Follow.objects.get(user=asker, question=question).level == Level.WATCHING
    assert Follow.objects.get(user=expert, question=question).level == Level.NORMAL
    assert kinds_for(expert) == []
    [message] = mail.outbox
    assert message.to == [asker.email]
    assert "answered your question" in message.subject
    assert answer.body[:20] in message.body
