"""The programme dashboard (funders): progress against the target, aggregates only, with
small counts suppressed; filters in the URL; every table also as CSV."""

import csv
import io
import re

from flask import Response, abort, current_app, jsonify, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import PROFESSION_LABELS
from app.auth.permissions import REPORT, load_or_404
from app.auth.policies import COHORT_STAFF, COORDINATORS, FUNDERS, allow
from app.cohorts.models import Cohort
from app.courses import queries as course_queries
from app.dashboards import bp, charts, exports, queries, report
from app.dashboards.glance import glance
from app.db_types import utcnow
from app.exceptions import ValidationFailed
from app.extensions import db
from app.institutions.models import Institution, Programme
from app.main.errors import render_error

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])(-\d{2})?")  # a month, or a day (its month)


def url_filters() -> dict:
    """The filters from the URL (so a view can be bookmarked and shared), for the pages,
    their exports and the API alike. A bad value is refused (400) with a message that
    names the filter; months are ``YYYY-MM`` (a full date stands for its month)."""
    args = request.args

    def number(name: str) -> int | None:
        value = args.get(name, "").strip()
        if value and not value.isdigit():
            raise ValidationFailed(_("“%(name)s” must be a number.", name=name), name)
        return int(value) if value else None

    def month(name: str) -> str | None:
        value = args.get(name, "").strip()
        if value and not MONTH.fullmatch(value):
            raise ValidationFailed(_("“%(name)s” must be a month: YYYY-MM.", name=name), name)
        return value[:7] or None

    def one_of(name: str, allowed) -> str | None:
        value = args.get(name, "").strip() or None
        if value is not None and value not in allowed:
            raise ValidationFailed(_("“%(name)s”: unknown value “%(value)s”.", name=name,
                                     value=value[:40]), name)  # fmt: skip
        return value

    filters = {
        "institution_id": number("institution"),
        "profession": one_of("profession", {p.value for p in PROFESSION_LABELS}),
        "course_id": number("course"),
        "cohort_id": number("cohort"),
        "language": one_of("language", current_app.config["LANGUAGES"]),
        "since": month("since"),
        "until": month("until"),
    }
    if filters["since"] and filters["until"] and filters["since"] > filters["until"]:
        raise ValidationFailed(_("“since” is after “until”."), "since")
    return filters


@bp.errorhandler(ValidationFailed)
def bad_filter(error: ValidationFailed):
    """A filter the dashboards cannot apply: say which (JSON for the API)."""
    if request.path.startswith("/api/"):
        return jsonify(error=str(error), parameter=error.field), 400
    return render_error(400, str(error))


def _unknown(name: str, value) -> ValidationFailed:
    return ValidationFailed(
        _("“%(name)s”: unknown value “%(value)s”.", name=name, value=str(value)[:40]), name
    )


def _within(filters: dict, institution_ids) -> dict:
    """``filters`` if their institution and cohort lie among ``institution_ids`` (the
    viewer's scope); one outside it is refused exactly as an unknown id is (400), so a
    filter can never name an institution or list a cohort the viewer may not see."""
    if filters["institution_id"] is not None and filters["institution_id"] not in institution_ids:
        raise _unknown("institution", filters["institution_id"])
    if filters["cohort_id"] is not None:
        cohort = db.session.get(Cohort, filters["cohort_id"])
        if (
            cohort is None
            or cohort.institution_id not in institution_ids
            or filters["institution_id"] not in (None, cohort.institution_id)
        ):
            raise _unknown("cohort", filters["cohort_id"])
    return filters


QUARTER_STARTS, QUARTER_ENDS = ("01", "04", "07", "10"), ("03", "06", "09", "12")


def _whole_quarters(filters: dict) -> dict:
    """Aggregate-only views go by whole calendar quarters: a window that moved a month at
    a time could be differenced month by month down to single learners."""
    if filters["since"] and filters["since"][5:] not in QUARTER_STARTS:
        raise ValidationFailed(_("“%(name)s” must start a calendar quarter: YYYY-01, YYYY-04, "
                                 "YYYY-07 or YYYY-10.", name="since"), "since")  # fmt: skip
    if filters["until"] and filters["until"][5:] not in QUARTER_ENDS:
        raise ValidationFailed(_("“%(name)s” must end a calendar quarter: YYYY-03, YYYY-06, "
                                 "YYYY-09 or YYYY-12.", name="until"), "until")  # fmt: skip
    return filters


def programme_scope(programme: Programme) -> queries.Scope:
    """A funder's view of a programme: aggregates only, filtered as the URL says (within
    the programme's institutions, by whole quarters)."""
    filters = _within(_whole_quarters(url_filters()), {i.id for i in programme.institutions})
    return queries.Scope(programme.id, **filters)


def institution_scope(institution: Institution) -> queries.Scope:
    """A coordinator's view of an institution: exact counts, filtered as the URL says."""
    filters = _within(url_filters() | {"institution_id": institution.id}, {institution.id})
    return queries.Scope(None, aggregate_only=False, **filters)


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
    scope = programme_scope(programme)
    tables = report.programme_report(scope, str(get_locale()))
    months = next(t for t in tables if t.key == "months")
    cohorts = [] if scope.institution_id is None else queries.list_cohort_choices(scope)
    courses = course_queries.list_courses()
    return render_template(
        "dashboards/programme.html", programme=programme, scope=scope, tables=tables,
        shown_finished=report.finished_headline(tables),
        chart=charts.cumulative_against_target(months, programme.target_trainees),
        courses=courses, cohorts=cohorts, args=request.args, definitions=_definitions(courses),
    )  # fmt: skip


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
    scope = institution_scope(institution)
    tables = report.institution_report(scope, str(get_locale()))
    months = next(t for t in tables if t.key == "months")
    courses = course_queries.list_courses()
    return render_template(
        "dashboards/institution.html", institution=institution, tables=tables, scope=scope,
        chart=charts.cumulative_against_target(months, None),
        attendance=queries.count_conference_attendance(scope),
        glances=glance(queries.list_cohorts_at(institution.id), utcnow()),
        cohort_choices=queries.list_cohort_choices(scope), courses=courses,
        args=request.args, definitions=_definitions(courses),
    )  # fmt: skip


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
    totals = {name: sum(getattr(g, name) for g in glances)
              for name in ("members", "completed", "inactive")}  # fmt: skip
    return render_template("dashboards/cohorts.html", glances=glances,
                           totals=totals if glances else None)  # fmt: skip
