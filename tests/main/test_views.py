"""Home page, health (liveness) and readiness checks."""

import socket
import sys
import threading
import time
import types

import pytest
import redis
from huey.storage import RedisStorage
from sqlalchemy.exc import OperationalError

from app import migrations_directory, tasks
from app.auth.models import Role
from app.extensions import db
from app.main import readiness
from tests.factories import make_institution, make_user
from tests.helpers import text_of


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_visitor_sees_the_landing_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Sign in" in text_of(response)


def test_coordinator_home_shows_their_institution(client, login):
    institution = make_institution(name="Almaty Regional Hospital", default_locale="en")
    coordinator = make_user(roles=[(Role.COORDINATOR, institution)], institution=institution)
    make_user(institution=institution)
    login(coordinator)
    html = text_of(client.get("/"))
    assert "Almaty Regional Hospital" in html
    assert "2 people" in html


def test_translator_home_shows_coverage_of_their_languages(client, login):
    login(make_user(roles=[(Role.TRANSLATOR, "kk"), (Role.TRANSLATOR, "sv")], locale="en"))
    html = text_of(client.get("/"))
    assert "Қазақ тілі: 100% of the interface translated" in html
    assert "Svenska: " in html


def test_funder_home_lists_their_programme_target(client, login):
    from tests.factories import make_programme

    programme = make_programme(name="Beijing programme", target_trainees=1000)
    login(make_user(roles=[(Role.FUNDER, programme)], locale="en"))
    html = text_of(client.get("/"))
    assert "Beijing programme" in html and "Target: 1,000 trainees" in html


def test_healthz_is_a_liveness_check_only(client, monkeypatch):
    """A queue that is down does not make the app "unhealthy": restarting would not help."""
    _queue_at_a_closed_port(monkeypatch)
    assert client.get("/healthz").status_code == 200


def test_healthz_fails_when_the_database_does(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "error", "database": "unreachable"}


def test_readyz_answers_when_everything_does(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "queue": "ok", "files": "ok"},
    }


def test_readyz_reads_a_sqlite_queue_store(client, monkeypatch, tmp_path):
    _use_queue_store(monkeypatch, f"sqlite:///{tmp_path / 'huey.db'}")
    response = client.get("/readyz")
    assert response.status_code == 200, response.json


def test_readyz_pings_a_redis_queue_store(client, monkeypatch):
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    _use_queue_store(monkeypatch, url)
    assert client.get("/readyz").json["checks"]["queue"] == "ok"


def test_readyz_names_a_queue_store_that_does_not_answer(client, monkeypatch):
    _queue_at_a_closed_port(monkeypatch)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["failing"] == ["queue"]
    assert response.json["checks"]["queue"] == "unreachable"
    assert response.json["checks"]["database"] == "ok"


def test_readyz_names_a_database_behind_the_code(client, monkeypatch):
    """The code has a migration the database has not had (``flask db upgrade`` is due)."""
    heads, known = readiness._script_revisions(str(migrations_directory(client.application)))
    assert heads  # the real scripts were read
    newer = frozenset({"9999_not_applied_yet"})
    monkeypatch.setattr(readiness, "_script_revisions", lambda _directory: (newer, known | newer))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["failing"] == ["migrations"]
    assert response.json["checks"]["migrations"] == "behind"


def test_readyz_stays_ready_with_a_database_ahead_of_the_code(client, monkeypatch):
    """A newer release migrated the database: this older code does not know its revision,
    and keeps serving during the rolling upgrade (migrations keep the schema compatible)."""
    database = readiness._database_revisions
    monkeypatch.setattr(
        readiness, "_database_revisions", lambda timeout: database(timeout) | {"9999_newer"}
    )
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"]["migrations"] == "ahead"


def test_readyz_names_a_database_that_does_not_answer(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connect", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "connection", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["failing"] == ["database", "migrations"]
    assert response.json["checks"]["migrations"] == "unknown"


def test_readyz_names_a_file_store_that_does_not_answer(client, monkeypatch):
    storage = _storage_module(monkeypatch)

    class Unreachable:
        def check(self):
            raise storage.StorageUnavailable("s3://bucket: connection refused")

    monkeypatch.setattr(storage, "file_store", Unreachable, raising=False)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["failing"] == ["files"]
    assert "bucket" not in response.get_data(as_text=True)  # details go to the log only


def test_readyz_gives_up_on_a_check_that_hangs(app, client, monkeypatch):
    storage = _storage_module(monkeypatch)
    release = threading.Event()

    class Hanging:
        def check(self):
            release.wait(5)

    monkeypatch.setattr(storage, "file_store", Hanging, raising=False)
    monkeypatch.setitem(app.config, "READINESS_TIMEOUT", 0.2)
    started = time.monotonic()
    try:
        response = client.get("/readyz")
    finally:
        release.set()
    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert response.json["checks"]["files"] == "timeout"


def _use_queue_store(monkeypatch, url: str) -> None:
    if url.startswith("redis:"):  # as tasks.store_for makes it, with short timeouts
        pool = redis.ConnectionPool.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        store = RedisStorage(tasks.huey.name, connection_pool=pool, read_timeout=1)
    else:
        store = tasks.store_for(url)
    # Only the readiness check sees it: the suite keeps running queued tasks in memory.
    monkeypatch.setattr(readiness, "queue_storage", lambda: store)


def _queue_at_a_closed_port(monkeypatch) -> None:
    with socket.socket() as probe:  # a port nothing listens on once it is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _use_queue_store(monkeypatch, f"redis://127.0.0.1:{port}/0")


def _storage_module(monkeypatch):
    """``app.storage``, or a stand-in with its interface in a release without it."""
    try:
        import app.storage as storage
    except ImportError:
        storage = types.ModuleType("app.storage")
        storage.StorageUnavailable = type("StorageUnavailable", (Exception,), {})
        monkeypatch.setitem(sys.modules, "app.storage", storage)
    return storage


@pytest.mark.parametrize("error", ["OperationalError", "InterfaceError"])
def test_an_unreachable_database_answers_503_with_retry_after(
    app, client, login, monkeypatch, error
):
    """During a database restart clients are told to try again (they were shown a 500)."""
    from sqlalchemy import exc

    from app.main import queries

    def restarting(*args, **kwargs):
        raise getattr(exc, error)("SELECT 1", {}, Exception("connection already closed"))

    login(make_user())
    monkeypatch.setattr(queries, "list_coordinated_institutions", restarting)
    response = client.get("/?lang=ru")
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert 'lang="ru"' in response.get_data(as_text=True)


def test_a_database_gone_before_the_user_is_loaded_still_answers_503(app, client, login):
    """The error page itself must not need the database (the layout loads the user)."""
    from sqlalchemy.exc import OperationalError

    login(make_user())
    loader = app.login_manager._user_callback

    def restarting(user_id):
        raise OperationalError("SELECT users", {}, Exception("server closed the connection"))

    app.login_manager._user_callback = restarting
    try:
        response = client.get("/")
    finally:
        app.login_manager._user_callback = loader
    assert response.status_code == 503 and "Back in a moment" in response.get_data(as_text=True)
