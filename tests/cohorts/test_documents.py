"""Shared documents: stored outside MEDIA_ROOT, served only to people inside the cohort,
versioned, deleted with their files."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import ModelLogEntry

from accounts.services import set_verified_until
from cohorts import services
from cohorts.models import Document, DocumentVersion, private_storage
from tests import factories

pytestmark = pytest.mark.django_db


def upload(name="plan.pdf", content=b"%PDF-1.4 the plan"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def document(cohort, official):
    return services.upload_document(
        cohort=cohort, by=official, title="Staffing plan", upload=upload()
    )


def file_url(document, version=None) -> str:
    version = version or document.versions.first()
    return reverse(
        "cohorts:document_file",
        args=[document.cohort.slug, document.pk, version.pk, version.filename],
    )


def files_under(root) -> set[str]:
    return {name for _dir, _dirs, names in os.walk(root) for name in names}


def test_upload_stores_the_file_privately(document, official):
    version = document.versions.get()
    assert (version.filename, version.size, version.content_type) == (
        "plan.pdf",
        17,
        "application/pdf",
    )
    stored = Path(private_storage().path(version.file.name))
    assert stored.read_bytes() == b"%PDF-1.4 the plan"
    assert stored.is_relative_to(Path(settings.CANVASS_PRIVATE_ROOT))
    assert Path(version.file.name).name not in files_under(settings.MEDIA_ROOT)
    assert "plan" not in version.file.name  # a random name, not what it was called
    entry = ModelLogEntry.objects.for_instance(document.cohort).get(
        action="canvass.cohorts.document_upload"
    )
    assert entry.user == official


def test_members_download_it_as_an_attachment(client, document, official):
    client.force_login(official)
    response = client.get(file_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 the plan"
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("who", ["visitor", "member", "other_official", "expired"])
def test_anyone_outside_gets_what_a_missing_document_gets(client, document, who, request):
    if who == "expired":
        person = request.getfixturevalue("official")
        set_verified_until(user=person, until=factories.verified_until_yesterday())
    elif who != "visitor":
        person = request.getfixturevalue(who)
    if who != "visitor":
        client.force_login(person)
    version = document.versions.get()
    cohort = document.cohort
    urls = {
        "file": (
            file_url(document),
            reverse("cohorts:document_file", args=[cohort.slug, 999999, version.pk, "plan.pdf"]),
        ),
        "detail": (
            reverse("cohorts:document", args=[cohort.slug, document.pk]),
            reverse("cohorts:document", args=[cohort.slug, 999999]),
        ),
        "delete": (
            reverse("cohorts:document_delete", args=[cohort.slug, document.pk]),
            reverse("cohorts:document_delete", args=[cohort.slug, 999999]),
        ),
        "list": (
            reverse("cohorts:documents", args=[cohort.slug]),
            reverse("cohorts:documents", args=["no-such-cohort"]),
        ),
    }
    for real, missing in urls.values():
        for method in (client.get, client.post):
            found, absent = method(real), method(missing)
            assert found.status_code == absent.status_code == 404, real
            assert found.content == absent.content
    assert DocumentVersion.objects.filter(document=document).exists()


def test_a_new_version_by_the_uploader_or_a_coordinator(document, official, coordinator, expert):
    services.upload_version(document=document, by=official, upload=upload("plan-v2.pdf"), note="v2")
    services.upload_version(document=document, by=coordinator, upload=upload("plan-v3.pdf"))
    assert list(document.versions.values_list("filename", flat=True)) == [
        "plan-v3.pdf",
        "plan-v2.pdf",
        "plan.pdf",
    ]
    with pytest.raises(PermissionDenied):
        services.upload_version(document=document, by=expert, upload=upload())


def test_another_member_may_not_replace_or_delete(document, cohort, client):
    colleague = factories.make_official()  # the same office: a member too
    with pytest.raises(PermissionDenied):
        services.delete_document(document=document, by=colleague)
    client.force_login(colleague)
    assert (
        client.get(reverse("cohorts:document", args=[cohort.slug, document.pk])).status_code == 200
    )
    assert (
        client.post(reverse("cohorts:document_delete", args=[cohort.slug, document.pk])).status_code
        == 403
    )


def test_delete_removes_the_files_after_commit(document, coordinator, committed):
    services.upload_version(document=document, by=coordinator, upload=upload("plan-v2.pdf"))
    paths = [Path(private_storage().path(v.file.name)) for v in document.versions.all()]
    assert all(path.exists() for path in paths)
    with committed():
        services.delete_document(document=document, by=coordinator)
    assert not any(path.exists() for path in paths)
    assert not Document.objects.filter(pk=document.pk).exists()
    assert ModelLogEntry.objects.filter(action="canvass.cohorts.document_delete").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ", "Share a file of one of these kinds"),
        ("picture.svg", b"<svg/>", "Share a file of one of these kinds"),
        ("empty.txt", b"", "file is empty."),
        ("big.csv", b"a," * 600, "larger than"),
    ],
)
def test_refused_files_get_a_message_by_the_field(
    client, cohort, official, monkeypatch, name, content, message
):
    monkeypatch.setattr(services, "MAX_UPLOAD_BYTES", 1000)
    client.force_login(official)
    response = client.post(
        reverse("cohorts:documents", args=[cohort.slug]),
        {"title": "Kept title", "upload": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'value="Kept title"' in response.content.decode()
    assert not Document.objects.exists()
    with pytest.raises(services.CohortError):
        services.upload_document(
            cohort=cohort, by=official, title="x", upload=SimpleUploadedFile(name, content)
        )


def test_uploading_through_the_page(client, cohort, official):
    client.force_login(official)
    response = client.post(
        reverse("cohorts:documents", args=[cohort.slug]),
        {"title": "Poll worker roster", "upload": upload("roster.xlsx", b"PK fake"), "note": ""},
    )
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cohorts:document", args=[cohort.slug, document.pk])
    page = client.get(response["Location"]).content.decode()
    assert "roster.xlsx" in page and file_url(document) in page


def test_the_document_list_reads_a_fixed_number_of_queries(
    client, cohort, official, django_assert_num_queries
):
    client.force_login(official)
    url = reverse("cohorts:documents", args=[cohort.slug])
    client.get(url)
    services.upload_document(cohort=cohort, by=official, title="One", upload=upload())
    with django_assert_num_queries(8) as one:
        client.get(url)
    for number in range(3):
        services.upload_document(
            cohort=cohort, by=official, title=f"More {number}", upload=upload()
        )
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)
