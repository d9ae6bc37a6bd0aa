"""Fixtures: one app and one migrated database per run; every test rolled back.

The suite runs once per database engine (``PALLIARE_TEST_DB=sqlite|postgresql``, see
tests/database.py and the Makefile). The schema is made by the real migrations, so every
run also proves that they work.
"""

import os
from pathlib import Path

import pytest
from flask import g, request_finished, request_started
from flask_migrate import upgrade

from app import create_app
from app.extensions import AppSession, limiter
from app.extensions import db as _db
from tests.database import fresh_database
from tests.mail import SMTPServer
from tests.tasks import clear_queue, run_queued_tasks

# Set by deploy/gunicorn.conf.py for the app it serves, which then leaves Flask-Migrate out
# (app/__init__.py); left in a developer's shell it would leave the suite unable to
# migrate its database. The tests that start servers set what those need themselves.
os.environ.pop("PALLIARE_WEB_SERVER", None)

DEMO_PASSWORD = "palliare-demo"
FIXTURE_COURSES = Path(__file__).parent / "fixtures" / "courses"


class _ConnectionBoundSession(AppSession):
    """The app's session, pinned to the test's connection (and its transaction)."""

    def get_bind(self, *args, **kwargs):
        return self.bind


@pytest.fixture(scope="session")
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free local port, for the whole run."""
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    with fresh_database(tmp_path_factory) as url:
        yield url


def _fresh_g_per_request(sender, **extra):
    """Tests keep one app context open, which requests then share; clear ``g`` so each
    request starts as it would in production (CSRF token, signed-in user, locale)."""
    g.__dict__.clear()


def _run_tasks_after_request(sender, **extra):
    """What a request queued runs when it is done, as a consumer would run it right away
    (the request has committed; the task sees its rows)."""
    run_queued_tasks()


@pytest.fixture(scope="session")
def app(database_url, smtp_server, tmp_path_factory):
    """The application under test, on a database upgraded by the migrations."""
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=database_url,
        STORAGE_URL=f"file://{tmp_path_factory.mktemp('files')}",  # not the repo's instance/
        MAIL_SERVER=smtp_server.host,
        MAIL_PORT=smtp_server.port,
        SERVER_NAME="palliare.test",
        COURSES_DIR=str(FIXTURE_COURSES),
    )
    request_started.connect(_fresh_g_per_request, app)
    request_finished.connect(_run_tasks_after_request, app)
    with app.app_context():
        upgrade()
    return app


@pytest.fixture(autouse=True)
def fresh_content_cache():
    """Each test starts with the lesson page's per-process content cache empty (ids and
    timestamps of rolled-back tests may come back)."""
    from app.courses import content_cache

    content_cache.outlines.clear()
    content_cache.rendered_lessons.clear()


@pytest.fixture(autouse=True)
def db(app, smtp_server):
    """Each test inside a transaction that is rolled back; views' commits are savepoints."""
    with app.app_context():
        connection = _db.engine.connect()
        transaction = connection.begin()
        original_session = _db.session
        _db.session = _db._make_scoped_session(
            {
                "class_": _ConnectionBoundSession,
                "bind": connection,
                "join_transaction_mode": "create_savepoint",
                "expire_on_commit": False,  # as in the app (app/extensions.py)
            }
        )
        limiter.reset()
        clear_queue()
        smtp_server.messages.clear()
        try:
            yield _db
        finally:
            _db.session.remove()
            transaction.rollback()
            connection.close()
            _db.session = original_session


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def mailbox(smtp_server):
    """The messages the SMTP server received during this test."""
    return smtp_server.messages


@pytest.fixture
def login(client):
    """Sign ``user`` in through the real form (with its CSRF token)."""
    from tests.helpers import sign_in

    def do_login(user, password=DEMO_PASSWORD):
        response = sign_in(client, user.email, password)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return do_login


def pytest_report_header(config):
    """Say which database engine this pass runs on."""
    from tests.database import wanted_engine

    return f"palliare test database: {wanted_engine()}"


@pytest.fixture
def sample_course(app):
    """tests/fixtures/courses/sample-course, imported (English, partial ru and kk)."""
    from app.courses.importer import import_courses
    from app.courses.queries import get_course

    import_courses(FIXTURE_COURSES)
    _db.session.commit()
    return get_course("sample-course")


@pytest.fixture
def quiz_course(app):
    """tests/fixtures/courses/quiz-course, imported: one lesson, a module quiz ("check",
    three true-false questions, pass mark 100%) and a pre/post knowledge test."""
    from app.courses.importer import import_courses
    from app.courses.queries import get_course

    import_courses(FIXTURE_COURSES)
    _db.session.commit()
    return get_course("quiz-course")
