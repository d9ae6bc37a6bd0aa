"""deploy/: the nginx site is valid for the real nginx and keeps secrets out of its log;
the systemd units parse; gunicorn accepts its settings."""

import configparser
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from app.logs import SECRET_ROUTES

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
UNITS = ["palliare-web.service", "palliare-worker.service"]
SECRET = "S3cr3tV4lue"


def _tool(name: str) -> str:
    """The path of a system tool, or a skip (a failure with CI=true: `make test`
    installs it)."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if found:
        return found
    message = f"{name} is not installed (apt-get install {name})"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def nginx_site(tmp_path):
    """deploy/nginx/palliare.conf under a minimal copy of Debian's nginx.conf, its paths
    moved into ``tmp_path``, its ports free, a throw-away certificate; the app servers
    are closed ports (every proxied request is a 502, still logged)."""
    nginx = _tool("nginx")
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [_tool("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=palliare.test", "-out", certificate, "-keyout", key],
        check=True, capture_output=True,
    )  # fmt: skip
    http, https = _free_port(), _free_port()
    site = (DEPLOY / "nginx" / "palliare.conf").read_text()
    for old, new in {
        "listen 80;": f"listen 127.0.0.1:{http};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https} ssl http2;",
        "/etc/letsencrypt/live/palliare.example.org/fullchain.pem": str(certificate),
        "/etc/letsencrypt/live/palliare.example.org/privkey.pem": str(key),
        "/var/log/nginx/": f"{tmp_path}/",
        "/srv/palliare/": f"{ROOT}/",
        "10.0.0.11:8000": f"127.0.0.1:{_free_port()}",
        "10.0.0.12:8000": f"127.0.0.1:{_free_port()}",
    }.items():
        assert old in site, old
        site = site.replace(old, new)
    (tmp_path / "palliare.conf").write_text(site)
    temp = {name: tmp_path / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for folder in temp.values():
        folder.mkdir()
    (tmp_path / "nginx.conf").write_text(
        f"daemon off;\nmaster_process off;\npid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/error.log;\nevents {{ worker_connections 64; }}\n"
        "http {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
        f"  access_log {tmp_path}/access.log;\n  gzip on;  # as in Debian's nginx.conf\n"
        f"  client_body_temp_path {temp['body']};\n  proxy_temp_path {temp['proxy']};\n"
        f"  fastcgi_temp_path {temp['fastcgi']};\n  uwsgi_temp_path {temp['uwsgi']};\n"
        f"  scgi_temp_path {temp['scgi']};\n  include {tmp_path}/palliare.conf;\n}}\n"
    )
    command = [nginx, "-p", str(tmp_path), "-e", str(tmp_path / "error.log")]
    return command + ["-c", str(tmp_path / "nginx.conf")], https, tmp_path


def test_nginx_accepts_the_site(nginx_site):
    command, _port, _folder = nginx_site
    result = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    # nginx 1.25+ prefers "http2 on;" to "listen … http2" (1.22, Debian 12): not a fault.
    lines = result.stderr.splitlines()
    warnings = [line for line in lines if "warn" in line and "http2" not in line]
    assert "syntax is ok" in result.stderr and not warnings, result.stderr


def test_nginx_logs_no_secret_and_serves_static_files_for_a_year(nginx_site):
    command, port, folder = nginx_site
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(port, server)
        paths = [_sample(route) for route in SECRET_ROUTES] + [
            f"/verify/?code={SECRET}",
            f"/login?next=%2Fcohorts%2Fjoin%2F{SECRET}",
        ]
        statuses = [_get(port, path)[0] for path in paths]
        assert set(statuses) == {502}, statuses  # no app server: proxied, refused, logged
        status, headers = _get(port, "/static/css/app.css", gzip=True)
        assert status == 200 and headers["Cache-Control"].endswith("immutable")
        assert headers["Content-Encoding"] == "gzip"
    finally:
        server.terminate()
        server.wait(timeout=10)
    log = (folder / "palliare.access.log").read_text()
    assert log.count("\n") == len(paths), log  # static files are not logged
    assert SECRET not in log and log.count("[redacted]") == len(SECRET_ROUTES), log
    assert "/calendar/[redacted]" in log and "/certificates/[redacted]/pdf" in log


def _sample(route: str) -> str:
    for argument in ("<token>", "<code>", "<join_code>"):
        route = route.replace(argument, SECRET)
    assert "<" not in route, route
    return route


def _wait_for_port(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"nginx stopped: {server.stdout.read().decode()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail("nginx did not start listening")


def _get(port: int, path: str, gzip: bool = False) -> tuple[int, dict]:
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    request = urllib.request.Request(f"https://127.0.0.1:{port}{path}")
    request.add_header("Host", "palliare.example.org")
    if gzip:
        request.add_header("Accept-Encoding", "gzip")
    try:
        with urllib.request.urlopen(request, context=context, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


# systemd and gunicorn ---------------------------------------------------------------


@pytest.mark.parametrize("unit", UNITS)
def test_systemd_unit_is_well_formed(unit):
    """The structure every unit needs, whatever machine runs the tests."""
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(DEPLOY / unit)
    assert parser.sections() == ["Unit", "Service", "Install"]
    service = parser["Service"]
    assert service["EnvironmentFile"] == "/etc/palliare/env"
    assert service["ExecStart"].startswith("/srv/palliare/.venv/bin/")
    assert parser["Install"]["WantedBy"] == "multi-user.target"
    if unit == "palliare-worker.service":
        # Huey: SIGINT lets the tasks in hand finish; SIGTERM stops at once.
        assert service["KillSignal"] == "SIGINT" and service["Restart"] == "always"
        assert service["ExecStart"].endswith("flask tasks worker")
    else:
        assert "deploy/gunicorn.conf.py" in service["ExecStart"]


def test_systemd_units_verify(tmp_path):
    """systemd itself parses both units (paths moved to this checkout)."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (the structural test still ran)")
    (tmp_path / "env").write_text("PALLIARE_ENV=production\n")
    for unit in UNITS:
        text = (DEPLOY / unit).read_text().replace("/etc/palliare/env", str(tmp_path / "env"))
        (tmp_path / unit).write_text(text.replace("/srv/palliare", str(ROOT)))
    units = [str(tmp_path / unit) for unit in UNITS]
    result = subprocess.run(
        [analyze, "verify", "--man=no", *units], capture_output=True, text=True, timeout=60
    )
    complaints = [line for line in result.stderr.splitlines() if "palliare" in line]
    assert result.returncode == 0 and not complaints, result.stderr


def test_gunicorn_accepts_its_settings():
    """``gunicorn --check-config`` reads deploy/gunicorn.conf.py and loads wsgi:app."""
    env = {**os.environ, "PALLIARE_ENV": "development", "DATABASE_URL": "sqlite://"}
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "-c", DEPLOY / "gunicorn.conf.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_gunicorn_opens_no_control_socket(tmp_path):
    """The app server runs without gunicorn's control socket and with its workers'
    heartbeat files in /dev/shm (deploy/gunicorn.conf.py says why): started for real, it
    answers, leaves no socket at its default path, and its worker holds its heartbeat
    file (deleted once opened, as gunicorn does) in /dev/shm."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {key: value for key, value in os.environ.items() if key != "XDG_RUNTIME_DIR"}
    env.update(HOME=str(tmp_path), PALLIARE_ENV="development", GUNICORN_BIND=f"127.0.0.1:{port}",
               DATABASE_URL=f"sqlite:///{tmp_path / 'app.db'}", WEB_WORKERS="1")  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", DEPLOY / "gunicorn.conf.py"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while server.poll() is None and time.monotonic() < deadline:
            with socket.socket() as client:
                if client.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        time.sleep(1)  # gunicorn opens the socket once its workers have started
        assert server.poll() is None, "gunicorn stopped"
        heartbeats = _open_files_of_children(server.pid, "wgunicorn-")
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert not (tmp_path / ".gunicorn").exists(), output
    assert "Control socket" not in output, output
    assert heartbeats and all(path.startswith("/dev/shm/") for path in heartbeats), heartbeats


def _open_files_of_children(pid: int, name_part: str) -> list[str]:
    """The paths of the files whose name contains ``name_part`` that the children of
    ``pid`` hold open."""
    children = (Path(f"/proc/{pid}/task/{pid}/children").read_text()).split()
    paths = []
    for child in children:
        for fd in Path(f"/proc/{child}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue  # closed meanwhile
            if name_part in target:
                paths.append(target)
    return paths
