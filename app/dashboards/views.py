"""The programme dashboard (funders): progress against the target, aggregates only, with
small counts suppressed; filters in the URL; every table also as CSV."""

import csv
import io

from flask import Response, abort, jsonify, render_template, request
from flask_babel import get_locale
from flask_login import current_user

from app.auth.permissions import REPORT, load_or_404
from app.auth.policies import COHORT_STAFF, COORDINATORS, FUNDERS, allow
from app.courses import queries as course_queries
from app.dashboards import bp, charts, exports, observerships_page, queries, report
from app.dashboards.filters import (
    MonthsOutOfOrder,
    form_values,
    institution_scope,
    programme_scope,
    typed_values,
)
from app.dashboards.glance import glance
from app.db_types import utcnow
from app.errors import render_error
from app.exceptions import ValidationFailed
from app.institutions.models import Institution, Programme


@bp.errorhandler(ValidationFailed)
def bad_filter(error: ValidationFailed):
    """A filter the dashboards cannot apply: say which (JSON for the API; the pages
    show themselves again with the error beside the field, the exports this page)."""
    if request.path.startswith("/api/"):
        return jsonify(error=str(error), parameter=error.field), 400
    return render_error(400, str(error))


def _definitions(courses=None) -> list[tuple[str, str]]:
    courses = course_queries.list_courses() if courses is None else courses
    return report.definitions(courses, str(get_locale()))


def _csv(tables, key: str, filename: str) -> Response:
    """One table as CSV: the same cells as the page (UTF-8 with a BOM, which Excel needs)."""
    table = next((t for t in tables if t.key == key), None) or abort(404)
    out = io.StringIO()
    csv.writer(out).writerows(exports.table_rows(table))
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}-{key}.csv"'
    return response


def _xlsx(tables, filename: str) -> Response:
    """Every table, a sheet each, and the definitions, as an Excel workbook."""
    response = Response(exports.workbook(tables, _definitions()), mimetype=exports.XLSX_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


@bp.route("/dashboards/programmes/<int:programme_id>")
@allow(FUNDERS)
def programme(programme_id: int):
    """How many trainees have finished, where, and did they learn."""
    programme = load_or_404(Programme, programme_id, REPORT)
    courses = course_queries.list_courses()
    page = {"programme": programme, "courses": courses, "definitions": _definitions(courses)}
    try:
        scope = programme_scope(programme)
    except ValidationFailed as error:
        institution = _typed_institution(programme)
        cohorts = [] if institution is None else queries.list_cohort_choices(institution)
        return _refused("dashboards/programme.html", error, cohorts=cohorts, **page)
    tables = report.programme_report(scope, str(get_locale()))
    months = next(t for t in tables if t.key == "months")
    cohorts = [] if scope.institution_id is None else queries.list_cohort_choices(scope)
    return render_template(
        "dashboards/programme.html",
        values=form_values(scope),
        error=None,
        tables=tables,
        shown_finished=report.finished_headline(tables),
        chart=charts.cumulative_against_target(months, programme.target_trainees),
        cohorts=cohorts,
        observerships=observerships_page.page_tables(tables),
        args=request.args,
        **page,
    )


def _refused(template: str, error: ValidationFailed, **page):
    """The dashboard again, its filters as typed and the error beside its field, and no
    figures until the filters can be applied (400)."""
    message = error.page_message() if isinstance(error, MonthsOutOfOrder) else str(error)
    return render_template(
        template,
        values=typed_values(),
        error={"field": error.field, "message": message},
        tables=None,
        chart=None,
        args={},
        **page,
    ), 400


def _typed_institution(programme: Programme) -> queries.Scope | None:
    """The institution the URL names, if it is one of the programme's (so the cohort
    filter is offered again beside a refused month)."""
    typed = request.args.get("institution", "").strip()
    ids = {institution.id for institution in programme.institutions}
    if typed.isdigit() and int(typed) in ids:
        return queries.Scope(programme.id, institution_id=int(typed))
    return None


@bp.route("/dashboards/programmes/<int:programme_id>/<key>.csv")
@allow(FUNDERS)
def programme_csv(programme_id: int, key: str):
    """One table of the programme dashboard as CSV: the same numbers and suppression."""
    programme = load_or_404(Programme, programme_id, REPORT)
    tables = report.programme_report(programme_scope(programme), str(get_locale()))
    return _csv(tables, key, f"programme-{programme.id}")


@bp.route("/dashboards/programmes/<int:programme_id>.xlsx")
@allow(FUNDERS)
def programme_xlsx(programme_id: int):
    """Every table of the programme dashboard as an Excel workbook."""
    programme = load_or_404(Programme, programme_id, REPORT)
    tables = report.programme_report(programme_scope(programme), str(get_locale()))
    return _xlsx(tables, f"programme-{programme.id}")


@bp.route("/dashboards/institutions/<int:institution_id>")
@allow(COORDINATORS)
def institution(institution_id: int):
    """An institution's progress, for its coordinators: exact counts (they see their
    people anyway), by profession, course and month; quiz pass rates; knowledge gain;
    case-conference attendance; the cohorts with their trainers (the cascade is linked)."""
    institution = load_or_404(Institution, institution_id, REPORT)
    courses = course_queries.list_courses()
    own = queries.Scope(None, institution_id=institution.id, aggregate_only=False)
    page = {
        "institution": institution,
        "courses": courses,
        "definitions": _definitions(courses),
        "cohort_choices": queries.list_cohort_choices(own),
        "glances": glance(queries.list_cohorts_at(institution.id), utcnow()),
    }
    try:
        scope = institution_scope(institution)
    except ValidationFailed as error:
        return _refused("dashboards/institution.html", error, **page)
    tables = report.institution_report(scope, str(get_locale()))
    months = next(t for t in tables if t.key == "months")
    return render_template(
        "dashboards/institution.html",
        values=form_values(scope),
        error=None,
        tables=tables,
        chart=charts.cumulative_against_target(months, None),
        attendance=queries.count_conference_attendance(scope),
        observerships=observerships_page.page_tables(tables),
        args=request.args,
        **page,
    )


@bp.route("/dashboards/institutions/<int:institution_id>/<key>.csv")
@allow(COORDINATORS)
def institution_csv(institution_id: int, key: str):
    """One table of the institution dashboard as CSV."""
    institution = load_or_404(Institution, institution_id, REPORT)
    tables = report.institution_report(institution_scope(institution), str(get_locale()))
    return _csv(tables, key, f"institution-{institution.id}")


@bp.route("/dashboards/institutions/<int:institution_id>.xlsx")
@allow(COORDINATORS)
def institution_xlsx(institution_id: int):
    """Every table of the institution dashboard as an Excel workbook."""
    institution = load_or_404(Institution, institution_id, REPORT)
    tables = report.institution_report(institution_scope(institution), str(get_locale()))
    return _xlsx(tables, f"institution-{institution.id}")


@bp.route("/dashboards/cohorts")
@allow(COHORT_STAFF)
def cohorts():
    """A trainer's view of all their cohorts: who has not started, is in progress, has
    completed or is inactive, per cohort."""
    glances = glance(queries.list_cohorts_of_trainer(current_user), utcnow())
    totals = {
        name: sum(getattr(g, name) for g in glances)
        for name in ("members", "completed", "inactive")
    }
    return render_template(
        "dashboards/cohorts.html", glances=glances, totals=totals if glances else None
    )
