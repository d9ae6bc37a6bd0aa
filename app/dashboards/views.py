"""The programme dashboard (funders): progress against the target, aggregates only, with
small counts suppressed; filters in the URL; every table also as CSV."""

import csv
import io
from datetime import date

from flask import Response, abort, render_template, request
from flask_babel import get_locale
from flask_login import current_user

from app.auth.models import PROFESSION_LABELS
from app.auth.policies import (
    COORDINATORS,
    FUNDERS,
    allow,
    can_manage_institution,
    can_view_programme,
)
from app.cohorts import queries as cohort_queries
from app.courses import queries as course_queries
from app.dashboards import bp, charts, exports, queries, report
from app.dashboards.suppression import suppress
from app.extensions import db
from app.institutions.models import Institution, Programme


def _date(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def url_filters() -> dict:
    """The filters from the URL (so a view can be bookmarked and shared), for the pages,
    their exports and the API alike; an unknown profession is a 400."""

    def number(name):
        value = request.args.get(name, "")
        return int(value) if value.isdigit() else None

    profession = request.args.get("profession") or None
    if profession not in {p.value for p in PROFESSION_LABELS} | {None}:
        abort(400)
    return {
        "institution_id": number("institution"),
        "profession": profession,
        "course_id": number("course"),
        "since": _date("since"),
        "until": _date("until"),
    }


def programme_scope(programme: Programme) -> queries.Scope:
    """A funder's view of a programme: aggregates only, filtered as the URL says."""
    return queries.Scope(programme.id, **url_filters())


def institution_scope(institution: Institution) -> queries.Scope:
    """A coordinator's view of an institution: exact counts, filtered as the URL says."""
    filters = url_filters() | {"institution_id": institution.id, "course_id": None}
    return queries.Scope(None, aggregate_only=False, **filters)


def _programme_or_404(programme_id: int) -> Programme:
    programme = db.session.get(Programme, programme_id) or abort(404)
    if not can_view_programme(current_user, programme.id):
        abort(404)
    return programme


@bp.route("/dashboards/programmes/<int:programme_id>")
@allow(FUNDERS)
def programme(programme_id: int):
    """How many trainees have finished, where, and did they learn."""
    programme = _programme_or_404(programme_id)
    scope = programme_scope(programme)
    tables = report.programme_report(scope, str(get_locale()))
    finished = queries.count_finished(scope)
    months = next(t for t in tables if t.key == "months")
    return render_template(
        "dashboards/programme.html", programme=programme, scope=scope, tables=tables,
        finished=finished, shown_finished=suppress([finished])[0][0],
        chart=charts.cumulative_against_target(months, programme.target_trainees),
        courses=course_queries.list_courses(), args=request.args,
    )  # fmt: skip


@bp.route("/dashboards/programmes/<int:programme_id>/<key>.csv")
@allow(FUNDERS)
def programme_csv(programme_id: int, key: str):
    """One table of the dashboard as CSV: the same numbers and the same suppression."""
    programme = _programme_or_404(programme_id)
    tables = report.programme_report(programme_scope(programme), str(get_locale()))
    table = next((t for t in tables if t.key == key), None) or abort(404)
    out = io.StringIO()
    writer = csv.writer(out)
    for row in exports.table_rows(table):
        writer.writerow(row)
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")  # BOM: Excel reads UTF-8
    response.headers["Content-Disposition"] = f'attachment; filename="{programme.id}-{key}.csv"'
    return response


@bp.route("/dashboards/programmes/<int:programme_id>.xlsx")
@allow(FUNDERS)
def programme_xlsx(programme_id: int):
    """Every table of the dashboard, one sheet each, as an Excel workbook."""
    programme = _programme_or_404(programme_id)
    tables = report.programme_report(programme_scope(programme), str(get_locale()))
    response = Response(exports.workbook(tables), mimetype=exports.XLSX_TYPE)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="programme-{programme.id}.xlsx"'
    )
    return response


@bp.route("/dashboards/institutions/<int:institution_id>")
@allow(COORDINATORS)
def institution(institution_id: int):
    """An institution's progress, for its coordinators: exact counts (they see their
    people anyway), by profession, course and month; quiz pass rates; knowledge gain;
    case-conference attendance; the cohorts and their trainers."""
    institution = db.session.get(Institution, institution_id) or abort(404)
    if not can_manage_institution(current_user, institution.id):
        abort(404)
    scope = institution_scope(institution)
    tables = report.institution_report(scope, str(get_locale()))
    months = next(t for t in tables if t.key == "months")
    cohorts = [c for c in cohort_queries.list_cohorts_run_by(current_user)
               if c.cohort.institution_id == institution.id]  # fmt: skip
    return render_template(
        "dashboards/institution.html", institution=institution, tables=tables, scope=scope,
        chart=charts.cumulative_against_target(months, None),
        attendance=queries.count_conference_attendance(scope), cohorts=cohorts,
    )  # fmt: skip
