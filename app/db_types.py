"""Column types and defaults shared by the models, and the dialect's upsert."""

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.types import TypeDecorator


def insert_with_on_conflict(dialect_name: str):
    """The ``insert`` of the engine's dialect, the one with ``on_conflict_do_nothing`` and
    ``on_conflict_do_update`` (SQLAlchemy's generic insert has neither). Both dialects are
    imported whatever the engine: the models' PostgreSQL index options load that one."""
    return postgresql.insert if dialect_name == "postgresql" else sqlite.insert


def utcnow() -> datetime:
    """The current time in UTC, timezone-aware (a callable default, evaluated per row)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always returned timezone-aware.

    SQLite keeps no time zone, so values are normalised to UTC on the way in and marked
    as UTC on the way out; PostgreSQL stores ``timestamp with time zone``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC times")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
