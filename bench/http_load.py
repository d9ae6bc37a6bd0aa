"""HTTP load harness: Palliare (or a hello-world Flask) under gunicorn, keep-alive clients,
throughput, latency percentiles, bytes, and the servers' memory at peak.

This file is not a benchmark (`make bench` skips it); bench/tail_latency.py and
bench/memory.py use it, and so can any benchmark that needs real HTTP. The API::

    from http_load import Gunicorn, hello_app, load, sign_in, pg_database, sqlite_url

    # A prepared database: make it with create_app(..., SQLALCHEMY_DATABASE_URI=url),
    # migrate and fill it, then serve it. pg_database() gives a throw-away PostgreSQL
    # database (None when PostgreSQL does not answer on 127.0.0.1:5432) and drops it.
    with pg_database() as url, Gunicorn(url, workers=2) as server:
        cookie = sign_in(server, "trainer@example.org", "palliare-demo")  # the real form
        result = load(server, "/cohorts/1", cookie=cookie, clients=8, seconds=10)
        print(result.line())        # requests/s, p50/p95/p99 ms, KB per response, errors
        result.rps, result.p50_ms, result.p95_ms, result.p99_ms, result.bytes_per_request
        result.memory.rss_mib, result.memory.pss_mib  # master + workers, at peak, sampled

    with Gunicorn(app=hello_app(), workers=2) as hello:  # the floor, same settings
        floor = load(hello, "/", clients=8, seconds=5)
    hello_app(same_dependencies=True)  # a hello-world that imports what Palliare imports

``Gunicorn`` runs deploy/gunicorn.conf.py (gthread, 2 workers × 2 threads, keep-alive 5 s,
max_requests 10,000 with jitter, as in production: a long run may see a worker recycled),
with the bind, worker and thread counts given, ``PALLIARE_ENV=production``, a random
``SECRET_KEY`` and the access log thrown away (formatted, as in production, but not
kept). ``env`` adds variables (``{"SQLITE_DEFERRED_READS": "0"}`` brings back
BEGIN IMMEDIATE for every request, app/sqlite.py). ``server.pids()`` are the master and
its workers; ``server.memory()`` one sample of their RSS and PSS (/proc/<pid>/smaps_rollup);
``with PeakMemory(server) as sampled:`` samples them while the block runs (``sampled.peak``).
Every gunicorn gets the ``Environment=`` of deploy/palliare-web.service
(``deploy_environment()``: ``MALLOC_ARENA_MAX``…), as in production.

``load`` first checks that the page answers ``expect`` (200: never measure a redirect),
warms up for ``warmup`` seconds, then runs ``clients`` keep-alive connections for
``seconds`` with wrk (Debian's ``wrk``, installed by `make bench`), or, without wrk, with
Python threads (http.client; slower, and the client then competes for the CPU). Memory is
sampled every 0.2 s during the measured run; ``result.restarts`` counts workers that
gunicorn replaced meanwhile (max_requests). ``result.load_average`` is the machine's
1-minute load average at the end: on a shared machine, figures are only comparable
between runs of similar load.
"""

import contextlib
import dataclasses
import http.client
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
PG_SERVER = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"
SETTLE_SECONDS = 2.0  # after start-up and between runs: let the machine settle
UNIT = ROOT / "deploy" / "palliare-web.service"

HELLO = '''"""A hello-world Flask app (bench/http_load.py): the floor Palliare is compared with."""
import importlib
import sys

# Drivers Palliare's worker does not import, hidden as app/tasks.py hides them from huey
# (whose storage module would import both): the same modules as Palliare's, no more.
for name in {hidden!r}:
    sys.modules[name] = None
for name in {modules!r}:
    try:
        importlib.import_module(name)
    except Exception:  # noqa: BLE001  (an optional part that cannot load here)
        pass
for name in {hidden!r}:
    del sys.modules[name]

import gc

from flask import Flask

app = Flask(__name__)
# As wsgi.py does before gunicorn forks (preload_app): otherwise the workers' collector
# writes to every page of the imported modules and nothing stays shared.
gc.collect()
gc.freeze()


@app.get("/")
def hello():
    return "Hello, world!"


@app.get("/healthz")
def healthz():
    return "ok"
'''


def deploy_environment() -> dict[str, str]:
    """The variables deploy/palliare-web.service sets with ``Environment=`` (among them
    ``MALLOC_ARENA_MAX``): every gunicorn the benchmarks start gets them, so that they
    measure what production runs. One already set in this process's environment wins
    (``MALLOC_ARENA_MAX=8 python memory.py`` measures glibc's default)."""
    env = {}
    for line in UNIT.read_text().splitlines():
        if line.startswith("Environment="):
            for item in shlex.split(line.removeprefix("Environment=")):
                key, _, value = item.partition("=")
                env[key] = value
    return {key: value for key, value in env.items() if key not in os.environ}


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def sqlite_url(folder: Path, name: str = "bench.db") -> str:
    return f"sqlite:///{Path(folder) / name}"


@contextlib.contextmanager
def pg_database():
    """A throw-away PostgreSQL database's URL (dropped afterwards), or None when PostgreSQL
    does not answer on 127.0.0.1:5432."""
    try:
        import psycopg

        psycopg.connect(PG_SERVER).close()
    except Exception:  # noqa: BLE001  (no driver, no server: the caller skips)
        yield None
        return
    name = f"palliare_bench_{secrets.token_hex(4)}"
    with psycopg.connect(PG_SERVER, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_SERVER, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def palliare_modules() -> list[str]:
    """The top-level modules a Palliare worker has imported once its app is built, other
    than Palliare's own and the standard library's: what a fair hello-world imports."""
    code = (
        "import sys, wsgi; "
        "std = set(sys.stdlib_module_names); "
        "print('\\n'.join(sorted({m.split('.')[0] for m in list(sys.modules)} - std)))"
    )
    # PALLIARE_WEB_SERVER: what gunicorn sets (deploy/gunicorn.conf.py), so no migration tool
    env = {**os.environ, "PALLIARE_ENV": "testing", "PYTHONWARNINGS": "ignore"}
    env["PALLIARE_WEB_SERVER"] = "1"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    own = {"app", "config", "wsgi", "__main__", "_distutils_hack"}
    return [m for m in out if m not in own and not m.startswith("_")]


def hello_app(same_dependencies: bool = False) -> str:
    """A hello-world Flask app as a gunicorn app path ("module:app"), in a temporary folder
    (``Gunicorn`` adds it to the Python path); with ``same_dependencies`` it first imports
    every third-party module Palliare's workers import."""
    from app.tasks import _NOT_FOR_HUEY

    folder = Path(tempfile.mkdtemp(prefix="palliare-hello-"))
    modules = palliare_modules() if same_dependencies else []
    hidden = [name for name in _NOT_FOR_HUEY if name not in modules] if modules else []
    (folder / "palliare_hello.py").write_text(HELLO.format(modules=modules, hidden=hidden))
    return f"{folder}:palliare_hello:app"


@dataclasses.dataclass
class Memory:
    """RSS and PSS of a server's processes (master + workers), in MiB."""

    rss_mib: float = 0.0
    pss_mib: float = 0.0
    processes: int = 0
    each: tuple[tuple[float, float], ...] = ()  # (RSS, PSS) of each process, master first

    def line(self) -> str:
        return (
            f"{self.rss_mib:.0f} MiB RSS / {self.pss_mib:.0f} MiB PSS ({self.processes} processes)"
        )

    def processes_line(self) -> str:
        return ", ".join(f"{rss:.0f}/{pss:.0f}" for rss, pss in self.each)


class PeakMemory:
    """A server's memory sampled every 0.2 s while a ``with`` block runs: ``.peak`` (the
    sample with the largest PSS sum), ``.restarts`` (workers gunicorn replaced meanwhile)."""

    def __init__(self, server: "Gunicorn", interval: float = 0.2):
        self.server, self.interval = server, interval
        self.peak, self.restarts = Memory(), 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        before = seen = set(self.server.pids())
        while True:
            now = self.server.memory()
            seen = seen | set(self.server.pids())
            if now.pss_mib > self.peak.pss_mib:
                self.peak = now
            self.restarts = len(seen - before)
            if self._stop.wait(self.interval):
                return

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        return False


def _rollup(pid: int) -> tuple[int, int]:
    """RSS and PSS of one process, in kB."""
    rss = pss = 0
    with open(f"/proc/{pid}/smaps_rollup") as file:
        for line in file:
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    return rss, pss


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (gunicorn's workers, PostgreSQL's backends)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as file:
                    fields = file.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


class Gunicorn:
    """gunicorn with deploy/gunicorn.conf.py's settings on a free local port (see the
    module's docstring). A context manager: stopped (its whole process group) on exit."""

    def __init__(
        self,
        database_url: str | None = None,
        *,
        app: str = "wsgi:app",
        workers: int = 2,
        threads: int = 2,
        env: dict | None = None,
    ):
        self.database_url, self.workers, self.threads = database_url, workers, threads
        self.app, self.extra_env = app, env or {}
        self.port = free_port()
        self.secret_key = secrets.token_hex(16)
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        pythonpath, module = self.app.split(":", 1) if self.app.count(":") > 1 else ("", self.app)
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "PALLIARE_ENV", "SERVER_NAME", "FLASK_DEBUG"}
        }
        env.update(deploy_environment())
        env.update(
            PALLIARE_ENV="production",
            SECRET_KEY=self.secret_key,
            SERVER_NAME=HOST,  # production needs it (links in e-mails)
            WEB_WORKERS=str(self.workers),
            WEB_THREADS=str(self.threads),
            GUNICORN_BIND=f"{HOST}:{self.port}",
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env.update(self.extra_env)
        command = [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
        command += ["--access-logfile", "/dev/null", "--log-level", "warning"]
        if pythonpath:
            command += ["--pythonpath", pythonpath]
        self.process = subprocess.Popen(
            [*command, module], cwd=ROOT, env=env, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200 and len(self.pids()) > self.workers:
                    connection.close()
                    break
                connection.close()
            except OSError:
                pass
            time.sleep(0.2)
        else:
            self.__exit__(None, None, None)
            raise RuntimeError("gunicorn did not answer within 60 s")
        time.sleep(SETTLE_SECONDS)
        return self

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        return False

    def pids(self) -> list[int]:
        """The master's and its workers' process ids."""
        return [self.process.pid, *children(self.process.pid)]

    def memory(self) -> Memory:
        """One sample of the master's and workers' RSS and PSS."""
        each = []
        for pid in self.pids():
            with contextlib.suppress(OSError):  # a worker recycled between reads
                r, p = _rollup(pid)
                each.append((r / 1024, p / 1024))
        rss, pss = sum(r for r, _ in each), sum(p for _, p in each)
        return Memory(rss, pss, len(each), tuple(each))


def request(server: Gunicorn, method: str, path: str, *, cookie=None, body=None, headers=None):
    """One request on a new connection: (status, headers as a dict of lists, body)."""
    connection = http.client.HTTPConnection(HOST, server.port, timeout=30)
    sent = dict(headers or {})
    if cookie:
        sent["Cookie"] = f"session={cookie}"
    if body is not None:
        sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
    connection.request(method, path, body=body, headers=sent)
    response = connection.getresponse()
    data = response.read()
    received: dict[str, list[str]] = {}
    for name, value in response.getheaders():
        received.setdefault(name.lower(), []).append(value)
    connection.close()
    return response.status, received, data


def _session_cookie(headers: dict) -> str | None:
    for value in headers.get("set-cookie", []):
        match = re.match(r"session=([^;]*)", value)
        if match and match.group(1):
            return match.group(1)
    return None


def sign_in(server: Gunicorn, email: str, password: str) -> str:
    """Sign in through the real form (/login, its CSRF token); the session cookie's value."""
    status, headers, page = request(server, "GET", "/login")
    assert status == 200, status
    cookie = _session_cookie(headers)
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
    token = token or re.search(rb'value="([^"]+)"[^>]*name="csrf_token"', page)
    form = urllib.parse.urlencode(
        {"csrf_token": token.group(1).decode(), "email": email, "password": password}
    )
    status, headers, _ = request(server, "POST", "/login", cookie=cookie, body=form)
    signed_in = _session_cookie(headers)
    if status != 302 or not signed_in:
        raise RuntimeError(f"signing in as {email} failed: {status}")
    return signed_in


@dataclasses.dataclass
class Result:
    """What one load run measured."""

    path: str
    clients: int
    seconds: float
    requests: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    bytes_per_request: float
    errors: int
    memory: Memory
    restarts: int
    load_average: float
    client: str

    @property
    def tail_ratio(self) -> float:
        return self.p95_ms / self.p50_ms if self.p50_ms else float("inf")

    def line(self) -> str:
        return (
            f"{self.rps:.0f} requests/s, p50 {self.p50_ms:.1f} ms, p95 {self.p95_ms:.1f} ms, "
            f"p99 {self.p99_ms:.1f} ms, {self.bytes_per_request / 1024:.1f} KB/response, "
            f"{self.errors} errors ({self.clients} clients, {self.seconds:.0f} s, {self.client}; "
            f"load average {self.load_average:.2f})"
        )


WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRKJSON {\\"requests\\": %d, \\"duration_us\\": %d, \\"bytes\\": %d, \\"errors\\": %d, "
    .. "\\"p50\\": %d, \\"p95\\": %d, \\"p99\\": %d, \\"max\\": %d}\\n",
    summary.requests, summary.duration, summary.bytes,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def _wrk(server, path, cookie, clients, seconds) -> dict:
    script = Path(tempfile.mkdtemp(prefix="palliare-wrk-")) / "report.lua"
    script.write_text(WRK_SCRIPT)
    command = ["wrk", f"-t{min(clients, 2)}", f"-c{clients}", f"-d{seconds}s", "--timeout", "30s"]
    command += ["-s", str(script)]
    if cookie:
        command += ["-H", f"Cookie: session={cookie}"]
    out = subprocess.run(
        [*command, f"http://{HOST}:{server.port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    shutil.rmtree(script.parent, ignore_errors=True)
    line = next(x for x in out.splitlines() if x.startswith("WRKJSON "))
    data = json.loads(line[len("WRKJSON ") :])
    return {
        "requests": data["requests"],
        "elapsed": data["duration_us"] / 1e6,
        "bytes": data["bytes"],
        "errors": data["errors"],
        "latencies_ms": None,
        "p50": data["p50"] / 1000,
        "p95": data["p95"] / 1000,
        "p99": data["p99"] / 1000,
        "max": data["max"] / 1000,
    }


def _threads(server, path, cookie, clients, seconds) -> dict:
    """The fallback client: keep-alive connections in Python threads."""
    latencies, sizes, errors, lock = [], [0], [0], threading.Lock()
    headers = {"Cookie": f"session={cookie}"} if cookie else {}
    deadline = time.perf_counter() + seconds

    def client():
        connection = http.client.HTTPConnection(HOST, server.port, timeout=30)
        mine, size, failed = [], 0, 0
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                body = response.read()
                if response.status >= 400:
                    failed += 1
                if (response.getheader("Connection") or "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                continue
            mine.append((time.perf_counter() - start) * 1000)
            size += len(body) + 200  # + headers, roughly
        with lock:
            latencies.extend(mine)
            sizes[0] += size
            errors[0] += failed

    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(latencies) or [0.0]

    def at(fraction):
        return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]

    return {
        "requests": len(latencies),
        "elapsed": time.perf_counter() - start,
        "bytes": sizes[0],
        "errors": errors[0],
        "p50": statistics.median(ordered),
        "p95": at(0.95),
        "p99": at(0.99),
        "max": ordered[-1],
    }


def load(
    server: Gunicorn,
    path: str,
    *,
    cookie: str | None = None,
    clients: int = 8,
    seconds: float = 10,
    warmup: float = 2,
    expect: int = 200,
) -> Result:
    """``clients`` keep-alive clients GET ``path`` for ``seconds`` (after ``warmup``)."""
    status, _headers, _body = request(server, "GET", path, cookie=cookie)
    if status != expect:
        raise RuntimeError(f"GET {path} answered {status}, not {expect}")
    run = _wrk if shutil.which("wrk") else _threads
    if warmup:
        run(server, path, cookie, clients, max(1, int(warmup)))
    with PeakMemory(server) as sampled:
        data = run(server, path, cookie, clients, max(1, int(seconds)))
    return Result(
        path=path,
        clients=clients,
        seconds=data["elapsed"],
        requests=data["requests"],
        rps=data["requests"] / data["elapsed"],
        p50_ms=data["p50"],
        p95_ms=data["p95"],
        p99_ms=data["p99"],
        max_ms=data["max"],
        bytes_per_request=data["bytes"] / max(1, data["requests"]),
        errors=data["errors"],
        memory=sampled.peak,
        restarts=sampled.restarts,
        load_average=os.getloadavg()[0],
        client="wrk" if run is _wrk else "Python threads",
    )


# The bare hello-world at one client on the day issue 21 was filed (the issue says): what
# this machine then served, to set a figure of today beside (``machine_reading``).
HELLO_RPS_WHEN_FILED = 2981


def machine_reading(seconds: float = 3) -> str:
    """How fast this machine is now, in words: a bare Flask hello-world under the same
    gunicorn settings, one keep-alive client. The machine is a shared VM whose speed has
    moved 3-fold between days (and 2-fold within an hour), so a figure in requests per
    second or milliseconds is only comparable with this reading beside it."""
    with Gunicorn(app=hello_app(), workers=2) as hello:
        rps = load(hello, "/", clients=1, seconds=seconds, warmup=1).rps
    return (
        f"machine reading: bare Flask hello-world {rps:,.0f} requests/s at 1 client "
        f"({rps / HELLO_RPS_WHEN_FILED:.2f} x the {HELLO_RPS_WHEN_FILED:,}/s of the day "
        "issue 21 was filed)"
    )


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"
