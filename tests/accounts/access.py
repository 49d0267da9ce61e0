"""The vocabulary of the URL x role access matrix (`test_access_matrix.py`): the roles, the
expected outcomes of a request, and the walk over every URL pattern the project serves.

An expectation is what one role gets from one door::

    cells(NOT_FOUND, readers=OK)        # 404 for everyone, 200 for members-only readers
    cells(LOGIN, signed_in=FORBIDDEN, participants=FOUND)

`cells` starts every role at the default, then applies each keyword in order: a role
group from `GROUPS` or a single role, so later keywords override earlier ones."""

import io
import zipfile
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# The columns of the matrix. "moderator_no_2fa" holds the moderator role without having
# set up two-factor sign-in: it must get member rights only.
ROLES = (
    "visitor",
    "unconfirmed",
    "member",
    "verified",
    "expired",
    "expert",
    "moderator",
    "editor",
    "admin",
    "moderator_no_2fa",
)

GROUPS = {
    "everyone": set(ROLES),
    "signed_in": set(ROLES) - {"visitor"},
    # forum.permissions.can_read_members_only: verified officials, experts, moderators
    # (administrators are moderators). Editors and expired officials are members there.
    "readers": {"verified", "expert", "moderator", "admin"},
    # forum.permissions.can_participate (answer, comment, vote): the same people.
    "participants": {"verified", "expert", "moderator", "admin"},
    # forum.permissions.can_ask: verified officials and moderators, not experts.
    "askers": {"verified", "moderator", "admin"},
    # accounts.permissions.is_moderator: the group (or superuser) *and* two-factor.
    "moderators": {"moderator", "admin"},
    # Wagtail's "access admin" permission: the Moderators and Editors groups, superusers.
    "admin_users": {"moderator", "editor", "admin"},
    # People with an authenticator app (allauth's two-factor pages depend on it).
    "with_totp": {"moderator", "editor", "admin"},
    # Confirmed, signed-in people without an authenticator app.
    "without_totp": {"member", "verified", "expired", "expert", "moderator_no_2fa"},
}


@dataclass(frozen=True)
class Status:
    code: int

    def failure(self, response) -> str | None:
        if response.status_code == self.code:
            return None
        return f"expected {self.code}, got {_describe(response)}"

    def __str__(self) -> str:
        return str(self.code)


@dataclass(frozen=True)
class Redirect:
    """A 302 to a URL name (or a literal path); the query string is not compared."""

    to: str

    def path(self) -> str:
        return self.to if self.to.startswith("/") else reverse(self.to)

    def failure(self, response) -> str | None:
        location = response.get("Location", "")
        if response.status_code == 302 and urlsplit(location).path == self.path():
            return None
        return f"expected a redirect to {self.path()}, got {_describe(response)}"

    def __str__(self) -> str:
        return f"302→{self.to}"


@dataclass(frozen=True)
class RedirectUnder:
    """A redirect (302 unless told) to any URL under a prefix: a new question, or the answer
    just posted; a page's new address (301)."""

    prefix: str
    code: int = 302

    def failure(self, response) -> str | None:
        location = response.get("Location", "")
        if response.status_code == self.code and location.startswith(self.prefix):
            return None
        return f"expected a {self.code} under {self.prefix}, got {_describe(response)}"

    def __str__(self) -> str:
        return f"{self.code}→{self.prefix}…"


@dataclass(frozen=True)
class OneOf:
    """Either outcome is right: for a door whose fix may take either form."""

    options: tuple

    def failure(self, response) -> str | None:
        if any(option.failure(response) is None for option in self.options):
            return None
        return f"expected one of {' / '.join(map(str, self.options))}, got {_describe(response)}"

    def __str__(self) -> str:
        return " or ".join(map(str, self.options))


def _describe(response) -> str:
    location = response.get("Location")
    return f"{response.status_code}" + (f" → {location}" if location else "")


OK = Status(200)
BAD_REQUEST = Status(400)
FORBIDDEN = Status(403)
NOT_FOUND = Status(404)
NOT_ALLOWED = Status(405)
# allauth's sign-in page (LOGIN_URL), where @login_required sends visitors.
LOGIN = Redirect("account_login")
# Wagtail's admin sends people without the "access admin" permission to sign in, which is
# allauth's page too (WAGTAILADMIN_LOGIN_URL).
ADMIN_LOGIN = LOGIN
# A PermissionDenied inside the Wagtail admin becomes a redirect to the admin home with a
# message ("Sorry, you do not have permission to access this area").
ADMIN_HOME = Redirect("wagtailadmin_home")
# accounts.middleware.StaffTwoFactorMiddleware: staff without two-factor are sent to set
# up an authenticator app before any admin page.
TWO_FACTOR_SETUP = Redirect("mfa_activate_totp")
# allauth asks for the password again before sensitive account pages.
REAUTHENTICATE = Redirect("account_reauthenticate")
HOME = Redirect("/")


def cells(default, **overrides) -> dict:
    """The expected outcome for every role: `default`, then each override (a group name
    from GROUPS or a role) in the order given."""
    table = dict.fromkeys(ROLES, default)
    for key, expectation in overrides.items():
        members = GROUPS.get(key, {key})
        unknown = members - set(ROLES)
        if unknown:
            raise ValueError(f"Unknown role or group: {key}")
        for role in members:
            table[role] = expectation
    return table


@dataclass(frozen=True)
class Route:
    name: str | None
    route: str
    view: str  # the view's dotted path (URLPattern.lookup_str)


def url_patterns(resolver=None, prefix: str = "", namespace: str = "") -> list[Route]:
    """Every URL pattern the project serves, nested includes flattened, each with its
    namespaced name ("forum:question"), its full route and its view."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            found += url_patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = entry.name
            if name and namespace:
                name = f"{namespace}:{name}"
            found.append(Route(name, prefix + str(entry.pattern), entry.lookup_str))
    return found


def response_text(response) -> str:
    """Everything a response carries, as text: a ZIP's files are opened (an export is a ZIP
    of CSV files, whose compressed bytes would hide any marker)."""
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    if response.get("Content-Type", "").startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"\n".join(archive.read(name) for name in archive.namelist())
    return content.decode("utf-8", errors="replace")
