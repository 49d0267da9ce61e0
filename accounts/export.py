"""A member's own data, for their records or a public-records request: their profile and
verification requests, and what each app above keeps of theirs (the forum: every question,
answer and comment they wrote, hidden ones too). One collection, written as JSON or as a ZIP
of CSV files.

Accounts knows nothing of those apps: an app adds its part by registering, in its
`wagtail_hooks.py`, a function for `EXPORT_PARTS` (`wagtail.hooks.register(EXPORT_PARTS,
fn)`) that returns ``{section name: Section}`` for a user. Each section is a list under its
name in the JSON and `<name>.csv` in the ZIP. The export's query count is pinned by a test,
so a part must cost the same few queries however much the member wrote."""

import csv
import io
import json
import zipfile
from dataclasses import dataclass

from django.utils import timezone
from wagtail import hooks

from .models import User

# fn(user) -> {section name: Section}: what an app keeps of this member's.
EXPORT_PARTS = "canvass_account_export_parts"

REQUEST_COLUMNS = ("created_at", "office", "role", "how_to_confirm", "status", "reviewer_note")


@dataclass(frozen=True)
class Section:
    """Rows of one kind, each a dict with exactly these columns (the CSV file's header,
    written even when there are no rows)."""

    columns: tuple[str, ...]
    rows: list[dict]


@dataclass(frozen=True)
class Export:
    exported_at: str
    profile: dict
    sections: dict[str, Section]


def _profile(user: User) -> dict:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "job_title": user.job_title,
        "office": str(user.jurisdiction) if user.jurisdiction else "",
        "office_phone": user.office_phone,
        "bio": user.bio,
        "show_job_title": user.show_job_title,
        "show_jurisdiction": user.show_jurisdiction,
        "verified_until": user.verified_until.isoformat() if user.verified_until else "",
        "joined": user.date_joined.isoformat(),
    }


def _verification_requests(user: User) -> Section:
    return Section(
        REQUEST_COLUMNS,
        [
            {
                "created_at": r.created_at.isoformat(),
                "office": str(r.jurisdiction),
                "role": r.get_role_display(),
                "how_to_confirm": r.how_to_confirm,
                "status": r.get_status_display(),
                "reviewer_note": r.reason,
            }
            for r in user.verification_requests.select_related("jurisdiction")
        ],
    )


def collect(user: User) -> Export:
    """Everything exported for ``user``: two queries here, and what the parts cost."""
    sections = {"verification_requests": _verification_requests(user)}
    for part in hooks.get_hooks(EXPORT_PARTS):
        for name, section in part(user).items():
            if name in sections or name in ("exported_at", "profile"):
                raise ValueError(f"Two parts of the export are both called {name!r}.")
            sections[name] = section
    return Export(timezone.now().isoformat(), _profile(user), sections)


def as_json(data: Export) -> bytes:
    document = {"exported_at": data.exported_at, "profile": data.profile}
    document |= {name: section.rows for name, section in data.sections.items()}
    return json.dumps(document, indent=2, ensure_ascii=False).encode()


def _csv(rows: list[dict], columns) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def as_zip(data: Export) -> bytes:
    """profile.csv (field, value), and a CSV file per section (posts.csv,
    verification_requests.csv)."""
    profile = [{"field": key, "value": value} for key, value in data.profile.items()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("profile.csv", _csv(profile, ("field", "value")))
        for name, section in data.sections.items():
            archive.writestr(f"{name}.csv", _csv(section.rows, section.columns))
    return buffer.getvalue()
