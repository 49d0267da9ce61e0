"""The cache is only a cache: with Redis refusing connections every page still answers
and people still sign in (sessions fall back to the database), with the failure logged
once per interval; with Redis up, it is used; after an outage it starts empty."""

import itertools
import logging
import secrets
import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.contrib.sessions.models import Session
from django.urls import reverse

from config.settings.env import cache_config
from core.cache import ResilientRedisCache
from tests.accounts.test_account_pages import sign_in
from tests.factories import ask, make_official
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

LIVE_REDIS = "redis://127.0.0.1:6379/0"


def use_redis(settings, url: str, **extra) -> None:
    """The production settings for REDIS_URL=url: Redis cache, sessions through it."""
    settings.CACHES = {"default": {**cache_config(url), **extra}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


_databases = itertools.count(1)


@pytest.fixture
def refused(settings):
    """Redis at a port where nothing listens; each test its own database number, so each
    finds the outage (and logs it) afresh."""
    use_redis(settings, f"redis://127.0.0.1:1/{next(_databases)}")


def test_every_page_answers_with_redis_refusing_and_the_failure_is_logged_once(
    client, refused, caplog
):
    thread = ask(make_official(), visibility="public")
    with caplog.at_level(logging.ERROR, "core.cache"):
        for url in ("/", "/questions/", thread.get_absolute_url(), "/search/", "/guides/"):
            assert client.get(url).status_code == 200, url
        assert client.get("/search/", {"q": "ballot"}).status_code == 200
    unreachable = [r for r in caplog.records if "is unreachable" in r.getMessage()]
    assert len(unreachable) == 1
    assert "127.0.0.1:1" in unreachable[0].getMessage()


def test_signing_in_works_and_the_session_lasts_with_redis_refusing(client, refused):
    official = make_official()
    sign_in(client, official)
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()  # in the database
    page = client.get(reverse("accounts:profile"))
    assert page.status_code == 200
    assert official.display_name in page.content.decode()  # still signed in
    client.post(reverse("account_logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("accounts:profile")).status_code == 302  # to sign in


def test_the_health_check_says_the_cache_is_unreachable(client, refused):
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["cache"] == {"ok": False}


@pytest.fixture
def live_redis(settings):
    try:
        redis.Redis.from_url(LIVE_REDIS, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {LIVE_REDIS}: start one to check that the cache is used")
    prefix = f"canvass-test-{secrets.token_hex(4)}"
    use_redis(settings, LIVE_REDIS, KEY_PREFIX=prefix)
    yield prefix
    server = redis.Redis.from_url(LIVE_REDIS)
    keys = list(server.scan_iter(f"{prefix}:*"))
    if keys:
        server.delete(*keys)


def test_with_redis_up_pages_and_sessions_are_cached_there(client, live_redis):
    assert len(page_queries(client, "/")) > 0
    assert len(page_queries(client, "/")) == 0  # served from Redis
    server = redis.Redis.from_url(LIVE_REDIS)
    assert any(b"visitor-page" in key for key in server.scan_iter(f"{live_redis}:*"))
    sign_in(client, make_official())
    session_keys = list(server.scan_iter(f"{live_redis}:*django.contrib.sessions.cached_db*"))
    assert len(session_keys) == 1
    assert client.get("/health/").json()["cache"] == {"ok": True}


@pytest.fixture
def own_redis():
    """A Redis server of this test's own, to make unreachable without disturbing anyone."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [binary, "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            time.sleep(0.05)
    yield port, client
    server.terminate()
    server.wait(timeout=10)


def test_after_an_outage_the_cache_starts_empty(own_redis, caplog):
    """A write lost while Redis was unreachable (here, ending a session) must not leave the
    old entry to be read once it answers again."""
    port, server = own_redis
    backend = ResilientRedisCache(
        f"redis://127.0.0.1:{port}/0",
        {"OPTIONS": {"socket_timeout": 0.2, "socket_connect_timeout": 0.2, "retry_seconds": 0}},
    )
    backend.set("session", "signed in")
    assert backend.get("session") == "signed in"
    server.client_pause(1000)  # Redis stops answering for a second
    with caplog.at_level(logging.WARNING, "core.cache"):
        assert backend.delete("session") is False  # lost
        assert backend.get("session") is None  # a miss meanwhile, not an error
        time.sleep(1.1)
        assert backend.get("session") is None  # answering again, and emptied first
    assert server.dbsize() == 0
    assert "answers again" in caplog.text
    backend.set("session", "new")
    assert backend.get("session") == "new"
