"""The project's settings and migrations are in order, in every environment."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import ask, make_member, make_moderator, make_official

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-production-secret-that-is-long-enough-and-random-0123456789abcdef",
    "DJANGO_ALLOWED_HOSTS": "canvass.example",
    "DATABASE_URL": "sqlite:////tmp/canvass-deploy-check.sqlite3",
    "CANVASS_BASE_URL": "https://canvass.example",
    "DEFAULT_FROM_EMAIL": "Canvass <noreply@canvass.example>",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_") and k not in PRODUCTION_ENV
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**inherited, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_system_checks_pass():
    out = StringIO()
    call_command("check", stdout=out)
    assert "no issues" in out.getvalue()


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit as exit_:
        pytest.fail(
            f"Models have changes without a migration (exit {exit_.code}):\n{out.getvalue()}"
        )
    assert "No changes detected" in out.getvalue()


def test_production_settings_pass_the_deployment_checklist():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        "--settings",
        "config.settings.production",
        env=PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DATABASE_URL", "CANVASS_BASE_URL"])
def test_production_refuses_to_start_without_required_settings(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", "--settings", "config.settings.production", env=env)
    assert result.returncode != 0
    assert f"The environment variable {missing} must be set" in result.stderr


@pytest.mark.django_db
def test_error_pages_use_the_site_design(client):
    pages = [(client.get("/no-such-page/"), 404, "Page not found")]
    client.force_login(make_member())
    pages.append((client.get("/questions/ask/"), 403, "You cannot do that here"))
    client.force_login(make_moderator())
    thread = ask(make_official(), visibility="public")
    hide = f"/questions/{thread.pk}/hide/"
    pages.append((client.post(hide, {"answer": "shred"}), 400, "That could not be done"))
    for response, status, heading in pages:
        assert response.status_code == status
        html = response.content.decode()
        assert f"<h1>{heading}</h1>" in html
        assert 'class="usa-skipnav"' in html
    assert "Only verified election officials can ask questions." in pages[1][0].content.decode()
