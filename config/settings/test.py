"""The test suite: fast hashing, in-memory cache and mail, immediate tasks, a throw-away
search index. DATABASE_URL still selects PostgreSQL when CI sets it."""

import tempfile

from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Tests drain the search queue themselves (search.queue.drain), where they need to.
SEARCH_INDEX_IN_PROCESS = False
STATIC_ROOT = tempfile.mkdtemp(prefix="canvass-test-static-")
MEDIA_ROOT = tempfile.mkdtemp(prefix="canvass-test-media-")
CANVASS_PRIVATE_ROOT = tempfile.mkdtemp(prefix="canvass-test-private-")
LOGGING = {"version": 1, "disable_existing_loggers": False}
# The factories post in quick succession; tests/forum/test_limits.py turns the limits on.
CANVASS_POSTING_LIMITS = None
