"""The dashboards' filters, read from the URL (so a view can be bookmarked and shared)
and narrowed to what the viewer may see: one place for the pages, the exports and the
API."""

import re

from flask import current_app, request
from flask_babel import gettext as _

from app.auth.models import PROFESSION_LABELS
from app.cohorts.models import Cohort
from app.dashboards import queries
from app.exceptions import ValidationFailed
from app.extensions import db
from app.institutions.models import Institution, Programme

MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])(-\d{2})?")  # a month, or a day (its month)


def url_filters() -> dict:
    """The filters from the URL (so a view can be bookmarked and shared), for the pages,
    their exports and the API alike. A bad value is refused (400) with a message that
    names the filter; months are ``YYYY-MM`` (a full date stands for its month)."""
    args = request.args
    filters = {
        "institution_id": _number(args, "institution"),
        "profession": _one_of(args, "profession", {p.value for p in PROFESSION_LABELS}),
        "course_id": _number(args, "course"),
        "cohort_id": _number(args, "cohort"),
        "language": _one_of(args, "language", current_app.config["LANGUAGES"]),
        "since": _month(args, "since"),
        "until": _month(args, "until"),
    }
    if filters["since"] and filters["until"] and filters["since"] > filters["until"]:
        raise MonthsOutOfOrder(_("“since” is after “until”."), "since")
    return filters


class MonthsOutOfOrder(ValidationFailed):
    """The from-month is after the to-month: the API names its parameters, the pages
    their fields."""

    def page_message(self) -> str:
        return _("The from-month is after the to-month: choose a from-month on or before it.")


def _number(args, name: str) -> int | None:
    value = args.get(name, "").strip()
    if value and not value.isdigit():
        raise ValidationFailed(_("“%(name)s” must be a number.", name=name), name)
    return int(value) if value else None


def _month(args, name: str) -> str | None:
    value = args.get(name, "").strip()
    if value and not MONTH.fullmatch(value):
        raise ValidationFailed(_("“%(name)s” must be a month: YYYY-MM.", name=name), name)
    return value[:7] or None


def _one_of(args, name: str, allowed) -> str | None:
    value = args.get(name, "").strip() or None
    if value is not None and value not in allowed:
        raise _unknown(name, value)
    return value


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
        raise ValidationFailed(
            _(
                "“%(name)s” must start a calendar quarter: YYYY-01, YYYY-04, YYYY-07 or YYYY-10.",
                name="since",
            ),
            "since",
        )
    if filters["until"] and filters["until"][5:] not in QUARTER_ENDS:
        raise ValidationFailed(
            _(
                "“%(name)s” must end a calendar quarter: YYYY-03, YYYY-06, YYYY-09 or YYYY-12.",
                name="until",
            ),
            "until",
        )
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


# The filter form's fields, by the URL parameter each one sets.
FIELDS = ("institution", "cohort", "profession", "course", "language", "since", "until")


def form_values(scope: queries.Scope) -> dict[str, str]:
    """The filter form's values for an applied ``scope`` (as the URL gives them)."""
    applied = {
        "institution": scope.institution_id,
        "cohort": scope.cohort_id,
        "profession": scope.profession,
        "course": scope.course_id,
        "language": scope.language,
        "since": scope.since,
        "until": scope.until,
    }
    return {name: "" if value is None else str(value) for name, value in applied.items()}


def typed_values() -> dict[str, str]:
    """The filter form's values as typed, when they could not be applied: the form is
    shown again with them, so fixing one field does not mean choosing all the others
    again."""
    return {name: request.args.get(name, "").strip()[:40] for name in FIELDS}
