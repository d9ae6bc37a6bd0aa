"""Readiness: may this server take traffic? The database answers, its migrations are at
this release's head (or ahead of it: during a rolling upgrade the old servers keep
serving the migrated database, which migrations keep compatible), and the task queue's
store and the file store answer; each within ``READINESS_TIMEOUT`` seconds."""

import ast
import functools
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path

from flask import current_app
from sqlalchemy import inspect, text

from app import migrations_directory, tasks
from app.extensions import db

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
        # What alembic's MigrationContext.get_current_heads() reads, without importing
        # alembic in the web server (~11 MiB: app/__init__.py).
        if not inspect(connection).has_table("alembic_version"):
            return frozenset()
        versions = connection.execute(text("SELECT version_num FROM alembic_version"))
        return frozenset(versions.scalars())
    except Exception as error:  # any database failure means "not ready"
        current_app.logger.warning("Readiness check database failed: %r", error)
        db.session.rollback()
        return None


def _migrations_state(app, current: frozenset[str]) -> str:
    """``ok`` at head; ``behind`` when an upgrade is due; ``ahead`` when a newer release
    has migrated the database (this code does not know its revision)."""
    heads, known = _script_revisions(str(migrations_directory(app)))
    if current == heads:
        return "ok"
    return "behind" if current <= known else "ahead"


@functools.cache
def _script_revisions(directory: str) -> tuple[frozenset[str], frozenset[str]]:
    """The migration scripts' heads and every revision they know (read once per process:
    they change only with a release). Read from each script's module-level ``revision``
    and ``down_revision`` (a string, None or a tuple for a merge) rather than with
    alembic's ScriptDirectory, which the web server does not import;
    tests/test_memory.py checks both agree."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted(Path(directory, "versions").glob("*.py")):
        values = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name) and target.id in {"revision", "down_revision"}:
                        values[target.id] = ast.literal_eval(node.value)
        if isinstance(values.get("revision"), str):
            revisions.add(values["revision"])
            down = values.get("down_revision")
            parents.update([down] if isinstance(down, str) else (down or ()))
    return frozenset(revisions - parents), frozenset(revisions)


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
