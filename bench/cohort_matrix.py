"""Cohort progress matrix: server time for a 500-learner cohort on SQLite, its size and
its queries.

Targets: (issue 5) a 500-learner cohort's page renders in at most 200 ms server time (p95),
with a number of SQL queries that does not grow with the cohort's size (the same count for
a 5-learner cohort as for the 500-learner one); (issue 21) the page is at most 150 KB of
HTML for 500 learners (a compact matrix, 100 learners a page; the whole matrix downloads
as CSV or Excel, timed here too).
"""

import gzip
import statistics
import sys
from datetime import date, timedelta
from pathlib import Path

from common import (
    freeze_like_production,
    fresh_app,
    percentile,
    session_cookie,
    summary,
    timed,
    use_session,
)
from sqlalchemy import event, insert, select

from app.auth.models import Profession, Role, RoleAssignment, User
from app.auth.passwords import hash_password
from app.cohorts.matrix_pages import PAGE_SIZE
from app.cohorts.models import Cohort, CohortMember, CohortTrainer
from app.courses.importer import import_courses
from app.courses.models import Course, Enrolment, Lesson, LessonProgress
from app.db_types import utcnow
from app.extensions import db
from app.institutions.models import Institution
from app.learning.models import Completion, KnowledgeGain
from app.quizzes.models import Attempt, Quiz

LEARNERS = 500
SMALL = 5
WARM_UPS = 5
REQUESTS = 60
TARGET_MS = 200
TARGET_BYTES = 150 * 1024
COURSE = "foundations-of-palliative-care"


def _attempt(quiz_id, user_id, phase, when, percent, number=1) -> dict:
    return {
        "quiz_id": quiz_id,
        "user_id": user_id,
        "phase": phase,
        "number": number,
        "locale": "en",
        "draw": [],
        "questions": {},
        "started_at": when - timedelta(minutes=20),
        "submitted_at": when,
        "answers": {},
        "score": percent / 10,
        "max_score": 10,
        "percent": percent,
        "passed": percent >= 70,
    }


def populate(app) -> tuple[int, int, int, str]:
    """A trainer, an institution, a 500-learner cohort and a 5-learner one, with progress.

    Returns the trainer's id, the large and the small cohort's ids, and the name of the
    500th learner.
    """
    import_courses(Path(app.config["COURSES_DIR"]))
    course = db.session.scalar(select(Course).where(Course.key == COURSE))
    password = hash_password("palliare-demo")
    now = utcnow()

    institution = Institution(
        name="Peking Union Hospice", country="CN", city="Beijing",
        timezone="Asia/Shanghai", default_locale="zh_Hans",
    )  # fmt: skip
    trainer = User(
        email="trainer@example.org", name="Trainer Wang", password_hash=password,
        profession=Profession.DOCTOR, institution=institution, active=True,
        session_version=1, created_at=now,
    )  # fmt: skip
    db.session.add_all([institution, trainer])
    db.session.flush()
    db.session.add(RoleAssignment(user_id=trainer.id, role=Role.TRAINER, created_at=now))

    db.session.execute(
        insert(User),
        [
            {
                "email": f"learner{i}@example.org",
                "name": f"Learner {i:03d}",
                "password_hash": password,
                "profession": Profession.NURSE,
                "institution_id": institution.id,
                "active": True,
                "session_version": 1,
                "created_at": now,
            }
            for i in range(1, LEARNERS + 1)
        ],
    )
    learners = db.session.scalars(
        select(User.id).where(User.email.like("learner%")).order_by(User.id)
    ).all()
    assert len(learners) == LEARNERS, len(learners)
    db.session.execute(
        insert(RoleAssignment),
        [{"user_id": u, "role": Role.LEARNER, "created_at": now} for u in learners],
    )

    cohorts = []
    for index, (name, members) in enumerate(
        [("Beijing nurses, spring", learners), ("Beijing pilot group", learners[:SMALL])]
    ):
        cohort = Cohort(
            name=name, institution_id=institution.id, locale="en",
            starts_on=date.today() - timedelta(days=60), ends_on=date.today() + timedelta(days=60),
            capacity=1000, join_code=f"BENCH{index:03d}", inactive_days=14,
            members_visible=False, created_by_id=trainer.id,
        )  # fmt: skip
        cohort.courses.append(course)
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=trainer.id, lead=True))
        db.session.execute(
            insert(CohortMember),
            [
                {
                    "cohort_id": cohort.id,
                    "user_id": u,
                    "joined_at": now - timedelta(days=50 - k % 40),
                    "source": "roster",
                }
                for k, u in enumerate(members)
            ],
        )
        cohorts.append(cohort.id)

    # Enrolled, most with recent activity; every 7th learner has been quiet for weeks.
    lessons = db.session.scalars(
        select(Lesson.id).where(Lesson.course_id == course.id).order_by(Lesson.position)
    ).all()
    db.session.execute(
        insert(Enrolment),
        [
            {
                "user_id": u,
                "course_id": course.id,
                "enrolled_at": now - timedelta(days=50),
                "last_lesson_id": lessons[k % len(lessons)],
                "last_activity_at": (
                    None if k % 11 == 0 else now - timedelta(days=30 if k % 7 == 0 else k % 10)
                ),
            }
            for k, u in enumerate(learners)
        ],
    )
    # 0 to every lesson completed; every third learner has also started the next one.
    progress = []
    completed_all = []
    for k, u in enumerate(learners):
        done = k % (len(lessons) + 1)
        for n in range(done):
            moment = now - timedelta(days=40 - n % 40, hours=k % 24)
            progress.append(
                {
                    "user_id": u,
                    "lesson_id": lessons[n],
                    "started_at": moment,
                    "completed_at": moment,
                }
            )
        if done < len(lessons) and k % 3 == 0:
            progress.append(
                {"user_id": u, "lesson_id": lessons[done], "started_at": now, "completed_at": None}
            )
        if done == len(lessons):
            completed_all.append(u)
    db.session.execute(insert(LessonProgress), progress)

    # About half submitted a module quiz; a quarter took the pre- and post-test.
    quizzes = dict(
        db.session.execute(select(Quiz.key, Quiz.id).where(Quiz.course_id == course.id)).all()
    )
    checks = [quizzes[key] for key in sorted(quizzes) if key != course.pre_test_key]
    knowledge_test = quizzes[course.pre_test_key]
    attempts = [
        _attempt(checks[k % len(checks)], u, "quiz", now - timedelta(days=k % 20), 40 + k % 61)
        for k, u in enumerate(learners)
        if k % 2 == 0
    ]
    tested = [(k, u) for k, u in enumerate(learners) if k % 4 == 1]
    for k, u in tested:
        attempts.append(_attempt(knowledge_test, u, "pre", now - timedelta(days=45), 30 + k % 30))
        attempts.append(
            _attempt(knowledge_test, u, "post", now - timedelta(days=k % 5), 60 + k % 40)
        )
    db.session.execute(insert(Attempt), attempts)
    pairs: dict[int, dict[str, tuple[int, float]]] = {}
    for attempt_id, user_id, phase, percent in db.session.execute(
        select(Attempt.id, Attempt.user_id, Attempt.phase, Attempt.percent).where(
            Attempt.quiz_id == knowledge_test
        )
    ):
        pairs.setdefault(user_id, {})[phase] = (attempt_id, percent)
    db.session.execute(
        insert(KnowledgeGain),
        [
            {
                "user_id": u,
                "course_id": course.id,
                "pre_attempt_id": p["pre"][0],
                "post_attempt_id": p["post"][0],
                "pre_percent": p["pre"][1],
                "post_percent": p["post"][1],
                "gain": p["post"][1] - p["pre"][1],
                "recorded_at": now,
            }
            for u, p in pairs.items()
        ],
    )
    if completed_all:
        db.session.execute(
            insert(Completion),
            [
                {
                    "user_id": u,
                    "course_id": course.id,
                    "completed_at": now,
                    "rule_version": course.completion_rule.get("version", 1),
                    "rule": course.completion_rule,
                }
                for u in completed_all
            ],
        )
    db.session.commit()
    print(
        f"data: {LEARNERS} learners, {len(lessons)} lessons, {len(progress):,} lesson progress rows, "
        f"{len(attempts)} attempts, {len(pairs)} knowledge gains, {len(completed_all)} completions"
    )
    last = db.session.scalar(select(User.name).where(User.id == learners[-1]))
    return trainer.id, cohorts[0], cohorts[1], last


def count_queries(app, client, url) -> int:
    """SQL statements one warm request to ``url`` runs."""
    assert client.get(url).status_code == 200
    statements = []

    def listener(_conn, _cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(statements)


def _target(label: str, value: float, target: float, unit: str) -> str:
    met = "met" if value <= target else "MISSED"
    return (
        f"{label} target {target:g} {unit}: {met} ({value:.2f} / {target:g} = {value / target:.2f})"
    )


def _check_page(client, url: str, last_name: str) -> bytes:
    """The first page of the matrix: 200, 100 learners; the last learner on the last page."""
    page = client.get(url)  # measure the matrix itself, never a redirect or a 404
    assert page.status_code == 200, page.status_code
    html = page.get_data(as_text=True)
    assert 'id="matrix"' in html and html.count('name="learner"') == PAGE_SIZE, "no matrix"
    last = client.get(f"{url}?page={-(-LEARNERS // PAGE_SIZE)}").get_data(as_text=True)
    assert last_name in last, "the last page lacks the last learner"
    return page.data


def _downloads(client, url: str) -> None:
    for kind in ("csv", "xlsx"):
        response = client.get(f"{url}/progress.{kind}")
        assert response.status_code == 200, (kind, response.status_code)
        times = [timed(lambda k=kind: client.get(f"{url}/progress.{k}")) for _ in range(5)]
        print(
            f"download, {kind.upper()}, all {LEARNERS} learners: {len(response.data) / 1024:.0f} KB, "
            f"median {statistics.median(times) * 1000:.0f} ms"
        )


def main() -> int:
    app, _folder = fresh_app()
    with app.app_context():
        trainer_id, large, small, last_name = populate(app)
        cookie, _token = session_cookie(app, f"{trainer_id}.1")
    client = app.test_client()
    use_session(client, app, cookie)
    url = f"/cohorts/{large}"

    body = _check_page(client, url, last_name)
    for _ in range(WARM_UPS):
        client.get(url)
    freeze_like_production()
    times = [timed(lambda: client.get(url)) for _ in range(REQUESTS)]
    print(summary(f"cohort page, {LEARNERS} learners (first page of {PAGE_SIZE}), SQLite", times))
    ms = [t * 1000 for t in times]
    print(f"p50 {statistics.median(ms):.2f} ms, p95 {percentile(ms, 0.95):.2f} ms")
    print(_target("cohort page p95", percentile(ms, 0.95), TARGET_MS, "ms"))
    zipped = len(gzip.compress(body, 6))
    print(f"page size: {len(body):,} bytes of HTML ({len(body) / 1024:.1f} KB), {zipped:,} gzipped")
    print(_target("cohort page HTML", len(body) / 1024, TARGET_BYTES / 1024, "KB"))
    _downloads(client, url)

    few = count_queries(app, client, f"/cohorts/{small}")
    many = count_queries(app, client, url)
    same = few == many
    print(
        f"SQL queries per request: {few} for {SMALL} learners, {many} for {LEARNERS} learners "
        f"(target: equal; {'met' if same else 'MISSED'}, ratio {many / few:.2f})"
    )
    return 0 if same and len(body) <= TARGET_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
