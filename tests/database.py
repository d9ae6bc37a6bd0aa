"""Test databases: SQLite in memory, or a throw-away PostgreSQL database per run.

``PALLIARE_TEST_DB`` picks the engine (``sqlite``, the default, or ``postgresql``). For
PostgreSQL, ``TEST_DATABASE_URL`` names the server (default: the local one, trust auth);
a database named ``palliare_test_<random>`` is created for the run and dropped after it.
"""

import os
import secrets
from contextlib import contextmanager

import psycopg
from sqlalchemy.engine import make_url

DEFAULT_SERVER_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def wanted_engine() -> str:
    """``sqlite`` or ``postgresql``."""
    return os.environ.get("PALLIARE_TEST_DB", "sqlite")


def server_url():
    return make_url(os.environ.get("TEST_DATABASE_URL") or DEFAULT_SERVER_URL)


def _admin_connection():
    url = server_url()
    return psycopg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password,
        dbname="postgres",
        autocommit=True,
        connect_timeout=5,
    )


@contextmanager
def throwaway_postgres_database(label: str = "run"):
    """Create an empty PostgreSQL database, yield its SQLAlchemy URL, then drop it."""
    name = f"palliare_test_{label}_{secrets.token_hex(4)}"
    with _admin_connection() as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server_url().set(database=name).render_as_string(hide_password=False)
    finally:
        with _admin_connection() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def fresh_database(tmp_path_factory, label: str = "run"):
    """A fresh, empty database of the wanted engine; yields its URL."""
    if wanted_engine() == "postgresql":
        with throwaway_postgres_database(label) as url:
            yield url
    else:
        path = tmp_path_factory.mktemp(f"db-{label}") / "palliare.db"
        yield f"sqlite:///{path}"
