"""Sessions end after a period without activity, and keeping them alive does not cost a
database write on every page."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session

from accounts.middleware import SessionActivityMiddleware
from tests.factories import make_official
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def _session_writes(client) -> int:
    queries = page_queries(client, "/questions/")
    return sum(sql.startswith(("UPDATE", "INSERT")) and "django_session" in sql for sql in queries)


def _stored(client) -> Session:
    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_an_active_session_is_refreshed_at_most_every_few_minutes(client):
    client.force_login(make_official())
    assert _session_writes(client) == 1  # the first page marks the session active
    assert _session_writes(client) == 0
    first_expiry = _stored(client).expire_date

    session = client.session
    session[SessionActivityMiddleware.KEY] -= settings.SESSION_REFRESH_SECONDS
    session.save()
    assert _session_writes(client) == 1
    assert _stored(client).expire_date > first_expiry


def test_visitors_without_a_session_get_none(client):
    client.get("/questions/")
    assert Session.objects.count() == 0
