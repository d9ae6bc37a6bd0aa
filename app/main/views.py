"""Home page (a landing page when signed out), the health check (liveness) and the
readiness check."""

from flask import current_app, jsonify, render_template
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import text

from app.auth.models import Role
from app.auth.policies import PUBLIC, allow
from app.cohorts import queries as cohort_queries
from app.courses import queries as course_queries
from app.extensions import db
from app.interface_coverage import interface_coverage
from app.main import bp, queries
from app.main.readiness import READY, run_readiness_checks


@bp.route("/")
@allow(PUBLIC)
def index():
    """What Palliare is (signed out) or what this person can do now (signed in)."""
    if not current_user.is_authenticated:
        return render_template("main/landing.html")
    user = current_user
    context = {
        "institutions": queries.list_coordinated_institutions(user),
        "programmes": queries.list_funded_programmes(user),
        "translations": [interface_coverage(locale) for locale in sorted(user.translator_locales)],
        "totals": queries.count_everything() if user.has_role(Role.ADMIN) else None,
        "open_invitations": queries.count_open_invitations(user),
        "my_courses": [e for e in course_queries.list_catalog(user, None) if e.enrolled],
        "cohorts_run": cohort_queries.list_cohorts_run_by(user)[:5],
        "cohorts_joined": cohort_queries.list_cohorts_of_member(user)[:5],
        "locale": str(get_locale()),
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
