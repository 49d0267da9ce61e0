"""What every benchmark shares: a throw-away site with the demo content, served by gunicorn
in its own process with production settings, and a keep-alive HTTP client that measures
requests per second against the bare baseline view in the same run.

One client asks, one request at a time, so a figure is what one worker process serves; with
one gunicorn worker (one thread) the machine's two cores hold one each. With more workers
the client keeps one connection to each and takes turns, so every worker serves. Targets
are measured in alternating rounds so that drift on a shared machine touches them all
alike. Every response is checked (status and content) before it counts.
"""

import http.client
import itertools
import json
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WARMUP_REQUESTS = 20
# A fresh PostgreSQL database is made on this server for a site on PostgreSQL, and dropped.
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


@dataclass
class Target:
    """One URL to measure, with the cookies to send and a check of each response body.
    With ``paths``, each request asks for the next path it yields instead (taken before the
    clock starts, so whatever the iterator does to prepare it is not timed)."""

    name: str
    path: str
    check: Callable[[str], str | None] = lambda body: None  # returns what is wrong, or None
    cookies: dict[str, str] = field(default_factory=dict)
    goal: float | None = None  # the ratio to the baseline the issue asks for
    paths: Iterator[str] | None = None
    latencies: list[float] = field(default_factory=list)

    def next_path(self) -> str:
        return self.path if self.paths is None else next(self.paths)

    @property
    def per_second(self) -> float:
        """Requests a second of time spent in requests."""
        return len(self.latencies) / sum(self.latencies)


class Site:
    """A fresh database (SQLite in a temporary directory, or a new PostgreSQL database on
    POSTGRES_URL's server, dropped afterwards) and var directory, configured by the same
    environment variables a deployment sets (see the README), with bench.settings, served
    by ``workers`` gunicorn workers."""

    def __init__(self, database: str = "sqlite", workers: int = 1):
        self._tmp = tempfile.TemporaryDirectory(prefix="canvass-bench-")
        tmp = Path(self._tmp.name)
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self._postgres_name = None
        if database == "postgres":
            self._postgres_name = f"canvass_bench_{secrets.token_hex(4)}"
            self._postgres("CREATE DATABASE {}")
            database_url = f"{POSTGRES_URL}/{self._postgres_name}"
        else:
            database_url = f"sqlite:///{tmp / 'bench.sqlite3'}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "CANVASS_BASE_URL": self.base_url,
            "CANVASS_VAR_DIR": str(tmp),
            "DEFAULT_FROM_EMAIL": "bench@canvass.example",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        }
        self._server = None

    def _postgres(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as admin:
            admin.execute(statement.format(f'"{self._postgres_name}"'))

    def setup_django(self) -> None:
        """Configure Django in this process against the benchmark database and load the
        demo content, so that scenarios can create their data with the services."""
        os.environ.update(self.env)
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_demo", verbosity=0)

    def login_cookies(self, user) -> dict[str, str]:
        """A real session for ``user`` in the benchmark database."""
        from django.conf import settings
        from django.test import Client

        client = Client()
        client.force_login(user)
        return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}

    def __enter__(self):
        return self

    def serve(self) -> None:
        log = Path(self._tmp.name) / "server.log"
        self._log = log.open("w")
        self._server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "config.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={self.workers}",
                "--worker-class=gthread",
                "--threads=1",
                # Connections stay with their worker between the steps of a benchmark.
                "--keep-alive=3600",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._server.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{log.read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not listen within 60 s:\n{log.read_text()}")

    def connections(self) -> list[http.client.HTTPConnection]:
        """One keep-alive connection to each worker. A worker takes whichever new
        connection it wins, so connections are opened until each worker holds one; the
        connection's ``worker_pid`` says which (from /bench/pid/)."""
        from bench.urls import PID_PATH

        held = {}
        for _ in range(100 * self.workers):
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
            connection.request("GET", PID_PATH)
            response = connection.getresponse()
            pid = int(response.read())
            if pid in held:
                connection.close()
                continue
            connection.worker_pid = pid
            held[pid] = connection
            if len(held) == self.workers:
                return list(held.values())
        raise RuntimeError(f"could not reach all {self.workers} workers")

    def __exit__(self, *exc):
        if self._server is not None:
            self._server.terminate()
            self._server.wait(timeout=30)
            self._log.close()
        if self._postgres_name is not None:
            self._postgres("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        self._tmp.cleanup()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(connection: http.client.HTTPConnection, target: Target, path: str) -> tuple[str, float]:
    """GET ``path`` as ``target`` asks (its cookies): the body and the seconds it took."""
    headers = {}
    if target.cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in target.cookies.items())
    started = time.perf_counter()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    if response.status != 200:
        raise RuntimeError(f"{target.name}: {path} answered {response.status}")
    return body.decode(), elapsed


def ask(connection: http.client.HTTPConnection, target: Target) -> float:
    """One request for the target's next path, checked: the seconds it took."""
    path = target.next_path()
    body, elapsed = get(connection, target, path)
    problem = target.check(body)
    if problem:
        raise RuntimeError(f"{target.name}: {path}: {problem}")
    return elapsed


def measure(site: Site, targets: list[Target]) -> None:
    """Warm each target up, then measure all in alternating rounds, taking turns over the
    connections to the workers. Every response is checked."""
    connections = site.connections()
    turns = itertools.cycle(connections)
    for target in targets:
        for _ in range(WARMUP_REQUESTS):
            ask(next(turns), target)
    for _ in range(ROUNDS):
        for target in targets:
            started = time.perf_counter()
            while time.perf_counter() - started < SECONDS:
                target.latencies.append(ask(next(turns), target))
    for connection in connections:
        connection.close()


def report(name: str, targets: list[Target], notes: dict[str, str]) -> bool:
    """Print the table, write bench/results/<name>.json, and say whether every goal was met.
    The first target is the baseline."""
    baseline = targets[0].per_second
    rows = []
    print(f"\n{name}: {ROUNDS} rounds of {SECONDS:g} s per target")
    for key, value in notes.items():
        print(f"  {key}: {value}")
    print(f"\n  {'target':<34}{'req/s':>9}{'median ms':>11}{'p95 ms':>9}{'ratio':>8}  goal")
    met = True
    for target in targets:
        ordered = sorted(target.latencies)
        ratio = target.per_second / baseline
        ok = target.goal is None or ratio >= target.goal
        met &= ok
        goal = "" if target.goal is None else f"≥ {target.goal:.2f}  {'met' if ok else 'MISSED'}"
        row = {
            "target": target.name,
            "path": target.path,
            "requests": len(ordered),
            "requests_per_second": round(target.per_second, 1),
            "median_ms": round(statistics.median(ordered) * 1000, 2),
            "p95_ms": round(ordered[int(len(ordered) * 0.95)] * 1000, 2),
            "ratio_to_baseline": round(ratio, 3),
            "goal": target.goal,
            "met": ok,
        }
        rows.append(row)
        print(
            f"  {target.name:<34}{row['requests_per_second']:>9.1f}{row['median_ms']:>11.2f}"
            f"{row['p95_ms']:>9.2f}{ratio:>8.2f}  {goal}"
        )
    write_result(name, {"rounds": ROUNDS, "seconds_per_round": SECONDS, **notes}, rows)
    return met


def write_result(name: str, notes: dict, rows: list[dict]) -> None:
    """Write bench/results/<name>.json: when and where it ran, the notes and the rows."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {
        "benchmark": name,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "python": platform.python_version(),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        **notes,
        "results": rows,
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\n  written to {path.relative_to(ROOT)}")


# --- in-process benchmarks: figures rather than requests --------------------------------------


def median_p95_ms(samples: list[float]) -> tuple[float, float]:
    """The median and 95th percentile of ``samples`` (seconds), in milliseconds."""
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95)] * 1000


def figure(name: str, value: float, unit: str, goal: str | None = None, met=None) -> dict:
    """One row of an in-process benchmark's table; ``met`` is None where there is no goal."""
    return {"figure": name, "value": round(value, 3), "unit": unit, "goal": goal, "met": met}


def report_figures(name: str, notes: dict, rows: list[dict]) -> bool:
    """Print an in-process benchmark's notes and figures, write bench/results/<name>.json,
    and say whether every goal was met."""
    print(f"\n{name}: in process")
    for key, value in notes.items():
        print(f"  {key}: {value}")
    print(f"\n  {'figure':<56}{'value':>10}  {'unit':<7}goal")
    for row in rows:
        goal = "" if row["goal"] is None else f"{row['goal']}  {'met' if row['met'] else 'MISSED'}"
        value = row["value"]
        value = f"{value:,}" if isinstance(value, int) else f"{value:,.{2 if value < 100 else 0}f}"
        print(f"  {row['figure']:<56}{value:>10}  {row['unit']:<7}{goal}")
    write_result(name, notes, rows)
    return all(row["met"] is not False for row in rows)


def step(message: str, started: list[float]) -> None:
    """Say how far a benchmark has come, with the seconds since ``started[0]``."""
    now = time.perf_counter()
    print(f"  [{now - started[0]:6.0f} s] {message}", flush=True)


# Production's task backend: what a write hands to the background is only a task row.
TASKS_BACKEND = "django_tasks_db.DatabaseBackend"


def run_in_process(name: str, measure: Callable[[list[float]], bool], database: str = "sqlite"):
    """For a benchmark measured in this process: a fresh site with production's settings and
    task backend, holding the schema and the topics only, then ``measure(clock)``."""
    with Site(database=database) as site:
        site.env["TASKS_BACKEND"] = TASKS_BACKEND
        os.environ.update(site.env)
        # WhiteNoise warns on every test-client request without it; nothing is collected.
        (Path(site.env["CANVASS_VAR_DIR"]) / "static").mkdir(exist_ok=True)
        import django
        from django.core.management import call_command
        from django.db import connections

        django.setup()
        clock = [time.perf_counter()]
        print(f"\n{name}: {database}, production settings, {TASKS_BACKEND}", flush=True)
        step("migrate, load_topics", clock)
        call_command("migrate", verbosity=0, interactive=False)
        call_command("load_topics", verbosity=0)
        try:
            return measure(clock)
        finally:
            connections.close_all()
