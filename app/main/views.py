"""Home page (a landing page when signed out), the health check (liveness) and the
readiness check."""

from flask import current_app, jsonify, render_template
from flask_babel import get_locale, get_timezone
from flask_login import current_user
from sqlalchemy import text

from app.auth.models import Role
from app.auth.policies import PUBLIC, allow
from app.calendar.queries import upcoming_sessions
from app.db_types import utcnow
from app.extensions import db
from app.main import bp, homes, queries
from app.main.readiness import READY, run_readiness_checks


@bp.route("/")
@allow(PUBLIC)
def index():
    """What Palliare is (signed out), or a home made of one section per role held."""
    if not current_user.is_authenticated:
        return render_template("main/landing.html")
    user, now = current_user, utcnow()
    is_trainer = user.has_role(Role.TRAINER)
    context = {
        "learner": homes.learner_home(user, now.astimezone(get_timezone()).date()),
        "trainer": homes.trainer_home(user, now) if is_trainer else None,
        "institutions": homes.coordinator_home(user, now),
        "programmes": homes.funder_home(user),
        "translator": homes.translator_home(user) if user.translator_locales else None,
        "admin": homes.admin_home(now) if user.has_role(Role.ADMIN) else None,
        "open_invitations": queries.count_open_invitations(user),
        "upcoming": upcoming_sessions(user, limit=5, now=now),
        "locale": str(get_locale()),
        "now": now,
    }
    return render_template("main/home.html", **context)


@bp.route("/healthz")
@allow(PUBLIC)
def healthz():
    """Liveness: 200 when the app and its database answer, 503 otherwise. Readiness (may
    this server take traffic?) is /readyz."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means "not healthy"
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.route("/readyz")
@allow(PUBLIC)
def readyz():
    """200 when this server can take traffic (database, migrations, queue and files all
    answer), else 503 naming what fails; for deploy scripts and load balancers."""
    checks = run_readiness_checks(current_app._get_current_object())
    failing = [name for name, state in checks.items() if state not in READY]
    if failing:
        current_app.logger.warning("Not ready: %s", checks)
        return jsonify(status="error", failing=failing, checks=checks), 503
    return jsonify(status="ok", checks=checks)
