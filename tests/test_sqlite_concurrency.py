"""SQLite under concurrency (app/sqlite.py): readers never wait for a writer, and a GET
that writes (a first visit to a lesson) waits its turn instead of failing.

These tests run on a SQLite file of their own, with threads that each hold their own
connection, as gunicorn's workers and threads do; the suite's rolled-back, one-connection
fixture would hide exactly what they check. They run in both passes of the suite (the
database here is always SQLite).
"""

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, insert, select

from app import create_app
from app.auth.models import Profession, Role, RoleAssignment, User
from app.courses.importer import import_courses
from app.courses.models import Course, Enrolment, Lesson, LessonProgress
from app.db_types import utcnow
from app.extensions import db as _db
from app.extensions import limiter
from app.sqlite import BUSY_TIMEOUT_MS

FIXTURE_COURSES = Path(__file__).parent / "fixtures" / "courses"
LEARNERS = 12
COURSE = "sample-course"


@pytest.fixture
def db():
    """Not the suite's fixture (one rolled-back connection for everything): here every
    thread must have a connection of its own to a real file."""
    yield _db


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """An app on a SQLite file: the sample course and enrolled learners."""
    folder = tmp_path_factory.mktemp("sqlite-concurrency")
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'palliare.db'}",
        STORAGE_URL=f"file://{folder / 'files'}",
        COURSES_DIR=str(FIXTURE_COURSES),
        WTF_CSRF_ENABLED=False,
    )
    with app.app_context():
        upgrade()
        import_courses(FIXTURE_COURSES)
        now = utcnow()
        _db.session.execute(
            insert(User),
            [
                {
                    "email": f"reader{i}@example.org",
                    "name": f"Reader {i}",
                    "password_hash": "x",
                    "profession": Profession.NURSE,
                    "active": True,
                    "session_version": 1,
                    "created_at": now,
                }
                for i in range(LEARNERS)
            ],
        )
        users = _db.session.scalars(select(User.id).order_by(User.id)).all()
        course = _db.session.scalar(select(Course).where(Course.key == COURSE))
        _db.session.execute(
            insert(RoleAssignment),
            [{"user_id": u, "role": Role.LEARNER, "created_at": now} for u in users],
        )
        _db.session.execute(
            insert(Enrolment),
            [{"user_id": u, "course_id": course.id, "enrolled_at": now} for u in users],
        )
        _db.session.commit()
        lessons = _db.session.scalars(
            select(Lesson.key).where(Lesson.course_id == course.id).order_by(Lesson.position)
        ).all()
        cookies = [_cookie(app, u) for u in users]
        _db.session.remove()
    assert len(lessons) >= 3, lessons
    _add_two_commits_view(app, folder / "palliare.db")
    return app, folder / "palliare.db", users, cookies, lessons


def _add_two_commits_view(app, path) -> None:
    """A GET that commits a change, then reads and writes again (two commits in one
    request): the case a retry must never replay."""
    from sqlalchemy import text

    from app.auth.policies import PUBLIC, allow

    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE concurrency_marks (id INTEGER PRIMARY KEY, label TEXT)")
    app.extensions["concurrency_events"] = events = {
        "first_committed": threading.Event(),
        "writer_locked": threading.Event(),
    }

    @allow(PUBLIC)
    def two_commits():
        _db.session.execute(text("INSERT INTO concurrency_marks (label) VALUES ('first')"))
        _db.session.commit()
        events["first_committed"].set()
        events["writer_locked"].wait(5)
        _db.session.execute(text("SELECT count(*) FROM concurrency_marks")).scalar()
        _db.session.execute(text("INSERT INTO concurrency_marks (label) VALUES ('second')"))
        _db.session.commit()
        return "done"

    app.add_url_rule("/_tests/two-commits", "two_commits", two_commits)


def _cookie(app, user_id: int) -> str:
    data = {"_user_id": f"{user_id}.1", "_fresh": True}
    return app.session_interface.get_signing_serializer(app).dumps(data)


def _client(app, cookie):
    client = app.test_client()
    client.set_cookie("session", cookie, domain=app.config["SERVER_NAME"])
    return client


def _lesson_url(key: str) -> str:
    return f"/courses/{COURSE}/lessons/{key}"


def _progress(path, user_id=None) -> int:
    with sqlite3.connect(path) as connection:
        sql = "SELECT count(*) FROM lesson_progress"
        if user_id is None:
            return connection.execute(sql).fetchone()[0]
        return connection.execute(sql + " WHERE user_id = ?", (user_id,)).fetchone()[0]


class Writer(threading.Thread):
    """Another process's write transaction: takes SQLite's write lock, changes a row and
    holds the lock for ``hold`` seconds before committing."""

    def __init__(self, path, hold: float):
        super().__init__()
        self.path, self.hold = path, hold
        self.locked, self.committed = threading.Event(), threading.Event()

    def run(self):
        connection = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("UPDATE users SET name = name WHERE id = 1")
            self.locked.set()
            time.sleep(self.hold)
            connection.execute("COMMIT")
            self.committed.set()
        finally:
            connection.close()


def test_sqlite_cannot_wait_when_a_read_transaction_upgrades(tmp_path):
    """Why a retry is needed: a deferred transaction that has read and then writes fails
    at once while another connection holds the write lock, whatever the busy timeout."""
    path = tmp_path / "plain.db"
    setup = sqlite3.connect(path, isolation_level=None)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE t (x INTEGER)")
    setup.close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO t VALUES (1)")
    reader = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM t").fetchone()
    start = time.perf_counter()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        reader.execute("INSERT INTO t VALUES (2)")
    assert time.perf_counter() - start < 1  # no waiting: the busy handler is skipped
    reader.execute("ROLLBACK")
    holder.execute("COMMIT")


@pytest.mark.parametrize("deferred", [True, False], ids=["deferred-reads", "begin-immediate"])
def test_a_reader_does_not_wait_for_a_writer(world, deferred):
    """A read-only page answers while another connection holds the write lock; under the
    old BEGIN IMMEDIATE for everything it waited for the writer's commit (the tail)."""
    app, path, users, cookies, lessons = world
    client = _client(app, cookies[0])
    warm = client.get(f"/courses/{COURSE}")
    assert warm.status_code == 200, warm.headers.get("Location")
    app.config["SQLITE_DEFERRED_READS"] = deferred
    writer = Writer(path, hold=3)
    try:
        writer.start()
        assert writer.locked.wait(5)
        response = client.get(f"/courses/{COURSE}")
        answered_first = not writer.committed.is_set()
    finally:
        writer.join()
        app.config["SQLITE_DEFERRED_READS"] = True
    assert response.status_code == 200
    # Deferred: the page came back while the writer still held the lock. BEGIN IMMEDIATE:
    # it could only start once the writer had committed (it queued behind it).
    assert answered_first is deferred


def test_a_first_visit_waits_for_the_writer_and_is_stored_once(world):
    """The lesson's first visit writes; the write lock is held elsewhere: the request is
    run again under BEGIN IMMEDIATE, waits, succeeds, and stores the visit once."""
    app, path, users, cookies, lessons = world
    user, client = users[1], _client(app, cookies[1])
    before, retries = _progress(path, user), app.wsgi_app.retries
    writer = Writer(path, hold=0.5)
    writer.start()
    assert writer.locked.wait(5)
    try:
        response = client.get(_lesson_url(lessons[0]))
    finally:
        writer.join()
    assert response.status_code == 200, response.status_code
    assert b"lesson-body" in response.data
    assert app.wsgi_app.retries == retries + 1
    assert _progress(path, user) == before + 1
    again = client.get(_lesson_url(lessons[0]))  # a repeat visit: read-only, no retry
    assert again.status_code == 200
    assert app.wsgi_app.retries == retries + 1
    assert _progress(path, user) == before + 1


def test_a_request_that_committed_a_change_is_never_run_again(world):
    """Once a GET has committed a change, its later transactions wait for the write lock
    (BEGIN IMMEDIATE) instead of conflicting, so a retry can never do the first one twice."""
    app, path, users, cookies, lessons = world
    events, retries = app.extensions["concurrency_events"], app.wsgi_app.retries
    answers = []
    request = threading.Thread(
        target=lambda: answers.append(app.test_client().get("/_tests/two-commits"))
    )
    request.start()
    assert events["first_committed"].wait(5)
    writer = Writer(path, hold=0.5)
    writer.start()
    assert writer.locked.wait(5)
    events["writer_locked"].set()
    request.join(30)
    writer.join()
    assert answers and answers[0].status_code == 200, answers
    assert app.wsgi_app.retries == retries
    with sqlite3.connect(path) as connection:
        marks = connection.execute(
            "SELECT label, count(*) FROM concurrency_marks GROUP BY label ORDER BY label"
        ).fetchall()
    assert marks == [("first", 1), ("second", 1)]


def test_a_post_still_takes_the_write_lock_at_once(world, monkeypatch):
    """Unsafe methods begin with BEGIN IMMEDIATE (they write; a conflict there could not be
    replayed safely), so they wait for a writer instead of failing."""
    app, path, users, cookies, lessons = world
    statements = []
    from sqlalchemy import event

    with app.app_context():
        engine = _db.engine

    def remember(conn, cursor, statement, *args):
        if statement.startswith("BEGIN"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", remember)
    try:
        client = _client(app, cookies[2])
        assert client.get(_lesson_url(lessons[0])).status_code == 200
        begins_of_get = list(statements)
        statements.clear()
        response = client.post(_lesson_url(lessons[0]) + "/complete")
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    assert response.status_code == 303
    assert begins_of_get and begins_of_get[0] == "BEGIN"
    assert statements and all(s == "BEGIN IMMEDIATE" for s in statements)


def test_mixed_reads_and_first_visits_from_many_threads(world):
    """Eight threads read and visit lessons for the first time while two others complete
    lessons (POST): no "database is locked", no error at all, every first visit stored
    exactly once, and the conflicts that did happen were retried."""
    app, path, users, cookies, lessons = world
    visitors = list(range(4, 12))  # learners whose visits this test counts
    before = {users[i]: _progress(path, users[i]) for i in visitors}
    statuses, errors, retries = [], [], app.wsgi_app.retries
    lock = threading.Lock()
    start = threading.Barrier(len(visitors) + 2)

    def visit(index):
        client = _client(app, cookies[index])
        start.wait()
        try:
            for _round in range(4):
                for key in lessons:  # first visits, then repeats
                    response = client.get(_lesson_url(key))
                    page = client.get(f"/courses/{COURSE}")  # a read-only page
                    with lock:
                        statuses.extend([response.status_code, page.status_code])
        except Exception as error:  # noqa: BLE001  (reported below, with its thread)
            errors.append(repr(error))

    def complete(index):
        client = _client(app, cookies[index])
        start.wait()
        try:
            for _ in range(3):
                for key in lessons:
                    response = client.post(_lesson_url(key) + "/complete")
                    with lock:
                        statuses.append(response.status_code)
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))

    threads = [threading.Thread(target=visit, args=(i,)) for i in visitors]
    threads += [threading.Thread(target=complete, args=(i,)) for i in (2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    assert statuses and set(statuses) <= {200, 303}, sorted(set(statuses))
    for i in visitors:  # each lesson's first visit made one row, and no more
        assert _progress(path, users[i]) == before[users[i]] + len(lessons), users[i]
    with app.app_context():
        pairs = _db.session.execute(
            select(LessonProgress.user_id, LessonProgress.lesson_id, func.count()).group_by(
                LessonProgress.user_id, LessonProgress.lesson_id
            )
        ).all()
        _db.session.remove()
    assert all(count == 1 for _u, _l, count in pairs)
    print(f"{app.wsgi_app.retries - retries} requests were run again under BEGIN IMMEDIATE")


def test_an_sqlite_file_is_used_without_a_liveness_check_a_server_with_one(app, tmp_path):
    """pool_pre_ping (a statement at each request's first use of a connection) finds a
    PostgreSQL connection a restart closed; an SQLite file needs none (app/sqlite.py)."""
    on_file = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'a.db'}")
    on_server = create_app(
        "testing", SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none"
    )
    with on_file.app_context():
        assert _db.engine.pool._pre_ping is False
    with on_server.app_context():
        assert _db.engine.pool._pre_ping is True  # made, never connected
    limiter.init_app(app)  # the apps made here took the one limiter: give it back
