"""End-to-end tests: a real server, a real database with the demo content, and Debian's
Chromium driven by Playwright.

The server is started the way `make run` starts it (migrate, load_demo, rebuild_search,
runserver), in a subprocess with its own database: a fresh SQLite file, or a fresh
PostgreSQL database when DATABASE_URL points at PostgreSQL, so CI covers both.

Where Chromium is missing the tests skip with a message saying how to install it, unless
CANVASS_REQUIRE_BROWSER=1 (CI), in which case they fail.
"""

import email
import email.policy
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from email.message import EmailMessage
from pathlib import Path

import dj_database_url
import pytest
from playwright.sync_api import expect

CHROMIUM = Path(os.environ.get("CANVASS_CHROMIUM", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


def _require_browser() -> None:
    if CHROMIUM.exists():
        return
    message = (
        f"Chromium was not found at {CHROMIUM}. Install it with "
        "`apt-get install -y chromium` to run the end-to-end tests."
    )
    if os.environ.get("CANVASS_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url(tmp_dir: Path) -> str:
    """A fresh database for the server: PostgreSQL when the suite runs on it, else SQLite."""
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp_dir / 'e2e.sqlite3'}"
    import psycopg

    config = dj_database_url.parse(configured)
    name = f"{config['NAME']}_e2e"
    admin = psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    )
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return configured.rsplit("/", 1)[0] + "/" + name


def _wait_until_serving(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"The server exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own loopback server
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"The server did not answer within 60 s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def server_dir(tmp_path_factory) -> Path:
    """The server's own directory: its database, search index, log and mail."""
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="session")
def mail_dir(server_dir) -> Path:
    """Where the server's file-based email backend writes each message it sends."""
    return server_dir / "mail"


@pytest.fixture(scope="session")
def live_site(server_dir, mail_dir) -> str:
    """Base URL of a server with the demo content loaded."""
    _require_browser()
    tmp_dir = server_dir
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "CANVASS_VAR_DIR": str(tmp_dir),
        "DATABASE_URL": _database_url(tmp_dir),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "CANVASS_BASE_URL": f"http://127.0.0.1:{port}",
        "PYTHONUNBUFFERED": "1",
    }
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput"], ["load_demo"], ["rebuild_search"]):
        subprocess.run(
            [*manage, *command], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300
        )
    log = tmp_dir / "server.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base_url + "/", server, log)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_site):
    context = browser.new_context(base_url=live_site)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page_without_javascript(browser, live_site):
    context = browser.new_context(base_url=live_site, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def assert_no_accessibility_violations(page) -> None:
    """Run axe-core on the page as it is now; fail with its report if it finds anything."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


DEMO_PASSWORD = "canvass-demo-2026"
_codes_used: dict[str, int] = {}


def two_factor_code(secret: str, *, key: str) -> str:
    """The authenticator app's current code for ``secret``. A code is accepted once, so a
    second sign-in by the same ``key`` within one 30-second period waits for the next."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    while (counter := int(time.time()) // 30) == _codes_used.get(key):
        time.sleep((counter + 1) * 30 - time.time() + 0.05)
    _codes_used[key] = counter
    return format_hotp_value(hotp_value(secret, counter))


def sign_in(page, email: str, *, password: str = DEMO_PASSWORD) -> None:
    """Sign in; demo staff also give the code from the demo authenticator secret."""
    from demo.people import DEMO_TOTP_SECRET

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    if "/accounts/2fa/authenticate/" in page.url:
        page.get_by_label("Code").fill(two_factor_code(DEMO_TOTP_SECRET, key=email))
        page.get_by_role("button", name=re.compile("^Sign In", re.I)).click()
    expect(page.get_by_role("link", name=re.compile("^Sign out"))).to_be_visible()


def sign_out(page) -> None:
    page.context.clear_cookies()


# Shared steps of several journeys --------------------------------------------------------

MESSAGE_SEPARATOR = b"-" * 79 + b"\n"  # between messages in one file of the file backend


def emails_to(mail_dir: Path, address: str) -> list[EmailMessage]:
    """The messages the server has sent to `address`, oldest first. The file-based backend
    writes one file per connection, named by the time it was opened."""
    found = []
    for path in sorted(mail_dir.glob("*.log"), key=lambda path: path.stat().st_mtime_ns):
        for raw in path.read_bytes().split(MESSAGE_SEPARATOR):
            if raw.strip():
                message = email.message_from_bytes(raw, policy=email.policy.default)
                if address in message["To"]:
                    found.append(message)
    return found


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def open_thread(page, topic_slug: str, title: str) -> str:
    """Open a demo thread from its topic's list (one page: a topic has few threads)."""
    page.goto(f"/questions/topics/{topic_slug}/")
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.locator("h1")).to_have_text(title)
    return page.url


def post_answer(page, text: str) -> str:
    """Post an answer on the open thread; returns the new answer's element id."""
    page.get_by_role("textbox", name="Your answer").fill(text)
    page.get_by_role("button", name="Post your answer").click()
    answer = page.locator("article.canvass-answer", has_text=text)
    expect(answer).to_have_count(1)
    return answer.get_attribute("id")
