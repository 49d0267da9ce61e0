"""Every link in every email is built on the site's one base URL (CANVASS_BASE_URL): ours,
and Wagtail's workflow emails, whose page links come from the Wagtail site that `migrate`
points there."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from wagtail.models import Site

from accounts import verification
from accounts.models import OfficialRole
from cms.editorial import setup_editorial
from cms.promotion import promote_to_guide
from core.sites import follow_base_url, site_address
from tests.cms.test_editorial import solved
from tests.factories import (
    find_jurisdiction,
    make_editor,
    make_member,
    make_moderator,
    make_official,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
BASE_URL = "https://canvass.example.org"
LINK = re.compile(r"https?://[^\s\"'<>]+")


@pytest.fixture
def base_url(settings):
    """The site served at BASE_URL, as after `migrate` with CANVASS_BASE_URL set."""
    settings.WAGTAILADMIN_BASE_URL = BASE_URL
    follow_base_url()


def links_in_mail() -> list[str]:
    return [link for message in mail.outbox for link in LINK.findall(message.body)]


def test_the_verification_email_links_to_the_base_url(base_url, django_capture_on_commit_callbacks):
    request = verification.request_verification(
        user=make_member(),
        jurisdiction=find_jurisdiction("az-maricopa-county"),
        role=OfficialRole.DEPUTY,
        how_to_confirm="Call the main office line listed on the county site.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        verification.approve_verification(request_id=request.pk, by=make_moderator())
    assert links_in_mail() == [f"{BASE_URL}/questions/"]


def test_workflow_emails_link_to_the_base_url(base_url, django_capture_on_commit_callbacks):
    workflow = setup_editorial()
    editor, moderator = make_editor(), make_moderator()
    guide = promote_to_guide(question=solved(make_official(state="OH")), editor=editor)
    guide.save_revision(user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        state = workflow.start(guide, editor)
        task_state = state.current_task_state
        task_state.task.specific.on_action(task_state, moderator, "approve")
    links = links_in_mail()
    assert f"{BASE_URL}/admin/pages/{guide.pk}/edit/" in links  # to the moderators
    assert f"{BASE_URL}{guide.url}" in links  # "view the page", to the editor
    assert all(link.startswith(f"{BASE_URL}/") for link in links), links


def test_migrate_points_the_wagtail_site_at_the_base_url():
    site = Site.objects.get(is_default_site=True)
    assert {"hostname": site.hostname, "port": site.port} == site_address()


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("https://canvass.example.org", {"hostname": "canvass.example.org", "port": 443}),
        ("http://127.0.0.1:8123/", {"hostname": "127.0.0.1", "port": 8123}),
        ("http://canvass.localhost", {"hostname": "canvass.localhost", "port": 80}),
    ],
)
def test_the_site_address_follows_the_base_url(settings, url, address):
    settings.WAGTAILADMIN_BASE_URL = url
    follow_base_url()
    site = Site.objects.get(is_default_site=True)
    assert site_address() == address == {"hostname": site.hostname, "port": site.port}
    assert site.root_url == url.rstrip("/")


def test_development_takes_the_base_url_from_the_port_make_run_serves():
    env = {k: v for k, v in os.environ.items() if k not in {"CANVASS_BASE_URL", "PORT"}}
    show = "from django.conf import settings; print(settings.WAGTAILADMIN_BASE_URL)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", show],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "PORT": "8123"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8123"
