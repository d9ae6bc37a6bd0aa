"""The task queue on its real stores (a SQLite file, Redis), what happens when Redis is
down, and rate limits shared by several app servers through Redis."""

import os
from contextlib import contextmanager
from datetime import timedelta

import pytest
import redis
from flask import request_finished

from app import create_app
from app.db_types import utcnow
from app.extensions import db, limiter
from app.notifications.models import OutboxMessage
from app.notifications.tasks import sweep
from app.tasks import enqueue_after_commit, huey, store_for, task
from tests.conftest import _run_tasks_after_request
from tests.factories import make_user
from tests.helpers import csrf_token, run_python
from tests.tasks import run_queued_tasks

# A database of the local Redis of its own, emptied around each test.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
CLOSED_PORT = "redis://127.0.0.1:1/0"
done: list[str] = []


@task()
def note(word: str) -> None:
    done.append(word)


@pytest.fixture
def redis_url():
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_URL} (make test starts it)")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    client.flushdb()
    yield REDIS_URL
    client.flushdb()


@pytest.fixture
def other_servers(app):
    """Apps made here rebind the one limiter (an extension instance) to their store: give
    it back to the suite's app afterwards."""
    yield
    limiter.init_app(app)


@contextmanager
def queue_on(url: str):
    """The app's queue on another store for the duration."""
    memory = huey.storage
    huey.storage = store_for(url)
    try:
        yield huey.storage
    finally:
        huey.storage = memory


def _run_from_store() -> int:
    ran = 0
    while (queued := huey.dequeue()) is not None:
        huey.execute(queued)
        ran += 1
    return ran


@pytest.mark.parametrize("store", ["sqlite", "redis"])
def test_a_task_queued_after_commit_travels_through_the_real_store(app, tmp_path, store, request):
    url = request.getfixturevalue("redis_url") if store == "redis" else f"sqlite:///{tmp_path}/q.db"
    done.clear()
    with queue_on(url):
        enqueue_after_commit(note.s("rolled back"))
        db.session.rollback()
        enqueue_after_commit(note.s("committed"))
        assert huey.pending_count() == 0  # not before the commit
        db.session.commit()
        assert huey.pending_count() == 1
        assert _run_from_store() == 1
    assert done == ["committed"]


def test_requests_work_while_redis_is_down_and_the_mail_follows_later(app, client, mailbox):
    user = make_user()
    token = csrf_token(client, "/password/forgot")
    request_finished.disconnect(_run_tasks_after_request, app)  # no consumer reaches Redis
    try:
        with queue_on(CLOSED_PORT):
            response = client.post(
                "/password/forgot", data={"email": user.email, "csrf_token": token}
            )
    finally:
        request_finished.connect(_run_tasks_after_request, app)
    assert response.status_code == 302  # the page answers; the message waits in the outbox
    [message] = db.session.query(OutboxMessage).all()  # written in the request, durably
    assert message.status == "queued" and mailbox == []

    assert sweep(utcnow() + timedelta(minutes=2)) == 1  # Redis is back: the sweeper queues it
    message.next_attempt_at = utcnow() - timedelta(minutes=1)
    run_queued_tasks()
    assert [m["To"] for m in mailbox] == [user.email]


def test_the_sign_in_limit_holds_across_two_app_servers(
    app, redis_url, database_url, other_servers
):
    servers = [
        create_app(
            "testing",
            SQLALCHEMY_DATABASE_URI=database_url,
            RATELIMIT_STORAGE_URI=redis_url,
            LOGIN_RATE_LIMIT="4 per minute",
            WTF_CSRF_ENABLED=False,
        )
        for _ in range(2)
    ]
    clients = [server.test_client() for server in servers]
    statuses = [
        clients[attempt % 2]
        .post("/login", data={"email": "nobody@example.org", "password": "wrong"})
        .status_code
        for attempt in range(6)
    ]
    assert 429 not in statuses[:4] and statuses[4:] == [429, 429]


def test_with_redis_down_the_sign_in_limit_holds_per_server(app, database_url, other_servers):
    server = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=database_url,
        RATELIMIT_STORAGE_URI=CLOSED_PORT,
        LOGIN_RATE_LIMIT="3 per minute",
        WTF_CSRF_ENABLED=False,
    )
    client = server.test_client()
    statuses = [
        client.post("/login", data={"email": "nobody@example.org", "password": "x"}).status_code
        for _ in range(5)
    ]
    assert 500 not in statuses and statuses[-1] == 429


def test_locks_in_redis_expire_so_a_killed_consumer_cannot_hold_one_for_ever(app, redis_url):
    from app.tasks import lock_for

    with queue_on(redis_url) as store:
        with lock_for("test-lock", ttl=30):
            key = store.result_key("palliare.lock.test-lock")
            assert 0 < store.conn.ttl(key) <= 30
        assert not store.conn.exists(key)


def test_a_redis_queue_works_in_a_process_that_imported_huey_without_redis(redis_url):
    """app/tasks.py imports huey with the redis driver hidden (memory, issue 21) and hands
    it to huey's storage module for a Redis store. Here redis is already imported, so
    that path runs in a fresh process: a task message goes through Redis and back; a
    huey upgrade that no longer reads those names fails this test."""
    code = (
        "import sys, app.tasks as tasks\n"
        "assert 'redis' not in sys.modules, 'huey imported redis'\n"
        f"store = tasks.store_for({redis_url!r})\n"
        "store.flush_queue()\n"
        "store.enqueue(b'message')\n"
        "assert store.queue_size() == 1\n"
        "assert store.dequeue() == b'message'\n"
        "assert tasks.store_kind(store) == 'redis'\n"
        "print('ok')\n"
    )
    result = run_python(code)
    assert result.returncode == 0 and result.stdout.strip().endswith("ok"), result.stderr
