"""``flask demo --scale N``: a large, realistic world for benchmarks and dashboards.

N learners across 50 institutions in 5 countries, with enrolments, lesson progress,
pre- and post-tests, knowledge gains, completions with certificates, cohorts and a
cascade of certified trainers. Rows are written in bulk with ids assigned here (no
round trip per row), from a seeded random generator: the same N gives the same world.
"""

import enum
import json
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, insert, select, text

from app.auth.models import Profession, Role, RoleAssignment, User
from app.auth.passwords import hash_password
from app.cohorts.models import Cohort, CohortMember, CohortTrainer, cohort_courses
from app.courses.models import Course, Enrolment, Lesson, LessonProgress
from app.dashboards import summary
from app.db_types import utcnow
from app.demo.people import DEMO_PASSWORD
from app.extensions import db
from app.institutions.models import Institution, Programme, programme_institutions
from app.learning.models import Certificate, Completion, KnowledgeGain
from app.quizzes.models import Attempt, Quiz
from app.trainers.models import TrainerCertification

COUNTRIES = [  # country, city, time zone, locale, programme (0 or 1 of the demo's two)
    ("CN", "Beijing", "Asia/Shanghai", "zh_Hans", 0),
    ("SG", "Singapore", "Asia/Singapore", "en", 0),
    ("KZ", "Almaty", "Asia/Almaty", "kk", 1),
    ("SE", "Luleå", "Europe/Stockholm", "sv", 1),
    ("RU", "Omsk", "Asia/Omsk", "ru", 1),
]
INSTITUTIONS_PER_COUNTRY = 10
LEARNERS_PER_COHORT = 40
PROFESSIONS = [Profession.NURSE] * 5 + [Profession.DOCTOR] * 3 + [Profession.SOCIAL_WORKER] * 2
CHUNK = 5000


@dataclass
class World:
    """What the generator made (ids), for the next steps and the summary line."""

    institutions: list[int] = field(default_factory=list)
    learners: list[tuple[int, int]] = field(default_factory=list)  # (user id, institution id)
    trainers: list[tuple[int, int]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def generate(n: int, seed: int = 1) -> World:
    """Write the world (flushes through Core; the caller commits)."""
    rng, world = random.Random(seed), World()
    _institutions(world)
    _people(world, n, rng)
    course = db.session.scalar(select(Course).where(Course.key == "foundations-of-palliative-care"))
    if course is not None:
        _learning(world, course, rng)
    _cohorts_and_cascade(world, course, rng)
    _advance_sequences()
    summary.rebuild(db.session.connection())  # the bulk inserts bypassed the ORM's events
    return world


def _next_id(model) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _insert(model, rows: list[dict], world: World) -> None:
    if rows and db.session.connection().dialect.name == "postgresql":
        _copy(model.__table__, rows)  # COPY: several times faster than INSERTs
    else:
        for start in range(0, len(rows), CHUNK):
            db.session.execute(insert(model.__table__), rows[start : start + CHUNK])
    world.counts[model.__tablename__] = world.counts.get(model.__tablename__, 0) + len(rows)


def _copy(table, rows: list[dict]) -> None:
    """Rows into a PostgreSQL table with COPY, in the session's transaction: values as
    the columns store them (enums by value, JSON as text)."""
    columns = list(rows[0])
    names = ", ".join(f'"{name}"' for name in columns)
    cursor = db.session.connection().connection.driver_connection.cursor()
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([_stored(row[name]) for name in columns])


def _stored(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


def _institutions(world: World) -> None:
    programmes = db.session.scalars(select(Programme.id).order_by(Programme.id)).all()
    first, now, rows, links = _next_id(Institution), utcnow(), [], []
    suffix = first  # names stay unique if the command runs twice
    for country, city, zone, locale, programme in COUNTRIES:
        for k in range(INSTITUTIONS_PER_COUNTRY):
            iid = first + len(rows)
            rows.append({
                "id": iid, "name": f"{city} Hospital {k + 1} ({suffix})", "country": country,
                "city": city, "timezone": zone, "default_locale": locale, "created_at": now,
            })  # fmt: skip
            if programme < len(programmes):
                links.append({"programme_id": programmes[programme], "institution_id": iid})
    _insert(Institution, rows, world)
    if links:
        db.session.execute(insert(programme_institutions), links)
    world.institutions = [row["id"] for row in rows]


def _people(world: World, n: int, rng: random.Random) -> None:
    password, now = hash_password(DEMO_PASSWORD), utcnow()
    trainers = max(5, n // LEARNERS_PER_COHORT)
    first, users, roles = _next_id(User), [], []
    role_id = _next_id(RoleAssignment)
    for k in range(n + trainers):
        uid, institution = first + k, rng.choice(world.institutions)
        is_trainer = k >= n
        users.append({"id": uid, "email": f"scale{uid}@example.org", "name": f"Learner {uid}",
                      "password_hash": password, "profession": rng.choice(PROFESSIONS),
                      "institution_id": institution, "active": True, "session_version": 1,
                      "created_at": now})  # fmt: skip
        role = Role.TRAINER if is_trainer else Role.LEARNER
        roles.append({"id": role_id + k, "user_id": uid, "role": role, "created_at": now})
        (world.trainers if is_trainer else world.learners).append((uid, institution))
    _insert(User, users, world)
    _insert(RoleAssignment, roles, world)


def _learning(world: World, course: Course, rng: random.Random) -> None:
    """Everyone enrolled in Foundations; progress through it; tests; completions."""
    lessons = db.session.scalars(
        select(Lesson.id).where(Lesson.course_id == course.id).order_by(Lesson.position)
    ).all()
    quiz = db.session.scalar(
        select(Quiz.id).where(Quiz.course_id == course.id, Quiz.key == course.pre_test_key)
    )
    now = utcnow()
    enrolments, progress, attempts, gains, completions, certificates = [], [], [], [], [], []
    ids = {model: _next_id(model) for model in (Enrolment, LessonProgress, Attempt, KnowledgeGain,
                                                  Completion, Certificate)}  # fmt: skip
    for uid, _institution in world.learners:
        begun = now - timedelta(days=rng.randint(30, 700))  # finished before today
        done = min(len(lessons), int(rng.triangular(0, len(lessons) + 6, len(lessons))))
        enrolments.append({"id": ids[Enrolment] + len(enrolments), "user_id": uid,
                           "course_id": course.id, "enrolled_at": begun,
                           "last_activity_at": begun + timedelta(days=done)})  # fmt: skip
        for position, lesson in enumerate(lessons[: done + 1]):
            moment = begun + timedelta(days=position)
            progress.append({"id": ids[LessonProgress] + len(progress), "user_id": uid,
                             "lesson_id": lesson, "started_at": moment,
                             "completed_at": moment if position < done else None})  # fmt: skip
        if quiz is None:
            continue
        pre = 30 + rng.random() * 40
        pre_id = ids[Attempt] + len(attempts)
        attempts.append(_attempt(pre_id, quiz, uid, "pre", begun, pre))
        if done == len(lessons):
            post = min(100.0, pre + rng.gauss(22, 10))
            post_id = pre_id + 1
            finished = begun + timedelta(days=done + 1)
            attempts.append(_attempt(post_id, quiz, uid, "post", finished, post))
            gains.append({"id": ids[KnowledgeGain] + len(gains), "user_id": uid,
                          "course_id": course.id, "pre_attempt_id": pre_id,
                          "post_attempt_id": post_id, "pre_percent": pre, "post_percent": post,
                          "gain": post - pre, "recorded_at": finished})  # fmt: skip
            if post >= 70:
                completion_id = ids[Completion] + len(completions)
                completions.append({"id": completion_id, "user_id": uid, "course_id": course.id,
                                    "completed_at": finished, "rule_version": 1,
                                    "rule": course.completion_rule})  # fmt: skip
                certificates.append({"id": ids[Certificate] + len(certificates),
                                     "completion_id": completion_id,
                                     "code": f"PAL-S{completion_id:011d}",
                                     "holder_name": f"Learner {uid}",
                                     "course_titles": course.titles, "cpd_hours": course.cpd_hours,
                                     "issued_at": finished})  # fmt: skip
    for model, rows in ((Enrolment, enrolments), (LessonProgress, progress), (Attempt, attempts),
                        (KnowledgeGain, gains), (Completion, completions),
                        (Certificate, certificates)):  # fmt: skip
        _insert(model, rows, world)


def _attempt(attempt_id, quiz_id, user_id, phase, when, percent) -> dict:
    return {"id": attempt_id, "quiz_id": quiz_id, "user_id": user_id, "phase": phase,
            "number": 1, "locale": "en", "draw": [], "questions": {}, "started_at": when,
            "submitted_at": when + timedelta(minutes=20), "score": percent / 10,
            "max_score": 10.0, "percent": percent, "passed": percent >= 70}  # fmt: skip


def _cohorts_and_cascade(world: World, course: Course | None, rng: random.Random) -> None:
    """One cohort per trainer, learners spread over them; a cascade of 3 generations."""
    first_cohort, now, today = _next_id(Cohort), utcnow(), date.today()
    cohorts, links, members, certifications = [], [], [], []
    member_id, certification_id = _next_id(CohortMember), _next_id(TrainerCertification)
    for k, (trainer, institution) in enumerate(world.trainers):
        cid = first_cohort + k
        cohorts.append({"id": cid, "name": f"Cohort {cid}", "institution_id": institution,
                        "locale": "en", "starts_on": today - timedelta(days=300),
                        "ends_on": today + timedelta(days=60), "capacity": 200,
                        "join_code": f"S{cid:07d}", "members_visible": False,
                        "inactive_days": 14, "created_at": now})  # fmt: skip
        links.append({"cohort_id": cid, "user_id": trainer, "lead": True, "added_at": now})
        # 5 master trainers certify 20, who certify everyone else: three generations.
        generation = 0 if k < 5 else (1 if k < 25 else 2)
        upstream = 5 if generation == 1 else 25
        certifier = None if generation == 0 else world.trainers[rng.randrange(upstream)][0]
        certifications.append({"id": certification_id + k, "user_id": trainer,
                               "certified_by_id": certifier, "generation": generation,
                               "notes": "", "certified_at": now})  # fmt: skip
    for index, (learner, _institution) in enumerate(world.learners):
        members.append({"id": member_id + index, "cohort_id": first_cohort + index % len(cohorts),
                        "user_id": learner, "joined_at": now, "source": "roster"})  # fmt: skip
    _insert(Cohort, cohorts, world)
    _insert(CohortTrainer, links, world)
    _insert(CohortMember, members, world)
    _insert(TrainerCertification, certifications, world)
    if course is not None:
        teaches = [{"cohort_id": c["id"], "course_id": course.id} for c in cohorts]
        db.session.execute(insert(cohort_courses), teaches)


def _advance_sequences() -> None:
    """PostgreSQL: ids were given here, so move each table's id sequence past them."""
    if db.engine.dialect.name != "postgresql":
        return
    for model in (Institution, User, RoleAssignment, Enrolment, LessonProgress, Attempt,
                  KnowledgeGain, Completion, Certificate, Cohort, CohortMember,
                  TrainerCertification):  # fmt: skip
        table = model.__tablename__
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )  # fmt: skip
        )
