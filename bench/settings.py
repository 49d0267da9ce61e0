"""Settings for the benchmark server: production settings, served over plain HTTP on the
loopback interface, with the benchmark's own URLs (`bench/urls.py`: the bare baseline
view among them).

The harness sets the variables production requires (a throw-away secret key, a SQLite
file in a temporary directory or a fresh PostgreSQL database, ...) before it starts the
server.
"""

from config.settings import base
from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
# The benchmark talks plain HTTP to 127.0.0.1; production's HTTPS rules would redirect it.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# No collectstatic step: static files are looked up where they lie, as in development.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# SQLite as the product configures it (WAL, immediate transactions): production's settings
# expect PostgreSQL and parse DATABASE_URL without them, so a benchmark on SQLite would
# otherwise measure readers waiting on every write.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"].update(  # noqa: F405
        CONN_MAX_AGE=0, OPTIONS=base.DATABASES["default"]["OPTIONS"]
    )
# A benchmark writes hundreds of posts a minute as a few people, which the posting limits
# (forum.limits) would refuse: a real site's posts come from many people, minutes apart.
CANVASS_POSTING_LIMITS = None
