"""Background work on the task queue (Huey).

One Huey instance serves the whole app; its store comes from ``TASK_QUEUE_URL``:

- ``sqlite:///…`` (the default: ``instance/huey.db``): one machine, no extra service;
- ``redis://…`` (the default when ``REDIS_URL`` is set): any number of consumers on any
  number of machines share the work;
- ``memory://`` (the tests): tasks wait in memory until the suite runs them.

Consumers are started with ``flask tasks worker``. Each task runs inside an app context
(``task`` and ``periodic_task`` below). Work that a request causes is queued only *after*
its commit (``enqueue_after_commit``): no task runs for a change that was rolled back, or
before the worker can see its rows. A task must therefore find its rows by id and do
nothing when they are gone; whatever must never be lost (e-mail) is kept in a durable row
that a periodic sweeper queues again, so a queue store that was down loses nothing.
"""

import contextlib
import functools
import logging
import sys
from collections.abc import Callable

import click
from flask import Flask, has_app_context
from flask.cli import AppGroup
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.extensions import db

# Not one driver more than the queue's store needs. huey/storage.py imports the redis and
# psycopg packages whenever they are installed, for stores of its own: ~6 and ~9 MiB in
# every process that imports huey, each web worker included (issue 21). Palliare never
# uses huey's PostgreSQL store (SQLAlchemy imports psycopg itself when DATABASE_URL is
# PostgreSQL), and uses its Redis store only for a Redis TASK_QUEUE_URL: huey is imported
# without either, and ``store_for`` gives huey's storage module the Redis client it would
# have imported, before it makes a Redis store. A driver already imported is left alone.
_NOT_FOR_HUEY = ("redis", "psycopg")


@contextlib.contextmanager
def _without_drivers():
    hidden = [name for name in _NOT_FOR_HUEY if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # `import name` raises ImportError: huey goes without
    try:
        yield
    finally:
        for name in hidden:
            if sys.modules.get(name, ...) is None:
                del sys.modules[name]


with _without_drivers():
    from huey import Huey, crontab
    from huey import storage as huey_storage
    from huey.api import Task, TaskLock
    from huey.storage import MemoryStorage, RedisExpireStorage, RedisStorage, SqliteStorage


def _give_huey_redis() -> None:
    """What huey/storage.py's optional ``from redis import …`` would have given it."""
    if huey_storage.Redis is None:
        import redis
        import redis.exceptions

        huey_storage.ConnectionPool, huey_storage.Redis = redis.ConnectionPool, redis.Redis
        huey_storage.ConnectionError = redis.exceptions.ConnectionError
        huey_storage.TimeoutError = redis.exceptions.TimeoutError
        RedisStorage.redis_client = redis.Redis  # a class attribute, set when it was None


log = logging.getLogger(__name__)

# utc=True: every eta and schedule is in UTC, like the rest of the app.
huey = Huey("palliare", storage_class=MemoryStorage, results=False, utc=True)
# Every lock's name, so that a consumer starting on the SQLite store can release them.
LOCKS: set[str] = set()
_app: Flask | None = None
_store_url: str | None = None

PENDING = "tasks_after_commit"

__all__ = ["crontab", "enqueue_after_commit", "huey", "init_app", "periodic_task", "task"]


def init_app(app: Flask) -> None:
    """Point the queue at the configured store; tasks use this app's context."""
    global _app, _store_url
    _app = app
    url = app.config["TASK_QUEUE_URL"]
    if url != _store_url:  # a second app in the tests keeps the queue it shares
        huey.storage = store_for(url)
        _store_url = url


def store_for(url: str):
    """The Huey storage for ``memory://``, ``sqlite:///path`` or ``redis://…``."""
    scheme = url.split(":", 1)[0]
    if scheme == "memory":
        return MemoryStorage(huey.name)
    if scheme == "sqlite":
        return SqliteStorage(huey.name, filename=make_url(url).database)
    if scheme in {"redis", "rediss", "unix"}:
        # Short timeouts: a request that queues work must not hang on a Redis that is down
        # (the outbox sweeper queues the work again once it is back).
        # RedisExpireStorage: locks with a time limit on any Redis (RedisStorage needs 7.4).
        _give_huey_redis()
        from redis import ConnectionPool

        pool = ConnectionPool.from_url(url, socket_timeout=5, socket_connect_timeout=2)
        return RedisExpireStorage(huey.name, connection_pool=pool, read_timeout=1)
    raise RuntimeError(f"TASK_QUEUE_URL={url!r}: use memory://, sqlite:///… or redis://…")


def store_kind(storage=None) -> str:
    """``memory``, ``sqlite`` or ``redis``: what the queue (or ``storage``) runs on."""
    storage = storage or huey.storage
    if isinstance(storage, RedisStorage):
        return "redis"
    return "sqlite" if isinstance(storage, SqliteStorage) else "memory"


def _in_app_context(fn: Callable) -> Callable:
    """Run ``fn`` inside the app's context (the worker has none of its own), and leave no
    transaction open behind it."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if has_app_context():  # the tests run tasks inside their own context
            return fn(*args, **kwargs)
        if _app is None:
            raise RuntimeError("The task queue has no app: call create_app() first.")
        with _app.app_context():
            try:
                return fn(*args, **kwargs)
            finally:
                db.session.rollback()

    return wrapper


def task(**settings) -> Callable:
    """Declare a background task (``retries``, ``retry_delay``… as Huey's ``task``)."""

    def decorator(fn: Callable):
        return huey.task(**settings)(_in_app_context(fn))

    return decorator


def periodic_task(schedule, lock: str, lock_ttl: int = 600, **settings) -> Callable:
    """Declare a task that runs on ``schedule`` (a ``crontab``) in every consumer that
    runs the scheduler, one run at a time across all consumers (``lock``)."""

    def decorator(fn: Callable):
        body = _in_app_context(fn)
        LOCKS.add(lock)

        @functools.wraps(fn)
        def locked(*args, **kwargs):
            with lock_for(lock, lock_ttl):
                return body(*args, **kwargs)

        return huey.periodic_task(schedule, **settings)(locked)

    return decorator


def lock_for(name: str, ttl: int) -> TaskLock:
    """A lock held across every consumer (``TaskLockedException`` when taken). In Redis it
    expires after ``ttl`` seconds, so a consumer killed while holding it does not hold it
    for ever. Huey's SQLite store cannot expire keys: there, a consumer releases every
    lock when it starts (all its consumers share one machine; the tasks are idempotent)."""
    return huey.lock_task(name, ttl=ttl if store_kind() == "redis" else None)


def enqueue_after_commit(call: Task) -> None:
    """Queue ``call`` (``some_task.s(args)``) once the current transaction commits."""
    if db.session().get_transaction() is None:
        db.session.connection()  # begin one, so that a rollback forgets the call too
    db.session.info.setdefault(PENDING, []).append(call)


def enqueue_now(call: Task) -> bool:
    """Queue ``call``; False (and logged) when the queue store cannot be reached."""
    try:
        huey.enqueue(call)
    except Exception:  # Redis down, SQLite file locked: the caller's rows stay durable
        log.exception("Could not queue %s; it will be queued again by its sweeper", call)
        return False
    return True


@event.listens_for(Session, "after_commit")
def _enqueue_pending(session: Session) -> None:
    for call in session.info.pop(PENDING, []):
        enqueue_now(call)


@event.listens_for(Session, "after_transaction_end")
def _forget_pending(session: Session, transaction) -> None:
    if transaction.parent is None:  # rolled back: what it caused never happened
        session.info.pop(PENDING, None)


tasks_cli = AppGroup("tasks", help="The background task queue.")

# What a consumer does once before it starts, registered by the packages that need it
# (the outbox first collects what a consumer killed before this one left behind).
_WORKER_START: list[Callable[[], object]] = []


def on_worker_start(action: Callable[[], object]) -> None:
    """Run ``action`` once in each consumer, before it takes any task."""
    if action not in _WORKER_START:
        _WORKER_START.append(action)


@tasks_cli.command("worker")
@click.option("--workers", type=int, help="Threads (default: TASK_WORKERS).")
@click.option("--no-periodic", is_flag=True, help="Leave the schedule to other consumers.")
def worker_command(workers: int | None, no_periodic: bool):
    """Run a queue consumer until stopped: SIGINT lets the tasks in hand finish, SIGTERM
    stops at once (what it held is collected by the outbox sweeper or run again)."""
    import_task_modules()
    for action in _WORKER_START:
        action()
    db.session.remove()  # the consumer's threads have sessions of their own
    if store_kind() == "sqlite":
        huey.flush_locks(*LOCKS)  # what a killed consumer held (see lock_for)
    consumer = huey.create_consumer(
        workers=workers or _app.config["TASK_WORKERS"],
        worker_type="thread",
        periodic=not no_periodic,
        initial_delay=0.05,  # polls SQLite at most this often when idle…
        max_delay=1.0,  # …and at least once a second
        check_worker_health=True,
    )
    click.echo(f"Task consumer on {store_kind()} with {consumer.workers} thread(s).")
    consumer.run()


# The modules that declare tasks: imported by create_app so that both the app (which
# queues) and the consumer (which runs) know every task by name.
TASK_MODULES = [
    "app.notifications.tasks",  # the e-mail outbox: delivery and its sweeper
    "app.cases.tasks",  # case images re-encoded
    "app.conferences.reminders",  # reminders before each session
    "app.learning.tasks",  # certificate PDFs
    "app.dashboards.tasks",  # the nightly check of the summary tables
    "app.i18n.tasks",  # courses imported again after a catalog upload
    "app.storage_tasks",  # the sweeper of orphaned files
    "app.placements.tasks",  # the 3- and 6-month follow-ups of adaptation plans
    "app.library.tasks",  # library videos transcoded into renditions and a poster
]


def import_task_modules() -> None:
    """Register every task with Huey."""
    import importlib

    for module in TASK_MODULES:
        importlib.import_module(module)
