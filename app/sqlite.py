"""SQLite connection settings: foreign keys, real transactions, readers that never take the
write lock, and writers that wait their turn instead of failing with "database is locked".

pysqlite's own transaction handling does not emit BEGIN before every statement and
breaks SAVEPOINT; SQLAlchemy's documented recipe hands transaction control back to it,
and the ``begin`` listener below chooses how each transaction starts. WAL mode lets
readers and one writer proceed together.

**Why not BEGIN IMMEDIATE everywhere** (as until issue 21): it takes the database's one
write lock at the start of every transaction, reads included, and holds it to the end of
the request. Two gunicorn workers then serve even read-only pages one after the other:
with 8 clients the 500-learner cohort page's p95 was 3.0 s against a p50 of 0.45 s.

**Why not plain (deferred) BEGIN everywhere**: a deferred transaction that has read and
then writes must upgrade its read snapshot to the write lock. SQLite cannot wait for that
(waiting could deadlock two upgraders, so the busy handler is skipped): when another
connection holds the write lock, or committed since the snapshot was taken, the write
fails at once with SQLITE_BUSY / SQLITE_BUSY_SNAPSHOT ("database is locked"), whatever the
busy timeout. A GET can write (the first visit to a lesson records progress).

**The design** (:class:`RetryOnWriteConflict`, installed for SQLite databases only):

- Requests with a safe method (GET, HEAD, OPTIONS) run in deferred transactions: readers
  take no write lock and never wait for a writer (WAL snapshots).
- If such a request's write cannot get the lock, the error is marked as a write conflict
  (:class:`WriteConflict`), the request's transaction is rolled back (Flask's teardown),
  its response is thrown away unseen, and **the whole request runs again** under
  ``BEGIN IMMEDIATE``, where the write waits its turn (up to ``BUSY_TIMEOUT_MS``) like any
  other. The retry starts from a rolled-back state: nothing of the first attempt was
  committed, and tasks are only queued after a commit (app/tasks.py), so nothing is done
  twice. To keep it so, once a request has committed a transaction that changed rows, its
  later transactions start with ``BEGIN IMMEDIATE`` (they cannot conflict, so there is
  never a retry after a commit).
- Unsafe methods (POST, PUT, PATCH, DELETE), tasks, the CLI and scripts keep
  ``BEGIN IMMEDIATE``: they are expected to write, and a conflict there could not be
  retried without replaying the request body and its side effects.

The cost is a repeated read phase for the rare GET whose write collides with another
writer; the gain is that concurrent read-only pages no longer queue behind each other.
PostgreSQL (MVCC, row locks that wait) needs none of this, and nothing here runs for it.
"""

import os
import sqlite3
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

BUSY_TIMEOUT_MS = 15_000
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SQLITE_BUSY = 5  # also SQLITE_BUSY_SNAPSHOT (517), SQLITE_BUSY_RECOVERY… in the low byte


@dataclass
class Attempt:
    """One run of a safe request: whether its transactions start deferred, whether one of
    them met a write conflict, and whether one has committed changes."""

    deferred: bool = True
    conflict: bool = False
    committed_changes: bool = False


# The attempt the current request (this thread) is running; None outside safe requests
# (tasks, the CLI, POSTs), where every transaction starts with BEGIN IMMEDIATE.
_attempt: ContextVar[Attempt | None] = ContextVar("palliare_sqlite_attempt", default=None)


class WriteConflict(OperationalError):
    """A write in a deferred transaction that could not get SQLite's write lock; the
    request is run again under BEGIN IMMEDIATE (never shown to anyone)."""


@event.listens_for(Engine, "connect")
def _on_connect(dbapi_connection, _record):
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


@event.listens_for(Engine, "begin")
def _on_begin(connection):
    if connection.dialect.name != "sqlite":
        return
    attempt = _attempt.get()
    deferred = attempt is not None and attempt.deferred
    connection.info["palliare_deferred"] = deferred
    connection.info["palliare_changes"] = connection.connection.dbapi_connection.total_changes
    connection.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


@event.listens_for(Engine, "commit")
def _on_commit(connection):
    attempt = _attempt.get()
    if attempt is None or connection.dialect.name != "sqlite":
        return
    changes = connection.connection.dbapi_connection.total_changes
    if changes != connection.info.get("palliare_changes", changes):
        attempt.committed_changes = True
        attempt.deferred = False  # what follows cannot be retried: it waits instead


@event.listens_for(Engine, "handle_error")
def _on_error(context):
    attempt = _attempt.get()
    error = context.original_exception
    if (
        attempt is None
        or not isinstance(error, sqlite3.OperationalError)
        or context.connection is None
        or not context.connection.info.get("palliare_deferred")
        or not _busy(error)
    ):
        return None
    attempt.conflict = True
    attempt.deferred = False  # should the app go on, its next transaction waits
    return WriteConflict(context.statement, context.parameters, error)


def _busy(error: sqlite3.OperationalError) -> bool:
    """SQLITE_BUSY or one of its extended codes (BUSY_SNAPSHOT: the snapshot is stale)."""
    code = getattr(error, "sqlite_errorcode", None)  # Python 3.11+
    return code & 0xFF == SQLITE_BUSY if code is not None else "locked" in str(error)


class RetryOnWriteConflict:
    """WSGI middleware around Flask's own ``wsgi_app``: safe requests run deferred, and
    one that met a write conflict runs once more under BEGIN IMMEDIATE."""

    def __init__(self, wsgi_app, config):
        self.wsgi_app = wsgi_app
        self.config = config
        self.retries = 0  # requests run again (a figure for tests and benchmarks)

    def __call__(self, environ, start_response):
        if (
            environ.get("REQUEST_METHOD", "GET").upper() not in SAFE_METHODS
            or not self.config["SQLITE_DEFERRED_READS"]
        ):
            return self.wsgi_app(environ, start_response)
        attempt = Attempt()
        token = _attempt.set(attempt)
        try:
            held = []

            def hold(status, headers, exc_info=None):
                held[:] = [status, headers, exc_info]
                return _no_write

            body = self.wsgi_app(environ, hold)
        finally:
            _attempt.reset(token)
        if attempt.conflict and not attempt.committed_changes:
            if hasattr(body, "close"):
                body.close()  # the first attempt's response is never sent
            self.retries += 1
            token = _attempt.set(Attempt(deferred=False))
            try:
                return self.wsgi_app(environ, start_response)
            finally:
                _attempt.reset(token)
        start_response(*held)
        return body


def _no_write(_data):
    raise RuntimeError("Palliare's responses are returned, never written")


def adjust_engine_options(app) -> None:
    """Before the engine is made: no ``pool_pre_ping`` for SQLite. The check (a statement
    at each request's first use of a connection) finds a server connection that a restart
    or a firewall closed; a database file cannot go away like that."""
    if str(app.config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite"):
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options.pop("pool_pre_ping", None)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def init_app(app) -> None:
    """Install the retry for SQLite databases (nothing for PostgreSQL). It goes inside
    ProxyFix, if any, so that a retry sees the environ Flask saw."""
    if not str(app.config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite"):
        return
    # SQLITE_DEFERRED_READS=0 brings back BEGIN IMMEDIATE for every request (the benchmarks
    # measure the "before" with it; bench/tail_latency.py).
    app.config.setdefault(
        "SQLITE_DEFERRED_READS", os.environ.get("SQLITE_DEFERRED_READS", "1") != "0"
    )
    inner = app.wsgi_app
    if hasattr(inner, "app") and hasattr(inner, "x_for"):  # werkzeug's ProxyFix
        inner.app = RetryOnWriteConflict(inner.app, app.config)
    else:
        app.wsgi_app = RetryOnWriteConflict(inner, app.config)
    app.register_error_handler(WriteConflict, _write_conflict)


def _write_conflict(error):
    """The answer of an attempt that the middleware throws away: made without the database
    (which would only wait for the writer). Should a conflict ever escape the retry (a
    request that had already committed changes), the translated 503 "back in a moment"
    page, which asks the client to try again."""
    from flask import current_app
    from markupsafe import escape

    from app.errors import RETRY_AFTER, UNAVAILABLE_PAGE, _rollback_quietly, _words

    _rollback_quietly()
    attempt = _attempt.get()
    if attempt is not None and not attempt.committed_changes:
        return "", 503  # never sent: the request runs again under BEGIN IMMEDIATE
    current_app.logger.warning("SQLite write conflict after a commit: %s", error.orig)
    page = UNAVAILABLE_PAGE.format(**{key: escape(value) for key, value in _words().items()})
    return page, 503, {"Retry-After": RETRY_AFTER}
