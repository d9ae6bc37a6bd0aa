"""Browser fixtures: a real server with committed demo data, driven by Debian's Chromium.

Unlike the rest of the suite, nothing here is rolled back: the server runs in a thread
with its own app and its own database (seeded with the demo world), and the browser sees
exactly what a visitor would.
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from flask import request_finished
from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from app import create_app
from app.courses.importer import import_courses
from app.demo import DEMO_PASSWORD, seed_demo
from app.extensions import db as _db
from app.i18n.pseudo import write_pseudo_translations
from config import Config
from tests.browser.helpers import click_and_wait
from tests.conftest import _run_tasks_after_request
from tests.database import fresh_database

ROOT = Path(__file__).resolve().parents[2]
PSEUDO = "eo"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Chromium logs CSP violations itself; this listener makes sure each one also reaches the
# console as an error naming the directive, whatever Chromium's wording.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""
HTTP_ERROR_MESSAGE = "Failed to load resource: the server responded with a status of"
LIVE = {}  # the live server's app, for tests that write their own rows first ("app")


@pytest.fixture(autouse=True)
def db():
    """Replace the root fixture: browser tests must not pin ``db.session`` to a
    rolled-back connection, since the server thread reads what the views commit."""
    return None


def _course_folder(folder: Path) -> Path:
    """The real courses plus tests/fixtures/courses/quiz-course, side by side."""
    real = Path(__file__).resolve().parents[2] / "courses"
    for course in [p for p in real.iterdir() if (p / "course.yaml").is_file()] + [
        Path(__file__).resolve().parents[1] / "fixtures" / "courses" / "quiz-course"
    ]:
        shutil.copytree(course, folder / course.name)
    return folder


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, smtp_server):
    """The app served on a free local port, on its own migrated database with the demo
    world, the real courses and the small quiz course of the fixtures; yields the base URL.

    Waiting times between quiz attempts are shortened 300 times (5 minutes: 1 second).
    The pseudo-locale (``flask translations pseudo``: accented, 30% longer) is served as
    ``?lang=eo``, a code Babel knows that no catalog of ours uses, for the 360 px check.
    """
    courses = _course_folder(tmp_path_factory.mktemp("courses"))
    translations = write_pseudo_translations(
        ROOT / "translations", tmp_path_factory.mktemp("pseudo") / "translations", PSEUDO
    )
    with fresh_database(tmp_path_factory, "browser") as url:
        app = create_app(
            "testing",
            SQLALCHEMY_DATABASE_URI=url,
            STORAGE_URL=f"file://{tmp_path_factory.mktemp('files')}",
            WTF_CSRF_ENABLED=True,
            SERVER_NAME=None,  # set to the live server's address once it listens
            MAIL_SERVER=smtp_server.host,
            MAIL_PORT=smtp_server.port,
            COURSES_DIR=str(courses),
            QUIZ_WAIT_SCALE=1 / 300,
            DEMO_LIBRARY=True,
            BABEL_TRANSLATION_DIRECTORIES=str(translations),
            LANGUAGES=[*Config.LANGUAGES, PSEUDO],
        )
        server = make_server("127.0.0.1", 0, app, threaded=True)
        LIVE["app"] = app
        # Links in e-mails come from SERVER_NAME only (app/urls.py): the live server's,
        # known once its socket is bound (before the demo, whose e-mails have links).
        app.config["SERVER_NAME"] = f"127.0.0.1:{server.server_port}"
        with app.app_context():
            upgrade()
            import_courses(courses)
            seed_demo()
            _db.session.commit()
        # What a request queues (e-mail) runs when it is done, as a consumer would.
        request_finished.connect(_run_tasks_after_request, app)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            thread.join(timeout=10)
            with app.app_context():
                _db.engine.dispose()  # so the throw-away PostgreSQL database can be dropped


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, for the whole run (never a downloaded build)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium (make chromium)."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh tab (own cookies, English browser) that fails the test on any console
    error, uncaught script error, CSP violation or failed sub-resource."""
    context = browser.new_context(base_url=live_server, locale="en-GB")
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    problems = []
    page.on("console", lambda message: _console_problem(message, problems))
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("response", lambda response: _response_problem(response, problems))
    yield page
    context.close()
    assert not problems, "problems in the browser:\n" + "\n".join(problems)


def _console_problem(message, problems: list) -> None:
    # HTTP errors are judged by _response_problem: a page's own 401 or 404 can be right.
    if message.type == "error" and not message.text.startswith(HTTP_ERROR_MESSAGE):
        problems.append(f"console error on {message.location.get('url')}: {message.text}")


def _response_problem(response, problems: list) -> None:
    if response.request.resource_type == "document":
        return
    if response.status >= 400:
        problems.append(f"{response.status} for {response.url}")


@pytest.fixture
def sign_in(page):
    """Sign ``page`` in through the real form: ``sign_in(email, password=DEMO_PASSWORD)``;
    returns once the page the form leads to has loaded (home, or the form again)."""

    def do_sign_in(email: str, password: str = DEMO_PASSWORD):
        page.goto("/login")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", password)
        click_and_wait(page, page.locator("main form button[type=submit]"))  # any language

    return do_sign_in
