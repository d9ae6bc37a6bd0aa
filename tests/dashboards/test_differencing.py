"""The differencing attack on a funder's figures: read the programme's report over every
filter value of every family (months, institution, profession, language, course, cohort)
as the API publishes it, subtract every pair of views cell by cell, and look for a group
of 1 to 4 people whose exact size the two views pin down (so its knowledge gain, too,
could be solved for). The attacker knows the publication rules: a cell's ``rounded_to``,
and that a suppressed cell may hide any number (a partner cell is hidden at any size)."""

import itertools

from flask import current_app
from sqlalchemy import select

from app.auth.models import Profession
from app.cohorts.models import Cohort
from app.courses.models import Course
from app.dashboards import api, report
from app.dashboards.filters import programme_scope
from app.dashboards.queries import Scope
from app.exceptions import ValidationFailed
from app.extensions import db
from tests.dashboards.test_numbers import Raw, scaled  # noqa: F401 (a fixture)

ANY = range(1, 10_000)  # what a suppressed cell may hide


def _published(programme, query: str) -> dict | None:
    """{(table, row, column): possible true values} of the report as the API gives it for
    ``query``, or None if the view is refused."""
    with current_app.test_request_context(f"/?lang=en&{query}"):
        try:
            scope = programme_scope(programme)
        except ValidationFailed:
            return None
        tables = api._tables(report.programme_report(scope, "en"))
    found = {}
    for table in tables:
        rows = table["rows"] + ([table["total"]] if table["total"] else [])
        for row in rows:
            for column, cell in enumerate(row):
                if isinstance(cell, dict):
                    found[(table["key"], row[0], column)] = _possible(cell)
    return found


def _possible(cell: dict) -> range:
    if cell["suppressed"]:
        return ANY
    value, half = cell["value"], cell.get("rounded_to", 1) // 2
    return range(max(value - half, 0), value + half + 1)


def _pinned_small_groups(views: dict) -> list:
    """Pairs of views and cells whose difference is one exact number from 1 to 4."""
    found = []
    for (a, here), (b, there) in itertools.combinations(views.items(), 2):
        for key in here.keys() & there.keys():
            low = min(there[key]) - max(here[key])
            high = max(there[key]) - min(here[key])
            if low == high and 1 <= abs(low) <= 4:
                found.append((a, b, key, low))
    return found


def _months(programme) -> list[str]:
    months = sorted(Raw(Scope(programme.id)).months())
    first, last = int(months[0][:4]), int(months[-1][:4])
    return [f"{y}-{m:02d}" for y in range(first, last + 1) for m in range(1, 13)]


def test_no_two_published_views_pin_down_a_small_group(scaled):  # noqa: F811
    programme = scaled[0]
    institutions = sorted(i.id for i in programme.institutions)
    cohorts = db.session.execute(
        select(Cohort.id, Cohort.institution_id).where(Cohort.institution_id.in_(institutions))
    ).all()
    months = _months(programme)
    families = {
        "months (until)": [""] + [f"until={m}" for m in months],
        "months (since)": [""] + [f"since={m}" for m in months],
        "months (one)": [f"since={m}&until={m}" for m in months]
        + [f"since={a}&until={b}" for a, b in zip(months, months[2:], strict=False)],
        "institution": [""] + [f"institution={i}" for i in institutions],
        "profession": [""] + [f"profession={p.value}" for p in Profession],
        "language": [""] + [f"language={code}" for code in current_app.config["LANGUAGES"]],
        "course": [""] + [f"course={c}" for c in db.session.scalars(select(Course.id))],
    }
    by_institution = {}
    for cohort_id, institution_id in cohorts:
        by_institution.setdefault(institution_id, [f"institution={institution_id}"]).append(
            f"institution={institution_id}&cohort={cohort_id}"
        )
    families["cohort"] = [q for queries in by_institution.values() for q in queries]
    assert cohorts and len(families["cohort"]) > len(by_institution)
    attacks = {}
    for family, queries in families.items():
        views = {q: v for q in queries if (v := _published(programme, q)) is not None}
        assert len(views) >= 2, family  # something to difference
        attacks[family] = _pinned_small_groups(views)
    assert {family: found[:3] for family, found in attacks.items() if found} == {}
