"""Settings for the benchmark server: production settings, served over plain HTTP on the
loopback interface, with one extra URL for the bare baseline view.

The harness sets the variables production requires (a throw-away secret key, a SQLite
file in a temporary directory, ...) before it starts the server.
"""

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
