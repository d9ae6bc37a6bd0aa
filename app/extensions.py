"""Extension instances, created here and bound to the app in ``create_app``."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints let Alembic alter and drop them on every database (SQLite included).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class AppSession(Session):
    """The application's sessions. Session events the app needs (the dashboards' recount
    at commit) listen to this class, never to SQLAlchemy's ``Session``, which every
    session in the process shares (Alembic's, a script's)."""


# Objects stay loaded after the one commit a request makes: the page rendered after it
# would otherwise reload every row it shows, one query at a time.
db = SQLAlchemy(model_class=Base, session_options={"class_": AppSession, "expire_on_commit": False})
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def skip_limiter_middleware(app) -> None:
    """Leave out the check Flask-Limiter runs before every request, while it has nothing
    to check. Every limit here decorates its view (``@limiter.limit``), and the decorator
    checks it when that view runs; the before-request check applies only default,
    application, blueprint and meta limits, and none are set. It cost 0.2-0.4 ms a
    request (a tenth of a lesson page, measured in-process A/B; issue 21). Should any of
    those be set (``RATELIMIT_DEFAULT`` in the environment, say), the check stays."""
    manager = limiter.limit_manager
    if (
        manager.default_limits
        or manager.application_limits
        or manager._blueprint_limits  # no public accessor; set by @limiter.limit(blueprint)
        or limiter._meta_limits
    ):
        return
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks:  # not there with RATELIMIT_ENABLED off
        hooks.remove(limiter._check_request_limit)


def per_user() -> str:
    """A rate-limit key per signed-in person, not per network address (a workshop room
    full of learners shares one address)."""
    return f"user:{current_user.id}"
