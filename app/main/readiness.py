"""Readiness: may this server take traffic? The database answers, its migrations are at
this release's head (or ahead of it: during a rolling upgrade the old servers keep
serving the migrated database, which migrations keep compatible), and the task queue's
store and the file store answer; each within ``READINESS_TIMEOUT`` seconds."""

import functools
from concurrent.futures import ThreadPoolExecutor, wait

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import text

from app import tasks
from app.extensions import db, migrate

# States that count as ready ("ahead": a newer release has migrated the database).
READY = {"ok", "ahead"}


def run_readiness_checks(app) -> dict[str, str]:
    """Every readiness check, each within ``READINESS_TIMEOUT`` seconds. The queue and
    file store are asked at once in threads of their own (one that hangs reads
    ``timeout``); the database in this request's session, with a statement timeout."""
    timeout = app.config.get("READINESS_TIMEOUT", 3.0)
    checks = {"queue": _check_queue, "files": _check_files}
    pool = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="readyz")
    futures = {name: pool.submit(_in_context, app, check) for name, check in checks.items()}
    revisions = _database_revisions(timeout)
    wait(futures.values(), timeout=timeout)
    pool.shutdown(wait=False, cancel_futures=True)  # never wait for a hung check
    results = {name: _outcome(name, future) for name, future in futures.items()}
    if revisions is None:  # no answer: the migrations cannot be compared either
        return {"database": "unreachable", "migrations": "unknown", **results}
    return {"database": "ok", "migrations": _migrations_state(app, revisions), **results}


def _in_context(app, check):
    with app.app_context():
        return check()


def _outcome(name: str, future) -> str:
    """A check's result: its value, or ``timeout``/``unreachable`` (the error logged)."""
    if not future.done():
        return "timeout"
    error = future.exception()
    if error is None:
        return future.result()
    current_app.logger.warning("Readiness check %s failed: %r", name, error)
    return "unreachable"


def _database_revisions(timeout: float) -> frozenset[str] | None:
    """The revisions the database stands at (None when it does not answer)."""
    try:
        connection = db.session.connection()
        if connection.dialect.name == "postgresql":  # SQLite has its busy timeout
            milliseconds = int(timeout * 1000)
            connection.execute(text(f"SET LOCAL statement_timeout = {milliseconds}"))
        connection.execute(text("SELECT 1"))
        return frozenset(MigrationContext.configure(connection).get_current_heads())
    except Exception as error:  # any database failure means "not ready"
        current_app.logger.warning("Readiness check database failed: %r", error)
        db.session.rollback()
        return None


def _migrations_state(app, current: frozenset[str]) -> str:
    """``ok`` at head; ``behind`` when an upgrade is due; ``ahead`` when a newer release
    has migrated the database (this code does not know its revision)."""
    script = _script_directory(app.extensions["migrate"].directory)
    if current == frozenset(script.get_heads()):
        return "ok"
    known = all(_knows(script, revision) for revision in current)
    return "behind" if known else "ahead"


def _knows(script, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises for an id it has never seen
        return False


@functools.cache
def _script_directory(directory: str) -> ScriptDirectory:
    """The migration scripts (read once per process: they change only with a release)."""
    return ScriptDirectory.from_config(migrate.get_config(directory))


def _check_queue() -> str:
    """A ping of Redis, a trivial read of the SQLite store; memory always answers."""
    storage = queue_storage()
    kind = tasks.store_kind(storage)
    if kind == "redis":
        storage.conn.ping()
    elif kind == "sqlite":
        storage.queue_size()
    return "ok"


def queue_storage():
    """The store the queue runs on (Huey's storage)."""
    return tasks.huey.storage


def _check_files() -> str:
    """The file store answers (``file_store().check()`` raises when it does not)."""
    try:
        from app.storage import file_store
    except ImportError:  # a release without a file store
        return "ok"
    file_store().check()
    return "ok"
