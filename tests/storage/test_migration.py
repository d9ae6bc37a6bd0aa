"""Migration 0010 moves the attachments' bytes out of the database into the file store,
and back again on the way down (on this run's database engine)."""

from contextlib import contextmanager
from datetime import UTC, datetime

from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from app import create_app
from app.extensions import db
from app.storage import LocalFileStore
from tests.database import throwaway_postgres_database, wanted_engine

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
PDF, JPEG = b"%PDF-1.4 referral", b"\xff\xd8\xff\xe0 an image, re-encoded at upload"


@contextmanager
def _database(tmp_path):
    if wanted_engine() == "postgresql":
        with throwaway_postgres_database("m10") as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'm.db'}"


def _insert_case(connection) -> None:
    connection.execute(
        text(
            "INSERT INTO conference_series (id, uid, sequence, title, description, timezone, "
            "starts_local, duration_minutes, rrule, meeting_url, max_cases, created_at, "
            "updated_at) VALUES (1, 'u', 0, 't', '', 'UTC', :local, 60, 'FREQ=WEEKLY', "
            "'https://x.test', 3, :now, :now)"
        ),
        {"local": NOW.replace(tzinfo=None), "now": NOW},
    )
    connection.execute(
        text(
            "INSERT INTO conference_cases (id, series_id, occurrence_start, status, age_band, "
            "sex, diagnosis, symptoms_and_medicines, context, goals_of_care, question, "
            "created_at) VALUES (1, 1, :now, 'submitted', '70-79', 'female', 'd', 's', 'c', "
            "'g', 'q', :now)"
        ),
        {"now": NOW},
    )
    for id_, name, kind, data in ((1, "a.pdf", "application/pdf", PDF),
                                  (2, "b.jpg", "image/jpeg", JPEG)):  # fmt: skip
        connection.execute(
            text(
                "INSERT INTO case_attachments (id, case_id, filename, content_type, size, data) "
                "VALUES (:id, 1, :name, :kind, :size, :data)"
            ),
            {"id": id_, "name": name, "kind": kind, "size": len(data), "data": data},
        )


def test_attachment_bytes_move_to_the_store_and_back(tmp_path):
    store = LocalFileStore(tmp_path / "files")
    with _database(tmp_path) as url:
        other = create_app("testing", SQLALCHEMY_DATABASE_URI=url,
                           STORAGE_URL=f"file://{tmp_path / 'files'}")  # fmt: skip
        with other.app_context():
            upgrade(revision="0009")
            with db.engine.begin() as connection:
                _insert_case(connection)
            upgrade(revision="0010")
            columns = {c["name"] for c in inspect(db.engine).get_columns("case_attachments")}
            assert "data" not in columns and {"storage_key", "quarantine_key"} <= columns
            with db.engine.connect() as connection:
                rows = connection.execute(
                    text("SELECT id, storage_key, quarantine_key FROM case_attachments ORDER BY id")
                ).all()
            assert [r.quarantine_key for r in rows] == [None, None]  # served at once
            assert [store.get(r.storage_key) for r in rows] == [PDF, JPEG]
            assert rows[0].storage_key.endswith(".pdf") and rows[1].storage_key.endswith(".jpg")

            downgrade(revision="0009")
            with db.engine.connect() as connection:
                back = connection.execute(
                    text("SELECT data FROM case_attachments ORDER BY id")
                ).scalars()
                assert [bytes(data) for data in back] == [PDF, JPEG]
            db.engine.dispose()
