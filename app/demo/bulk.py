"""Writing many demo rows at once: ids assigned here (so a row can point at another
before anything is written), rows inserted per table in chunks (COPY on PostgreSQL), the
id sequences moved past them afterwards. The summary tables are rebuilt by the caller,
since these writes bypass the ORM's events."""

import enum
import json
from dataclasses import dataclass, field

from sqlalchemy import func, insert, select, text

from app.extensions import db

CHUNK = 5000


@dataclass
class World:
    """What a generator made (ids), for the next steps and the summary line."""

    institutions: list[int] = field(default_factory=list)
    learners: list[tuple[int, int]] = field(default_factory=list)  # (user id, institution id)
    trainers: list[tuple[int, int]] = field(default_factory=list)
    professions: dict[int, str] = field(default_factory=dict)  # user id -> profession
    counts: dict[str, int] = field(default_factory=dict)


def next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


class Batch:
    """Rows per model, each row given the next free id of its table (models without an
    ``id`` column, such as link tables, take their rows as they are)."""

    def __init__(self, *models) -> None:
        self.rows: dict[type, list[dict]] = {model: [] for model in models}
        self._first = {model: next_id(model) for model in models if _has_id(model)}

    def add(self, model, row: dict) -> int | None:
        rows = self.rows[model]
        if model not in self._first:
            rows.append(row)
            return None
        row_id = self._first[model] + len(rows)
        rows.append({"id": row_id, **row})
        return row_id

    def write(self, world: World) -> None:
        """Insert every model's rows, in the order the models were given (parents first)."""
        for model, rows in self.rows.items():
            insert_rows(model, rows, world)


def _has_id(model) -> bool:
    return "id" in getattr(model, "__table__", model).c


def insert_rows(model, rows: list[dict], world: World | None = None) -> None:
    """``rows`` into the model's (or a Table's) table, in bulk."""
    table = getattr(model, "__table__", model)
    if rows and db.session.connection().dialect.name == "postgresql":
        _copy(table, rows)  # COPY: several times faster than INSERTs
    else:
        for start in range(0, len(rows), CHUNK):
            db.session.execute(insert(table), rows[start : start + CHUNK])
    if world is not None:
        world.counts[table.name] = world.counts.get(table.name, 0) + len(rows)


def _copy(table, rows: list[dict]) -> None:
    """Rows into a PostgreSQL table with COPY, in the session's transaction: values as
    the columns store them (enums by value, JSON as text)."""
    columns = list(rows[0])
    names = ", ".join(f'"{name}"' for name in columns)
    cursor = db.session.connection().connection.driver_connection.cursor()
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([_stored(row[name]) for name in columns])


def _stored(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


def advance_sequences(models) -> None:
    """PostgreSQL: ids were given here, so move each table's id sequence past them."""
    if db.engine.dialect.name != "postgresql":
        return
    for model in models:
        table = model.__tablename__
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        )
