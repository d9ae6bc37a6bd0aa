"""Every number of both dashboards against a count made here from the raw rows (users,
enrolments, completions, knowledge gains, attempts), with and without each filter."""

import statistics
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import select

from app.auth.models import Role, User
from app.cohorts.models import Cohort, CohortMember
from app.courses.importer import import_courses
from app.courses.models import Course, Enrolment
from app.dashboards import report
from app.dashboards.queries import Scope
from app.demo.scale import generate
from app.extensions import db
from app.institutions.models import Institution, Programme
from app.learning.models import Completion, KnowledgeGain
from app.quizzes.models import Attempt, Quiz
from tests.factories import make_completion, make_enrolment, make_programme, make_user
from tests.helpers import text_of

REAL_COURSES = Path(__file__).resolve().parents[2] / "courses"


@pytest.fixture
def scaled(app):
    """Two programmes sharing 50 institutions and 400 learners, and a few completions of
    the second course, so that "over all courses" differs from one course."""
    import_courses(REAL_COURSES)
    make_programme(target_trainees=300)
    make_programme(target_trainees=100)
    generate(400, seed=21)
    db.session.commit()
    teaching = db.session.scalar(select(Course).where(Course.key == "teaching-palliative-care"))
    finishers = db.session.scalars(select(Completion.user_id).limit(6)).all()
    for user_id in finishers:
        make_enrolment(user_id, teaching.id)
        make_completion(user_id, teaching.id, rule_version=3)
    db.session.commit()
    return db.session.scalars(select(Programme).order_by(Programme.id)).all()


class Raw:
    """The figures of a scope, counted in Python from the raw rows."""

    def __init__(self, scope: Scope):
        institutions = {i.id: i for i in db.session.scalars(select(Institution))}
        if scope.programme_id is not None:
            programme = db.session.get(Programme, scope.programme_id)
            institutions = {i.id: i for i in programme.institutions}
        if scope.institution_id is not None:
            institutions = {scope.institution_id: institutions[scope.institution_id]}
        members = None
        if scope.cohort_id is not None:
            members = set(db.session.scalars(
                select(CohortMember.user_id).where(CohortMember.cohort_id == scope.cohort_id)
            ))  # fmt: skip
        self.people = {
            u.id: u for u in db.session.scalars(select(User))
            if u.institution_id in institutions
            and (scope.profession is None or u.profession.value == scope.profession)
            and (scope.language is None
                 or (u.locale or institutions[u.institution_id].default_locale) == scope.language)
            and (members is None or u.id in members)
        }  # fmt: skip
        self.scope, self.institutions = scope, institutions
        courses = {}  # (user, course) -> {"begun", "month"}
        for e in db.session.scalars(select(Enrolment)):
            courses.setdefault((e.user_id, e.course_id), {"begun": False, "month": ""})
            courses[(e.user_id, e.course_id)]["begun"] = e.last_activity_at is not None
        for c in db.session.scalars(select(Completion)):
            found = courses.setdefault((c.user_id, c.course_id), {"begun": False, "month": ""})
            found["month"] = f"{c.completed_at.astimezone(UTC):%Y-%m}"
        self.courses = {key: v for key, v in courses.items() if key[0] in self.people}

    def in_months(self, month: str) -> bool:
        return bool(month) and (self.scope.since or "") <= month <= (self.scope.until or "9999")

    def person_month(self, user_id: int) -> str | None:
        """None: not enrolled (in the course of the filter); "": enrolled, not finished."""
        months = [v["month"] for (u, c), v in self.courses.items() if u == user_id
                  and (self.scope.course_id is None or c == self.scope.course_id)]  # fmt: skip
        if not months:
            return None
        return min((m for m in months if m), default="")

    def by(self, group) -> dict:
        """group(user) -> [enrolled, finished]."""
        figures = {}
        for user_id, user in self.people.items():
            month = self.person_month(user_id)
            if month is None:
                continue
            found = figures.setdefault(group(user), [0, 0])
            found[0] += 1
            found[1] += self.in_months(month)
        return figures

    def by_course(self) -> dict:
        figures = {}
        for (_u, course_id), v in self.courses.items():
            if self.scope.course_id not in (None, course_id):
                continue
            found = figures.setdefault(course_id, [0, 0, 0])
            found[0] += 1
            found[1] += v["begun"] and not v["month"]
            found[2] += self.in_months(v["month"])
        return figures

    def months(self) -> dict:
        counted = {}
        for user_id in self.people:
            month = self.person_month(user_id)
            if month and self.in_months(month):
                counted[month] = counted.get(month, 0) + 1
        return counted

    def gains(self, key) -> dict:
        """key(user, post attempt) -> (n, "+mean", "dz"); aggregate-only: from 10 pairs,
        whole points, dz to one decimal."""
        coarse = self.scope.aggregate_only
        groups = {}
        for g in db.session.scalars(select(KnowledgeGain)):
            post = db.session.get(Attempt, g.post_attempt_id)
            user = self.people.get(g.user_id)
            if (
                user is None
                or self.scope.course_id not in (None, g.course_id)
                or (self.scope.language and post.locale != self.scope.language)
                or not self.in_months(f"{post.submitted_at.astimezone(UTC):%Y-%m}")
            ):
                continue  # fmt: skip
            groups.setdefault(key(user, post), []).append(g.gain)
        figures = {}
        for group, values in groups.items():
            if len(values) < (10 if coarse else 5):
                figures[group] = (len(values), "—", "—")
                continue
            sd = statistics.stdev(values)
            mean = statistics.fmean(values)
            if coarse:
                figures[group] = (len(values), f"{mean:+.0f}", f"{mean / sd:.1f}" if sd else "—")
            else:
                figures[group] = (len(values), f"{mean:+.1f}", f"{mean / sd:.2f}" if sd else "—")
        return figures


def _values(table) -> dict:
    """{label: [underlying values]} of a report table (hidden cells keep their value)."""
    return {row[0]: [getattr(cell, "value", cell) for cell in row[1:]] for row in table.rows}


def _check_programme(scope: Scope):
    raw = Raw(scope)
    tables = {t.key: t for t in report.programme_report(scope, "en")}
    institutions = raw.by(lambda u: u.institution_id)
    expected = {raw.institutions[i].name: institutions.get(i, [0, 0]) for i in raw.institutions}
    # the institution table's cells: name, country, enrolled, finished
    shown = {name: values[1:] for name, values in _values(tables["institutions"]).items()}
    assert shown == expected
    countries = {i.country: [0, 0] for i in raw.institutions.values()}
    for i, (enrolled, finished) in institutions.items():
        countries[raw.institutions[i].country][0] += enrolled
        countries[raw.institutions[i].country][1] += finished
    assert _values(tables["countries"]) == countries
    professions = raw.by(lambda u: u.profession.value)
    assert _values(tables["professions"]) == {
        str(_profession_label(p)): v for p, v in professions.items()
    }
    courses = {db.session.get(Course, c).title("en"): v for c, v in raw.by_course().items()}
    assert _values(tables["courses"]) == courses
    months = _values(tables["months"])
    assert {m: v[0] for m, v in months.items()} == raw.months()
    assert sum(raw.months().values()) == sum(v[1] for v in raw.by(lambda u: 0).values())
    gains = raw.gains(lambda u, _post: raw.institutions[u.institution_id].name)
    assert {k: tuple(v) for k, v in _values(tables["gain-institution"]).items()} == gains
    gains = raw.gains(lambda _u, post: post.locale)
    assert {k: tuple(v) for k, v in _values(tables["gain-language"]).items()} == gains
    return raw


def _profession_label(value):
    from app.auth.models import PROFESSION_LABELS, Profession

    return PROFESSION_LABELS[Profession(value)]


def test_programme_figures_equal_counts_from_the_raw_rows(scaled):
    first, second = scaled
    raw = _check_programme(Scope(first.id))
    assert sum(v[1] for v in raw.by(lambda u: 0).values()) > 20  # a test of something
    _check_programme(Scope(second.id))
    cohort = db.session.scalar(
        select(Cohort).where(Cohort.institution_id.in_([i.id for i in second.institutions]))
    )
    institution = cohort.institution
    months = sorted(m for m in raw.months())
    for filters in (
        {"profession": "doctor"},
        {"language": "kk"},
        {"institution_id": institution.id},
        {"institution_id": institution.id, "cohort_id": cohort.id},
        {"since": months[1], "until": months[-2]},
        {"course_id": db.session.scalar(select(Course.id).where(Course.key.like("teaching%")))},
    ):
        programme = second if "institution_id" in filters else first
        _check_programme(Scope(programme.id, **filters))


def test_institution_figures_equal_counts_from_the_raw_rows(scaled):
    institution = next(iter(scaled[0].institutions))
    for filters in ({}, {"profession": "nurse"}, {"since": "2020-01", "until": "2099-12"}):
        scope = Scope(None, institution_id=institution.id, aggregate_only=False, **filters)
        raw = Raw(scope)
        tables = {t.key: t for t in report.institution_report(scope, "en")}
        professions = raw.by(lambda u: u.profession.value)
        assert _values(tables["professions"]) == {
            str(_profession_label(p)): v for p, v in professions.items()
        }
        assert not any(c.hidden for row in tables["professions"].rows for c in row[1:])
        courses = {db.session.get(Course, c).title("en"): v for c, v in raw.by_course().items()}
        assert _values(tables["courses"]) == courses
        assert {m: v[0] for m, v in _values(tables["months"]).items()} == raw.months()
        took, passed = {}, {}
        for attempt in db.session.scalars(select(Attempt).where(Attempt.phase != "pre")):
            if attempt.user_id in raw.people and attempt.submitted_at is not None:
                quiz = db.session.get(Quiz, attempt.quiz_id)
                took.setdefault(quiz.title("en"), set()).add(attempt.user_id)
                if attempt.passed:
                    passed.setdefault(quiz.title("en"), set()).add(attempt.user_id)
        quizzes = _values(tables["quizzes"])
        assert {q: v[:2] for q, v in quizzes.items()} == {
            q: [len(people), len(passed.get(q, ()))] for q, people in took.items()
        }


def test_a_month_filter_and_a_cohort_filter_reach_the_page(scaled, client, login):
    first, _second = scaled
    login(make_user(roles=[(Role.FUNDER, first)]))
    raw = Raw(Scope(first.id))
    months = sorted(raw.months())
    middle = months[len(months) // 2]
    since = months[0][:5] + f"{(int(months[0][5:]) - 1) // 3 * 3 + 1:02d}"  # its quarter
    until = middle[:5] + f"{(int(middle[5:]) - 1) // 3 * 3 + 3:02d}"
    url = f"/dashboards/programmes/{first.id}?lang=en&since={since}&until={until}"
    html = text_of(client.get(url))
    finished = sum(n for m, n in raw.months().items() if since <= m <= until)
    shown = "&lt;5" if finished < 5 else 5 * ((finished + 2) // 5)  # rounded to 5
    assert f"{shown} of 300 trainees have finished" in html
    assert f'value="{since}"' in html and f'value="{until}"' in html
    refused = [
        ("since=2026-13", "must be a month"),
        ("until=soon", "must be a month"),
        ("since=2026-07&until=2026-03", "is after"),
        ("since=2026-02", "must start a calendar quarter"),  # funders: whole quarters
        ("until=2026-05", "must end a calendar quarter"),
        ("cohort=x", "must be a number"),
        ("language=xx", "unknown value"),
    ]
    for bad, message in refused:
        response = client.get(f"/dashboards/programmes/{first.id}?lang=en&{bad}")
        assert response.status_code == 400 and message in text_of(response), bad
