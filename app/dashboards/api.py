"""The read-only reporting API (JSON): the dashboards' figures, with the same scopes and
suppression, for scripts and BI tools. Authenticated by API tokens (``Authorization:
Bearer pal_…``), described by the OpenAPI document at /api/v1/openapi.json."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from app.auth.models import Role, User
from app.auth.permissions import REPORT, REVOKE, can, load_or_404
from app.auth.policies import PUBLIC, allow, roles
from app.courses.queries import list_courses
from app.dashboards import bp, openapi, queries, report, tokens
from app.dashboards.filters import institution_scope, programme_scope
from app.dashboards.models import ApiToken
from app.dashboards.suppression import Cell
from app.errors import MESSAGES, render_error
from app.exceptions import InvalidToken, ValidationFailed
from app.extensions import db, limiter
from app.institutions.models import Institution, Programme

REPORTERS = roles("reporters", Role.ADMIN, Role.FUNDER, Role.COORDINATOR)


def _token_user() -> User:
    """The owner of the request's bearer token, or a 401 in JSON."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    try:
        if scheme.lower() != "bearer" or not secret:
            raise InvalidToken(_("Send an API token: Authorization: Bearer <token>."))
        user = tokens.user_for_token(secret.strip())
    except InvalidToken as error:
        response = jsonify(error=str(error))
        response.status_code, response.headers["WWW-Authenticate"] = 401, "Bearer"
        abort(response)
    db.session.commit()  # last used
    return user


def _cell(value):
    if isinstance(value, Cell):
        # as published: rounded to ``rounded_to`` (1: exact), null when suppressed
        return {"value": value.shown, "suppressed": value.hidden, "rounded_to": value.base}
    return str(value)


def _tables(tables) -> list[dict]:
    return [
        {
            "key": t.key,
            "title": str(t.title),
            "definition": str(t.definition),
            "columns": [str(c) for c in t.columns],
            "rows": [[_cell(v) for v in row] for row in t.rows],
            "total": [_cell(v) for v in t.total] if t.total else None,
        }
        for t in tables
    ]


def _definitions() -> list[dict]:
    locale = str(get_locale())
    return [
        {"term": str(term), "definition": str(text)}
        for term, text in report.definitions(list_courses(), locale)
    ]


def http_error(error: HTTPException):
    """The API answers errors in JSON (``{"error": …}``); the pages with the error page."""
    if error.response is not None:  # already a response (the 401 above)
        return error.response
    status = error.code or 500
    if not request.path.startswith("/api/"):
        return render_error(status)
    _title, message = MESSAGES.get(status, MESSAGES[500])
    response = jsonify(error=str(message), status=status)
    response.headers.extend(error.get_headers())  # e.g. Retry-After on 429
    response.headers["Content-Type"] = "application/json"
    return response, status


for _status in MESSAGES:  # by status, as the app's own handlers are (Flask tries those first)
    bp.register_error_handler(_status, http_error)


@bp.route("/api/v1/programmes/<int:programme_id>/report")
@allow(PUBLIC)  # the bearer token is checked here
@limiter.limit("120 per minute")
def api_programme(programme_id: int):
    """A programme's dashboard figures (aggregates only, small counts suppressed)."""
    user = _token_user()
    programme = db.session.get(Programme, programme_id)
    if not can(user, REPORT, programme):
        abort(404)
    tables = report.programme_report(programme_scope(programme), str(get_locale()))
    return jsonify(
        programme={
            "id": programme.id,
            "name": programme.name,
            "target_trainees": programme.target_trainees,
        },
        finished=_cell(report.finished_headline(tables)),
        tables=_tables(tables),
        definitions=_definitions(),
    )


@bp.route("/api/v1/institutions/<int:institution_id>/report")
@allow(PUBLIC)
@limiter.limit("120 per minute")
def api_institution(institution_id: int):
    """An institution's dashboard figures, for its coordinators' tokens."""
    user = _token_user()
    institution = db.session.get(Institution, institution_id)
    if not can(user, REPORT, institution):
        abort(404)
    scope = institution_scope(institution)
    return jsonify(
        institution={"id": institution.id, "name": institution.name},
        tables=_tables(report.institution_report(scope, str(get_locale()))),
        definitions=_definitions(),
    )


@bp.route("/api/v1/openapi.json")
@allow(PUBLIC)
def api_openapi():
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi.document())


@bp.route("/dashboards/tokens", methods=["GET", "POST"])
@allow(REPORTERS)
def api_tokens():
    """One's API tokens: make one (its secret is shown once) or see and revoke them."""
    secret = None
    if request.method == "POST":
        try:
            _token, secret = tokens.create_token(current_user, request.form.get("name", ""))
        except ValidationFailed as error:
            db.session.rollback()
            return render_template(
                "dashboards/tokens.html",
                tokens=queries.list_tokens(current_user),
                secret=None,
                error=str(error),
            ), 400
        db.session.commit()
    return render_template(
        "dashboards/tokens.html",
        tokens=queries.list_tokens(current_user),
        secret=secret,
        error=None,
    )


@bp.route("/dashboards/tokens/<int:token_id>/revoke", methods=["GET", "POST"])
@allow(REPORTERS)
def revoke_api_token(token_id: int):
    """Stop a token at once, once asked (GET: the question). There is no undo: a revoked
    secret may already have been thrown away or leaked, so a new token is made instead."""
    token = load_or_404(ApiToken, token_id, REVOKE)
    if request.method == "GET" or token.revoked_at is not None:
        return render_template("dashboards/revoke_token.html", token=token)
    tokens.revoke_token(current_user, token)
    db.session.commit()
    flash(_("The token “%(name)s” is revoked.", name=token.name), "success")
    return redirect(url_for("dashboards.api_tokens"), 303)
