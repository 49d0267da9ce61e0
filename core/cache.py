"""Django's Redis cache, made to behave as a cache: when Redis does not answer, every call
is a miss or does nothing, so pages are built without it (slower) instead of failing.

When a call finds Redis unreachable (refused, or no answer within the socket timeouts of
OPTIONS), the process logs it once and leaves Redis alone for ``retry_seconds`` (an OPTIONS
entry, 30 by default), then tries again. Writes made meanwhile were lost, and some of them
made entries stale (a generation moved on, a session deleted at sign-out), so the first call
that finds Redis answering again empties its database before anything is read from it.
The database in REDIS_URL is therefore for Canvass alone.

While Redis is away: reads miss; ``add`` answers as if it stored (allauth takes a lock with
it, and a lock never taken would refuse every sign-in), so rate limits are not counted;
``incr`` raises ValueError, as for a missing key.
"""

import logging
import threading
import time
from functools import wraps
from urllib.parse import urlsplit

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
DEFAULT_RETRY_SECONDS = 30


class _Outage:
    """Whether one Redis location is away, for the whole process (Django makes a cache
    object per thread, and each thread should not find out again)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.until = 0.0  # time.monotonic() before which Redis is left alone
        self.writes_lost = False


_outages: dict[tuple[str, ...], _Outage] = {}
_outages_lock = threading.Lock()


def _outage_of(servers) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(tuple(servers), _Outage())


def _guarded(when_unreachable):
    """Run the client method, or, with Redis away, return ``when_unreachable(*args)``."""

    def decorate(method):
        @wraps(method)
        def guarded(self, *args):
            if not self._reachable():
                return when_unreachable(*args)
            try:
                return method(self, *args)
            except UNREACHABLE as error:
                self._went_away(error)
                return when_unreachable(*args)

        return guarded

    return decorate


def _nothing(*args) -> None:
    return None


def _false(*args) -> bool:
    return False


def _missing_key(key, delta):
    raise ValueError(f"Key '{key}' not found: the cache is unreachable.")


class ResilientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers, retry_seconds: float = DEFAULT_RETRY_SECONDS, **options):
        super().__init__(servers, **options)
        self._retry_seconds = retry_seconds
        self._outage = _outage_of(servers)
        where = urlsplit(servers[0])  # host and port only: the URL may hold a password
        self._where = f"{where.hostname}:{where.port or 6379}"

    def _reachable(self) -> bool:
        outage = self._outage
        with outage.lock:
            if time.monotonic() < outage.until:
                return False
            if not outage.writes_lost:
                return True
        try:
            super().clear()
        except UNREACHABLE as error:
            self._went_away(error)
            return False
        with outage.lock:
            if outage.writes_lost:
                outage.writes_lost = False
                logger.warning(
                    "The cache at %s answers again; emptied it, since writes made while it "
                    "was unreachable were lost.",
                    self._where,
                )
        return True

    def _went_away(self, error: Exception) -> None:
        outage = self._outage
        with outage.lock:
            first = time.monotonic() >= outage.until
            outage.until = time.monotonic() + self._retry_seconds
            outage.writes_lost = True
        if first:  # one line per interval, not one per call
            logger.error(
                "The cache at %s is unreachable (%s): pages are built without it; trying "
                "again in %s s.",
                self._where,
                error,
                self._retry_seconds,
            )

    add = _guarded(lambda key, value, timeout: True)(RedisCacheClient.add)
    get = _guarded(lambda key, default: default)(RedisCacheClient.get)
    set = _guarded(_nothing)(RedisCacheClient.set)
    touch = _guarded(_false)(RedisCacheClient.touch)
    delete = _guarded(_false)(RedisCacheClient.delete)
    get_many = _guarded(lambda keys: {})(RedisCacheClient.get_many)
    has_key = _guarded(_false)(RedisCacheClient.has_key)
    incr = _guarded(_missing_key)(RedisCacheClient.incr)
    set_many = _guarded(_nothing)(RedisCacheClient.set_many)
    delete_many = _guarded(_nothing)(RedisCacheClient.delete_many)
    clear = _guarded(_false)(RedisCacheClient.clear)


class ResilientRedisCache(RedisCache):
    """`django.core.cache.backends.redis.RedisCache` that degrades to no cache while Redis
    is unreachable (see the module's docstring)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
