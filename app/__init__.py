"""Palliare: a learning platform for palliative-care train-the-trainer programmes."""

import os
from pathlib import Path

from flask import Flask

from app import logs
from config import config_for

# The feature packages, lowest layer first. Each registers itself in its ``init_app``:
# blueprint, commands, tables, event handlers and completion-rule clauses
# (tests/test_structure.py checks that every package with a blueprint is listed).
FEATURES = [
    "app.main",
    "app.auth",
    "app.admin",
    "app.institutions",
    "app.notifications",
    "app.courses",
    "app.learning",
    "app.quizzes",
    "app.study",
    "app.cohorts",
    "app.workshops",
    "app.trainers",
    "app.conferences",
    "app.cases",
    "app.placements",
    "app.protocols",
    "app.library",
    "app.offline",
    "app.calendar",
    "app.i18n",
    "app.dashboards",
]


def create_app(config_name: str | None = None, **overrides) -> Flask:
    """Build the application: config, extensions, blueprints, hooks, errors, CLI."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_for(config_name))
    app.config.update(overrides)
    logs.init_app(app)
    check_config(app)
    trust_proxies(app)
    register_extensions(app)
    register_features(app)
    register_hooks(app)
    register_templating(app)
    register_error_pages(app)
    register_cli(app)
    return app


def check_config(app: Flask) -> None:
    """Refuse to start with settings that would be unsafe."""
    production = app.config.get("PRODUCTION")
    if not app.config.get("SECRET_KEY"):
        if production:
            raise RuntimeError("SECRET_KEY must be set (an environment variable) in production.")
        from config import instance_secret_key

        # Development: a random key kept in instance/secret_key, never one in the code.
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))
    if production and not app.config.get("SERVER_NAME"):
        raise RuntimeError(
            "SERVER_NAME must be set in production: links in e-mails (password resets, "
            "invitations) are built from it, never from the request's Host header."
        )
    os.makedirs(app.instance_path, exist_ok=True)  # the default SQLite database lives here


def trust_proxies(app: Flask) -> None:
    """Behind ``TRUSTED_PROXIES`` reverse proxies, take the client address and scheme from
    their X-Forwarded-For/-Proto headers (rate limits count real clients, links use https).
    The host is never taken from a header: links in e-mails must not be redirectable."""
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # never X-Forwarded-Host


def migrations_directory(app: Flask) -> Path:
    """The Alembic migration scripts' folder."""
    return Path(app.root_path).parent / "migrations"


def register_extensions(app: Flask) -> None:
    """Bind the extension instances of ``app.extensions`` to this app."""
    from flask_babel import lazy_gettext as _l

    from app import (
        sqlite,  # noqa: F401  (registers SQLite connection settings)
        tasks,
    )
    from app.auth.services import user_for_session
    from app.extensions import babel, db, limiter, login_manager
    from app.locales import select_locale, select_timezone

    sqlite.adjust_engine_options(app)
    db.init_app(app)
    sqlite.init_app(app)  # safe requests read without SQLite's write lock (app/sqlite.py)
    if not os.environ.get("PALLIARE_WEB_SERVER"):
        # `flask db …`, and flask_migrate.upgrade() in scripts and tests. Not in gunicorn
        # (deploy/gunicorn.conf.py sets PALLIARE_WEB_SERVER): alembic and Flask-Migrate are
        # ~11 MiB a web server never uses (/readyz reads the scripts without them).
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(migrations_directory(app)), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    tasks.init_app(app)
    tasks.import_task_modules()

    login_manager.user_loader(user_for_session)
    login_manager.login_message = _l("Please sign in to see this page.")


def register_features(app: Flask) -> None:
    """Let each feature package register itself."""
    import importlib

    for name in FEATURES:
        importlib.import_module(name).init_app(app)


def register_hooks(app: Flask) -> None:
    """Request hooks, in order: access policy, CSRF, language switch; headers after."""
    from app.auth.policies import enforce_policy
    from app.extensions import csrf, skip_limiter_middleware
    from app.locales import apply_lang_parameter
    from app.outbox import refuse_another_owner
    from app.security import set_security_headers

    # The access policy runs before the CSRF check, so a signed-out visitor posting a
    # form is sent to sign in rather than shown a 400.
    app.before_request(enforce_policy)
    # A form from a shared device's outbox is only taken in its owner's session.
    app.before_request(refuse_another_owner)
    csrf.init_app(app)
    app.before_request(apply_lang_parameter)
    app.after_request(set_security_headers)
    skip_limiter_middleware(app)  # after the features: their views declare the limits


def register_templating(app: Flask) -> None:
    """Globals the templates use: menus, languages, formatting."""
    from app import templating

    templating.init_app(app)


def register_error_pages(app: Flask) -> None:
    """Friendly, translated error pages (and the CSRF failure message)."""
    from app.errors import register

    register(app)


def register_cli(app: Flask) -> None:
    """The commands that belong to no feature package (``flask demo``, the task worker);
    the others are registered by their packages."""
    from app.demo import demo_command
    from app.tasks import tasks_cli

    app.cli.add_command(demo_command)
    app.cli.add_command(tasks_cli)
