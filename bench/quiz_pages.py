"""Quiz pages: server time of an open attempt's page and of a submitted attempt's review.

Target (issue 4): p95 at most 20 ms each. SQLite, 2,000 learners with an attempt each at
the real course's knowledge test (12 questions), half of them submitted.
"""

from common import ROOT, fresh_app, percentile, session_cookie, summary, timed, use_session
from sqlalchemy import insert, select
from werkzeug.datastructures import MultiDict

from app.auth.models import Profession, RoleAssignment, User
from app.courses.importer import import_courses
from app.courses.models import Course, Enrolment
from app.extensions import db
from app.quizzes import services
from app.quizzes.models import Quiz

LEARNERS, REQUESTS = 2000, 300


def populate(app) -> tuple[list, list]:
    """Learners with one attempt each; returns (open attempts, submitted attempts)."""
    import_courses(ROOT / "courses")
    course = db.session.scalar(select(Course).where(Course.key == "foundations-of-palliative-care"))
    quiz = db.session.scalar(select(Quiz).where(Quiz.key == "knowledge-test"))
    db.session.execute(
        insert(User),
        [
            {
                "email": f"q{i}@example.org",
                "name": f"Learner {i}",
                "password_hash": "x",
                "profession": Profession.NURSE,
                "active": True,
                "session_version": 1,
            }
            for i in range(LEARNERS)
        ],
    )
    users = db.session.scalars(select(User)).all()
    db.session.execute(
        insert(RoleAssignment), [{"user_id": u.id, "role": "learner"} for u in users]
    )
    db.session.execute(
        insert(Enrolment), [{"user_id": u.id, "course_id": course.id} for u in users]
    )
    opened, submitted = [], []
    for index, user in enumerate(users):
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id))
        attempt = services.start_attempt(user, quiz, enrolment, "en")
        db.session.flush()
        if index % 2:
            services.submit_attempt(user, attempt, MultiDict())
            submitted.append((user.get_id(), attempt.id))
        else:
            opened.append((user.get_id(), attempt.id))
    db.session.commit()
    return opened, submitted


def measure(app, pairs, label) -> float:
    client = app.test_client()
    with app.app_context():
        targets = [
            (session_cookie(app, user)[0], attempt_id) for user, attempt_id in pairs[:REQUESTS]
        ]

    def one(cookie, attempt_id):
        use_session(client, app, cookie)
        response = client.get(f"/attempts/{attempt_id}")
        assert response.status_code == 200, (response.status_code, response.location)

    for cookie, attempt_id in targets[:20]:
        one(cookie, attempt_id)
    times = [timed(lambda c=c, a=a: one(c, a)) for c, a in targets]
    print(summary(label, times))
    p95 = percentile([t * 1000 for t in times], 0.95)
    print(f"{label} p95 target 20 ms: {'met' if p95 <= 20 else 'MISSED'} (ratio {p95 / 20:.2f})")
    return p95


def main() -> None:
    app, _folder = fresh_app()
    with app.app_context():
        opened, submitted = populate(app)
    measure(app, opened, "quiz page (open attempt)")
    measure(app, submitted, "review page (submitted attempt)")


if __name__ == "__main__":
    main()
