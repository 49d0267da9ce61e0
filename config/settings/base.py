"""Settings shared by every environment. Everything a deployment changes is read here from
the environment; dev.py, test.py and production.py override only what they must."""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from .env import (
    cache_config,
    default_search_url,
    env,
    env_bool,
    env_int,
    env_list,
    haystack_connection,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env("CANVASS_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env("DJANGO_SECRET_KEY", "insecure-development-key-not-for-production")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "core",
    "accounts",
    "cohorts",
    "forum",
    "notifications",
    "cms",
    "search",
    "reports",
    "demo",
    # Before wagtail.search so that `update_index`/`rebuild_index` are haystack's; Wagtail's
    # admin search index keeps its own command as `wagtail_update_index`.
    "haystack",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",  # web (issue 17): the pages' part of /sitemap.xml
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.SessionActivityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so its cached pages still get every response header on the way out.
    "core.caching.VisitorPageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "csp.context_processors.nonce",
                "cms.context_processors.navigation",
                "notifications.context_processors.inbox",
            ],
        },
    },
]

# SQLite by default (WAL, so readers never wait on the writer); PostgreSQL via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'canvass.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
CACHES = {"default": cache_config(REDIS_URL)}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# Accounts (django-allauth): sign in with email, confirmation required before anything else.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# Adds the display name (and job title) to allauth's sign-up form.
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Canvass] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Canvass"
# allauth's limits, spelled out so an operator can see them. A refused request gets the
# 429 page (templates/429.html: wait a few minutes); failed sign-ins instead get an error
# on the sign-in form, which locks an address for 5 minutes after 5 tries.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    "confirm_email": "1/180s/key",
}
# "Sign out everywhere else" lists and ends a person's other sessions (allauth's
# usersessions). Recording activity would be a database write per page, so it is off.
USERSESSIONS_TRACK_ACTIVITY = False

# Sessions end after two weeks without activity (accounts.middleware keeps them alive).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 24 * 14)
SESSION_REFRESH_SECONDS = 5 * 60
# With Redis, sessions are read from the cache, and from the database while Redis is
# unreachable (core.cache). Without Redis each process would keep its own copy, and signing
# out in one would not end the session in the others, so they stay in the database alone.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_HTTPONLY = True

# Verification as an election official lasts this long, and can be renewed in its last
# VERIFICATION_RENEWAL_DAYS. A strong .gov match may be approved without a reviewer (off by
# default).
VERIFICATION_DAYS = env_int("CANVASS_VERIFICATION_DAYS", 730)
VERIFICATION_RENEWAL_DAYS = 30
CANVASS_AUTO_APPROVE_GOV_MATCH = env_bool("CANVASS_AUTO_APPROVE_GOV_MATCH", False)

# How often people may post (questions, answers and comments; forum/limits.py), counted from
# the posts in the database so every process applies the same limits. Everyone waits
# `seconds_between_posts` between two posts. In their first `new_official_days` as a verified
# official (from the approval of their first verification request), an official waits
# `new_official_seconds_between_posts` and writes at most `new_official_questions_per_day`
# questions and `new_official_answers_per_day` answers in any 24 hours. Moderators are
# exempt. None turns the limits off (the test settings do, and the tests of the limits turn
# them on again).
CANVASS_POSTING_LIMITS = {
    "seconds_between_posts": 10,
    "new_official_days": 7,
    "new_official_seconds_between_posts": 60,
    "new_official_questions_per_day": 3,
    "new_official_answers_per_day": 10,
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# The U.S. Web Design System comes from npm (package.json); its built files are not committed.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("uswds", BASE_DIR / "node_modules" / "@uswds" / "uswds" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
# Files served only through a permission check (cohorts' shared documents), never by URL.
CANVASS_PRIVATE_ROOT = Path(env("CANVASS_PRIVATE_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Email: console in development; SMTP settings from the environment in production.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Where the file-based backend (EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend,
# used by the end-to-end tests) writes each message.
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# Seconds before a silent mail server counts as a failed attempt (core.email tries again).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Canvass <noreply@canvass.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Search: one haystack index over forum and CMS content, by default in the database itself.
SEARCH_URL = env("SEARCH_URL", default_search_url(DATABASES["default"]["ENGINE"]))
HAYSTACK_CONNECTIONS = {"default": haystack_connection(SEARCH_URL, BASE_DIR)}
HAYSTACK_SEARCH_RESULTS_PER_PAGE = 20
# Who applies queued index changes (search.queue): a thread of each web process, within a
# second or two of a write, or, with this off, `manage.py search_worker` (production).
SEARCH_INDEX_IN_PROCESS = env_bool("SEARCH_INDEX_IN_PROCESS", True)

# Background work (email, core.email): immediate by default, so a failed email waits for
# `manage.py send_queued_email`; the database backend with `db_worker` in production.
TASKS = {
    "default": {"BACKEND": env("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")}
}

WAGTAIL_SITE_NAME = "Canvass"
# Sign-in, passwords and email addresses are allauth's alone (confirmation, two-factor,
# rate limits); see config/urls.py.
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# The site's public address, on which every link in every email is built (core.sites): our
# emails, Wagtail's, and the Wagtail site's hostname and port. `make run` passes its PORT.
WAGTAILADMIN_BASE_URL = env("CANVASS_BASE_URL", f"http://127.0.0.1:{env('PORT', '8000')}")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "csv", "txt", "pptx"]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("en", "English")]
TAGGIT_CASE_INSENSITIVE = True

# Content-Security-Policy on every public page. The Wagtail admin is excluded because it
# relies on inline styles and scripts it does not yet nonce; it sits behind sign-in.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Per-task and per-page-action lines from these drown out what matters.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
