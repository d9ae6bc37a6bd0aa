"""Shared helpers for the benchmarks: a fresh app on a throw-away SQLite database."""

import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402


def fresh_app(**overrides):
    """An app on an empty, migrated SQLite database in a temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="palliare-bench-"))
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'bench.db'}",
        WTF_CSRF_ENABLED=False,
        MAIL_BACKEND="file",
        **overrides,
    )
    with app.app_context():
        upgrade()
    return app, folder


def session_cookie(app, session_id: str) -> tuple[str, str]:
    """A signed session cookie for a signed-in user and its CSRF token, as a browser holds."""
    from flask import g, session
    from flask_wtf.csrf import generate_csrf

    with app.test_request_context("/"):
        g.pop("csrf_token", None)  # request contexts here share one app context
        session["_user_id"] = session_id
        session["_fresh"] = True
        token = generate_csrf()
        return app.session_interface.get_signing_serializer(app).dumps(dict(session)), token


def use_session(client, app, cookie: str) -> None:
    """Give a test client the session ``cookie`` (from ``session_cookie``), for the app's
    host: a cookie for another host (the test client's default, localhost) is never sent,
    and every page then redirects to the sign-in page."""
    domain = app.config["SERVER_NAME"] or "localhost"
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie, domain=domain.split(":")[0])


def freeze_like_production() -> None:
    """Freeze what is in memory, as wsgi.py does once the app is built: the collector then
    skips the long-lived objects. Call it after populating and before measuring (in
    production the data lives in the database, not in the process)."""
    gc.collect()
    gc.freeze()


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` percentile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def timed(function) -> float:
    """Seconds ``function()`` takes."""
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def summary(label: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (
        f"{label}: n={len(ms)} median={statistics.median(ms):.2f} ms "
        f"p95={percentile(ms, 0.95):.2f} ms max={max(ms):.2f} ms"
    )
