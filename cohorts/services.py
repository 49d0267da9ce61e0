"""State changes for cohorts: the only writer. Views, admin views, commands, the demo and
tests call these, never a raw save().

Each checks who acts (`permissions`; ``by=None`` only where a trusted caller, the demo
loader or a command, acts for the site), writes Wagtail's audit log in its transaction
(`canvass.cohorts.*`, named in `wagtail_hooks.COHORT_LOG_ACTIONS`) and, when who belongs
or what a cohort shows could change, calls `membership.changed()`, which makes cached lists
and bylines forget once the change commits. Every office added or removed is a
`MembershipChange`. A refusal is a `CohortError` (a `BadRequest`) with a sentence for the
person; acting without the right is `PermissionDenied`."""

import mimetypes
import os

from django.core.exceptions import BadRequest, PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from accounts.models import Jurisdiction, User

from . import membership, permissions, rules
from .models import (
    ChangeKind,
    Cohort,
    CohortExpert,
    CohortOffice,
    Coordinator,
    Document,
    DocumentVersion,
    JoinRequest,
    MembershipChange,
    RequestStatus,
    Source,
    private_storage,
)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ALLOWED_EXTENSIONS = ("pdf", "docx", "xlsx", "pptx", "odt", "ods", "csv", "txt")
COHORT_FIELDS = (
    "name",
    "slug",
    "description",
    "is_listed",
    "rule_min_population",
    "rule_top_in_state",
)


class CohortError(BadRequest):
    """A refused change, with the sentence to show next to the form."""


def _check(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _check_administrator(by: User | None) -> None:
    """``by=None``: the site itself (the demo loader, a command)."""
    _check(
        by is None or permissions.can_manage_cohorts(by),
        _("Only administrators create cohorts and choose their coordinators."),
    )


def _check_coordinator(by: User | None, cohort: Cohort) -> None:
    _check(
        by is None or permissions.can_coordinate(by, cohort),
        _("Only the cohort's coordinators do this."),
    )


def _log(cohort: Cohort, action: str, by: User | None, **data) -> None:
    log(instance=cohort, action=f"canvass.cohorts.{action}", user=by, data=data)


# ---- cohorts and coordinators (administrators) -----------------------------------------


def _save_cohort(cohort: Cohort, fields: dict) -> None:
    unknown = set(fields) - set(COHORT_FIELDS)
    if unknown:
        raise ValueError(f"Not cohort fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(cohort, name, value)
    if not cohort.is_listed:
        cohort.show_badge = False  # an unlisted cohort never shows a badge
    cohort.full_clean()
    cohort.save()


@transaction.atomic
def create_cohort(*, by: User | None, **fields) -> Cohort:
    """A new cohort (``fields`` from COHORT_FIELDS). A rule cohort gets its offices at once."""
    _check_administrator(by)
    cohort = Cohort()
    _save_cohort(cohort, fields)
    _log(cohort, "create", by, name=cohort.name)
    rules.evaluate(cohort)
    membership.changed()
    return cohort


@transaction.atomic
def edit_cohort(*, cohort: Cohort, by: User | None, **fields) -> Cohort:
    """Change a cohort's name, address, description, listing or rule. A rule saved is
    evaluated at once; unlisting takes the badge off."""
    _check_administrator(by)
    before = {name: getattr(cohort, name) for name in COHORT_FIELDS}
    _save_cohort(cohort, fields)
    changed = {
        name: [before[name], value] for name, value in fields.items() if before[name] != value
    }
    if changed:
        _log(cohort, "edit", by, changed=changed)
        rules.evaluate(cohort)
        membership.changed()
    return cohort


@transaction.atomic
def grant_coordinator(*, cohort: Cohort, user: User, by: User | None) -> Coordinator:
    _check_administrator(by)
    if not permissions.can_be_coordinator(user):
        raise CohortError(
            _("Only verified officials, experts and moderators can coordinate a cohort.")
        )
    coordinator, created = Coordinator.objects.get_or_create(
        cohort=cohort, user=user, defaults={"granted_by": by}
    )
    if created:
        _log(cohort, "coordinator_grant", by, person=user.pk)
        membership.changed()
    return coordinator


@transaction.atomic
def revoke_coordinator(*, cohort: Cohort, user: User, by: User | None) -> None:
    _check_administrator(by)
    deleted, _rows = Coordinator.objects.filter(cohort=cohort, user=user).delete()
    if deleted:
        _log(cohort, "coordinator_revoke", by, person=user.pk)
        membership.changed()


# ---- offices, experts and badge (coordinators) -----------------------------------------


def _record(cohort: Cohort, office: Jurisdiction, change: str, source: str, by) -> None:
    MembershipChange.objects.create(
        cohort=cohort, jurisdiction=office, change=change, source=source, by=by
    )


def _check_by_hand(cohort: Cohort) -> None:
    if cohort.has_rule:
        raise CohortError(
            _("This cohort's offices are set by its rule; an administrator can change the rule.")
        )


@transaction.atomic
def add_office(
    *, cohort: Cohort, office: Jurisdiction, by: User | None, source: str = Source.COORDINATOR
) -> CohortOffice:
    _check_coordinator(by, cohort)
    _check_by_hand(cohort)
    if CohortOffice.objects.filter(cohort=cohort, jurisdiction=office).exists():
        raise CohortError(_("%(office)s is in the cohort already.") % {"office": office})
    entry = CohortOffice.objects.create(cohort=cohort, jurisdiction=office, source=source)
    # A request the coordinator answered by adding the office is settled too.
    JoinRequest.objects.filter(
        cohort=cohort, jurisdiction=office, status=RequestStatus.PENDING
    ).update(status=RequestStatus.APPROVED, decided_by=by, decided_at=timezone.now())
    _record(cohort, office, ChangeKind.ADDED, source, by)
    _log(cohort, "office_add", by, office=office.pk)
    membership.changed()
    return entry


@transaction.atomic
def remove_office(*, cohort: Cohort, office: Jurisdiction, by: User | None) -> None:
    _check_coordinator(by, cohort)
    _check_by_hand(cohort)
    deleted, _rows = CohortOffice.objects.filter(cohort=cohort, jurisdiction=office).delete()
    if not deleted:
        raise CohortError(_("%(office)s is not in the cohort.") % {"office": office})
    _record(cohort, office, ChangeKind.REMOVED, Source.COORDINATOR, by)
    _log(cohort, "office_remove", by, office=office.pk)
    membership.changed()


def find_expert(email: str) -> User:
    """The expert with this email address, for a coordinator adding one by address."""
    found = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if found is None or not permissions.can_be_added_as_expert(found):
        raise CohortError(_("No expert has this email address. Staff grant the expert role."))
    return found


@transaction.atomic
def add_expert(*, cohort: Cohort, user: User, by: User | None) -> CohortExpert:
    """An expert (holding the role) reads the cohort while they hold it."""
    _check_coordinator(by, cohort)
    if not permissions.can_be_added_as_expert(user):
        raise CohortError(_("Only people with the expert role can be added as experts."))
    entry, created = CohortExpert.objects.get_or_create(
        cohort=cohort, user=user, defaults={"added_by": by}
    )
    if not created:
        raise CohortError(_("%(name)s is in the cohort already.") % {"name": user.display_name})
    _log(cohort, "expert_add", by, person=user.pk)
    membership.changed()
    return entry


@transaction.atomic
def remove_expert(*, cohort: Cohort, user: User, by: User | None) -> None:
    _check_coordinator(by, cohort)
    deleted, _rows = CohortExpert.objects.filter(cohort=cohort, user=user).delete()
    if deleted:
        _log(cohort, "expert_remove", by, person=user.pk)
        membership.changed()


@transaction.atomic
def set_badge(*, cohort: Cohort, by: User | None, show_badge: bool, badge_label: str) -> Cohort:
    """Whether the cohort's badge shows on its members' posts, and what it says. Only a
    listed cohort shows one."""
    _check_coordinator(by, cohort)
    badge_label = badge_label.strip()
    if show_badge and not cohort.is_listed:
        raise CohortError(_("An unlisted cohort never shows a badge."))
    if show_badge and not badge_label:
        raise CohortError(_("Write the badge's text, or choose not to show it."))
    if (cohort.show_badge, cohort.badge_label) != (show_badge, badge_label):
        cohort.show_badge, cohort.badge_label = show_badge, badge_label
        cohort.full_clean()
        cohort.save(update_fields=["show_badge", "badge_label"])
        _log(cohort, "badge", by, show_badge=show_badge, badge_label=badge_label)
        membership.changed()
    return cohort


# ---- joining -----------------------------------------------------------------------------


@transaction.atomic
def request_join(*, cohort: Cohort, by: User, note: str = "") -> JoinRequest:
    """A verified official asks that their office join; coordinators decide."""
    if not permissions.can_see(by, cohort):
        raise PermissionDenied
    _check_by_hand(cohort)
    if not permissions.can_ask_to_join(by, cohort):
        raise CohortError(_("Only a verified official of an office outside the cohort can ask."))
    office = by.jurisdiction
    if JoinRequest.objects.filter(
        cohort=cohort, jurisdiction=office, status=RequestStatus.PENDING
    ).exists():
        raise CohortError(_("Your office has asked already; a coordinator will decide."))
    request = JoinRequest.objects.create(
        cohort=cohort, jurisdiction=office, requested_by=by, note=note.strip()
    )
    _log(cohort, "join_request", by, office=office.pk, request=request.pk)
    return request


@transaction.atomic
def decide_join(
    *, join_request: JoinRequest, by: User | None, approve: bool, reason: str = ""
) -> JoinRequest:
    """Approve (the office joins) or decline (with a reason the asker reads)."""
    cohort = join_request.cohort
    _check_coordinator(by, cohort)
    reason = reason.strip()
    if join_request.status != RequestStatus.PENDING:
        raise CohortError(_("This request has been decided already."))
    if not approve and not reason:
        raise CohortError(_("Say why, so the office knows."))
    if approve:
        add_office(cohort=cohort, office=join_request.jurisdiction, by=by, source=Source.REQUEST)
        join_request.refresh_from_db()
    join_request.status = RequestStatus.APPROVED if approve else RequestStatus.DECLINED
    join_request.reason = reason
    join_request.decided_by = by
    join_request.decided_at = timezone.now()
    join_request.save()
    action = "join_approve" if approve else "join_decline"
    _log(cohort, action, by, office=join_request.jurisdiction_id, request=join_request.pk)
    return join_request


# ---- shared documents --------------------------------------------------------------------


def upload_problem(upload) -> str | None:
    """Why this file may not be shared, or None: the forms show it next to the field and
    the services refuse with it."""
    extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
    if extension not in ALLOWED_EXTENSIONS:
        return _("Share a file of one of these kinds: %(kinds)s.") % {
            "kinds": ", ".join(ALLOWED_EXTENSIONS)
        }
    if upload.size > MAX_UPLOAD_BYTES:
        return _("The file is larger than %(size)d MB.") % {"size": MAX_UPLOAD_BYTES // 2**20}
    if upload.size == 0:
        return _("The file is empty.")
    return None


def _new_version(document: Document, upload, by: User, note: str) -> DocumentVersion:
    if problem := upload_problem(upload):
        raise CohortError(problem)
    filename = os.path.basename(upload.name)[-200:]
    version = DocumentVersion(
        document=document,
        filename=filename,
        size=upload.size,
        content_type=mimetypes.guess_type(filename)[0] or "application/octet-stream",
        note=note.strip(),
        uploaded_by=by,
    )
    version.file.save(filename, upload, save=False)
    version.save()
    return version


def _check_enter(by: User, cohort: Cohort) -> None:
    _check(permissions.can_enter(by, cohort), _("Only the cohort's members share documents."))


@transaction.atomic
def upload_document(*, cohort: Cohort, by: User, title: str, upload, note: str = "") -> Document:
    """Share a file with the cohort: a document and its first version."""
    _check_enter(by, cohort)
    document = Document(cohort=cohort, title=title.strip(), created_by=by)
    document.full_clean()
    document.save()
    version = _new_version(document, upload, by, note)
    _log(cohort, "document_upload", by, document=document.pk, version=version.pk)
    return document


@transaction.atomic
def upload_version(*, document: Document, by: User, upload, note: str = "") -> DocumentVersion:
    _check(
        permissions.can_change_document(by, document),
        _("Only the person who shared the document or a coordinator can replace it."),
    )
    version = _new_version(document, upload, by, note)
    document.updated_at = version.uploaded_at
    document.save(update_fields=["updated_at"])
    _log(document.cohort, "document_version", by, document=document.pk, version=version.pk)
    return version


@transaction.atomic
def delete_document(*, document: Document, by: User) -> None:
    """Delete a document and every version; the files go once the deletion commits."""
    _check(
        permissions.can_change_document(by, document),
        _("Only the person who shared the document or a coordinator can delete it."),
    )
    names = list(document.versions.values_list("file", flat=True))
    _log(document.cohort, "document_delete", by, document=document.pk, title=document.title)
    document.delete()
    storage = private_storage()
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
