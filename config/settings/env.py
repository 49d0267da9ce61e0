"""Reading deployment configuration from the environment.

Every value a deployment changes is an environment variable; the README lists them all.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_required(name: str) -> str:
    """Return a variable that production cannot start without, or stop with a clear message."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be set for this deployment "
            "(see the 'Deploying' section of the README)."
        )
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value is None else int(value)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def cache_config(redis_url: str | None) -> dict:
    """The default cache: Redis when a URL is given, through `core.cache`, which keeps pages
    answering while Redis is unreachable (waiting at most half a second for it to connect
    or answer); otherwise each process's own memory."""
    if not redis_url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    return {
        "BACKEND": "core.cache.ResilientRedisCache",
        "LOCATION": redis_url,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }


DATABASE_SEARCH = {
    "fts5": "search.backends.fts5.Fts5Engine",
    "postgres": "search.backends.postgres.PostgresEngine",
}


def default_search_url(database_engine: str) -> str:
    """The index in the site's own database: FTS5 on SQLite, full-text search on PostgreSQL."""
    return "postgres://" if "postgresql" in database_engine else "fts5://"


def haystack_connection(url: str, base_dir: Path) -> dict:
    """Turn a search URL into a haystack connection.

    ``fts5://`` (SQLite) or ``postgres://`` (PostgreSQL) for the index in the site's own
    database, which must be of that kind; ``whoosh:///absolute/path`` or
    ``whoosh://relative/path`` (relative to the project) for the embedded Whoosh index;
    ``elasticsearch7://host:9200/index-name`` (or ``elasticsearch7s://`` for TLS) for an
    Elasticsearch 7 cluster.
    """
    parts = urlsplit(url)
    if parts.scheme in DATABASE_SEARCH:
        return {"ENGINE": DATABASE_SEARCH[parts.scheme], "INCLUDE_SPELLING": True}
    if parts.scheme == "whoosh":
        path = Path(parts.netloc + parts.path)
        return {
            "ENGINE": "search.backends.whoosh.CanvassWhooshEngine",
            "PATH": str(path if path.is_absolute() else base_dir / path),
            "INCLUDE_SPELLING": True,
        }
    if parts.scheme in {"elasticsearch7", "elasticsearch7s"}:
        scheme = "https" if parts.scheme.endswith("s") else "http"
        return {
            "ENGINE": "search.backends.elasticsearch7.CanvassElasticsearchEngine",
            "URL": f"{scheme}://{parts.netloc}/",
            "INDEX_NAME": parts.path.strip("/") or "canvass",
            "INCLUDE_SPELLING": True,
        }
    raise ImproperlyConfigured(
        "SEARCH_URL must start with fts5://, postgres://, whoosh:// or elasticsearch7://, "
        f"not {parts.scheme}://."
    )
