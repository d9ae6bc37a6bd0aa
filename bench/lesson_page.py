"""Lesson page: server time with 10,000 learners on SQLite, and bytes on a slow link.

Targets (issue 3): p95 server time at most 15 ms; first load at most 60 KB (HTML, CSS,
JS, gzip-compressed; media excluded); a repeat visit at most 15 KB.
"""

import gzip
import re

from common import fresh_app, percentile, summary, timed
from sqlalchemy import insert, select

from app.auth.models import Profession, RoleAssignment, User
from app.auth.passwords import hash_password
from app.courses.importer import import_courses
from app.courses.models import Enrolment, Lesson, LessonProgress
from app.db_types import utcnow
from app.extensions import db
from app.quizzes.models import Attempt, Quiz

LEARNERS = 10_000
REQUESTS = 400
COURSE = "foundations-of-palliative-care"


def populate(app) -> None:
    """10,000 learners, all enrolled, each with progress in the first lessons."""
    from pathlib import Path

    import_courses(Path(app.config["COURSES_DIR"]))
    password = hash_password("palliare-demo")
    now = utcnow()
    db.session.execute(
        insert(User),
        [
            {
                "email": f"learner{i}@example.org",
                "name": f"Learner {i}",
                "password_hash": password,
                "profession": Profession.NURSE,
                "active": True,
                "session_version": 1,
                "created_at": now,
            }
            for i in range(LEARNERS)
        ],
    )
    users = db.session.scalars(select(User.id)).all()
    db.session.execute(
        insert(RoleAssignment),
        [{"user_id": u, "role": "learner", "created_at": now} for u in users],
    )
    lessons = db.session.scalars(select(Lesson.id).order_by(Lesson.position)).all()
    course_id = db.session.scalar(select(Lesson.course_id))
    db.session.execute(
        insert(Enrolment),
        [
            {"user_id": u, "course_id": course_id, "enrolled_at": now, "last_lesson_id": lessons[0]}
            for u in users
        ],
    )
    knowledge_test = db.session.scalar(select(Quiz.id).where(Quiz.key == "knowledge-test"))
    db.session.execute(  # everyone took the pre-test, which opens the lessons
        insert(Attempt),
        [
            {
                "quiz_id": knowledge_test,
                "user_id": u,
                "phase": "pre",
                "number": 1,
                "locale": "en",
                "draw": [],
                "questions": {},
                "started_at": now,
                "submitted_at": now,
                "answers": {},
                "score": 0,
                "max_score": 12,
                "percent": 0,
                "passed": False,
            }
            for u in users
        ],
    )
    db.session.execute(
        insert(LessonProgress),
        [
            {"user_id": u, "lesson_id": lessons[k], "started_at": now, "completed_at": now}
            for u in users
            for k in range(u % 6)
        ],
    )
    db.session.commit()


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def main() -> None:
    app, _folder = fresh_app()
    with app.app_context():
        populate(app)
        lesson = db.session.scalar(
            select(Lesson).where(Lesson.key == "breakthrough-pain-and-conversions")
        )
        url = f"/courses/{COURSE}/lessons/{lesson.key}"
    client = app.test_client()
    client.post("/login", data={"email": "learner5000@example.org", "password": "palliare-demo"})
    page = client.get(url)  # measure the lesson itself, never a redirect
    assert page.status_code == 200 and b"lesson-body" in page.data, page.status_code
    for _ in range(20):  # warm up caches and connections
        client.get(url)
    times = [timed(lambda: client.get(url)) for _ in range(REQUESTS)]
    print(summary(f"lesson page, {LEARNERS:,} learners, SQLite", times))
    p95 = percentile([t * 1000 for t in times], 0.95)
    print(
        f"lesson page p95 target 15 ms: {'met' if p95 <= 15 else 'MISSED'} ({p95:.2f} / 15 = {p95 / 15:.2f})"
    )

    html = client.get(url).data
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
    asset_bytes = sum(gz(client.get(a.decode()).data) for a in assets)
    first, repeat = gz(html) + asset_bytes, gz(html)
    print(
        f"first load: HTML {gz(html) / 1024:.1f} KB + CSS/JS/icon {asset_bytes / 1024:.1f} KB "
        f"= {first / 1024:.1f} KB gzip (target 60 KB: {'met' if first <= 60 * 1024 else 'MISSED'}, "
        f"ratio {first / (60 * 1024):.2f})"
    )
    print(
        f"repeat visit: {repeat / 1024:.1f} KB (static files cached for a year by content hash; "
        f"target 15 KB: {'met' if repeat <= 15 * 1024 else 'MISSED'}, ratio {repeat / (15 * 1024):.2f})"
    )


if __name__ == "__main__":
    main()
