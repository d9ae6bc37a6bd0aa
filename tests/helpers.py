"""Small helpers for the tests: driving the app through its real forms, reading a page's
text, counting SQL statements, running a snippet in a fresh interpreter."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CSRF_PATTERN = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'name="csrf_token" value="([^"]+)"'
)


def csrf_token(client, url: str) -> str:
    """The CSRF token of the form on the page at ``url``."""
    html = client.get(url).get_data(as_text=True)
    match = CSRF_PATTERN.search(html)
    assert match, f"no CSRF token on {url}"
    return match.group(1) or match.group(2)


def post_form(client, url: str, data: dict, form_page: str | None = None, **kwargs):
    """POST ``data`` to ``url`` with a valid CSRF token taken from ``form_page``."""
    token = csrf_token(client, form_page or url)
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)


def sign_in(client, email: str, password: str):
    """Sign in through the login form."""
    return post_form(client, "/login", {"email": email, "password": password})


def text_of(response) -> str:
    return response.get_data(as_text=True)


def count_statements(action) -> int:
    """How many SQL statements ``action()`` runs (the tests' own savepoints not counted)."""
    from sqlalchemy import event

    from app.extensions import db

    statements = []

    def listener(_conn, _cursor, statement, *args):
        if not statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def run_python(
    code: str, env: dict[str, str | None] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter from the project's root, output captured as text.

    For what a test's own process cannot show (it has imported everything already): what
    a process imports at start, how it exits. It inherits this environment with
    PALLIARE_ENV=testing; ``env`` sets more variables over it, and a ``None`` value
    removes one."""
    environment = {**os.environ, "PALLIARE_ENV": "testing"}
    for name, value in (env or {}).items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True,
        text=True, timeout=timeout,
    )  # fmt: skip
