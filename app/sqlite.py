"""SQLite connection settings: foreign keys, real transactions, and writers that wait.

pysqlite's own transaction handling does not emit BEGIN before every statement and
breaks SAVEPOINT; SQLAlchemy's documented recipe hands transaction control back to it.
Transactions start with ``BEGIN IMMEDIATE`` so that two requests writing at once queue
(for up to ``busy_timeout``) instead of one failing with "database is locked"; WAL mode
lets readers outside a transaction proceed meanwhile. PostgreSQL needs none of this.
"""

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 15_000


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
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
