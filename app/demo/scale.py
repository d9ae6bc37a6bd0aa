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
from datetime import date, datetime, timedelta

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
            rows.append(
                {
                    "id": iid,
                    "name": f"{city} Hospital {k + 1} ({suffix})",
                    "country": country,
                    "city": city,
                    "timezone": zone,
                    "default_locale": locale,
                    "created_at": now,
                }
            )
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
        users.append(
            {
                "id": uid,
                "email": f"scale{uid}@example.org",
                "name": f"Learner {uid}",
                "password_hash": password,
                "profession": rng.choice(PROFESSIONS),
                "institution_id": institution,
                "active": True,
                "session_version": 1,
                "created_at": now,
            }
        )
        role = Role.TRAINER if is_trainer else Role.LEARNER
        roles.append({"id": role_id + k, "user_id": uid, "role": role, "created_at": now})
        (world.trainers if is_trainer else world.learners).append((uid, institution))
    _insert(User, users, world)
    _insert(RoleAssignment, roles, world)


LEARNING = (Enrolment, LessonProgress, Attempt, KnowledgeGain, Completion, Certificate)
PASS_PERCENT = 70


class _Batch:
    """Rows per model, each row given the next free id of its table (ids are assigned
    here, so a row can point at another before anything is written)."""

    def __init__(self, models) -> None:
        self.rows: dict[type, list[dict]] = {model: [] for model in models}
        self._first = {model: _next_id(model) for model in models}

    def add(self, model, row: dict) -> int:
        rows = self.rows[model]
        row_id = self._first[model] + len(rows)
        rows.append({"id": row_id, **row})
        return row_id


@dataclass
class _Journey:
    """One learner's way through the course: begun on a day, one lesson a day."""

    user_id: int
    begun: datetime
    done: int  # lessons completed; the next one is started

    def day(self, n: int) -> datetime:
        return self.begun + timedelta(days=n)


def _learning(world: World, course: Course, rng: random.Random) -> None:
    """Everyone enrolled in Foundations; progress through it; tests; completions."""
    lessons = db.session.scalars(
        select(Lesson.id).where(Lesson.course_id == course.id).order_by(Lesson.position)
    ).all()
    quiz = db.session.scalar(
        select(Quiz.id).where(Quiz.course_id == course.id, Quiz.key == course.pre_test_key)
    )
    batch, now = _Batch(LEARNING), utcnow()
    for uid, _institution in world.learners:
        begun = now - timedelta(days=rng.randint(30, 700))  # finished before today
        done = min(len(lessons), int(rng.triangular(0, len(lessons) + 6, len(lessons))))
        journey = _Journey(uid, begun, done)
        _progress(batch, course, journey, lessons)
        if quiz is not None:
            _tests(batch, course, quiz, journey, finished_all=done == len(lessons), rng=rng)
    for model, rows in batch.rows.items():
        _insert(model, rows, world)


def _progress(batch: _Batch, course: Course, journey: _Journey, lessons) -> None:
    """The enrolment, the lessons completed and the one started after them."""
    batch.add(
        Enrolment,
        {
            "user_id": journey.user_id,
            "course_id": course.id,
            "enrolled_at": journey.begun,
            "last_activity_at": journey.day(journey.done),
        },
    )
    for position, lesson in enumerate(lessons[: journey.done + 1]):
        moment = journey.day(position)
        batch.add(
            LessonProgress,
            {
                "user_id": journey.user_id,
                "lesson_id": lesson,
                "started_at": moment,
                "completed_at": moment if position < journey.done else None,
            },
        )


def _tests(batch, course, quiz, journey, *, finished_all: bool, rng) -> None:
    """A pre-test for everyone; for those who finished every lesson, a post-test the
    day after and the knowledge gain, and a certificate if the post-test passed."""
    pre = 30 + rng.random() * 40
    pre_id = batch.add(Attempt, _attempt(quiz, journey.user_id, "pre", journey.begun, pre))
    if not finished_all:
        return
    post = min(100.0, pre + rng.gauss(22, 10))
    finished = journey.day(journey.done + 1)
    post_id = batch.add(Attempt, _attempt(quiz, journey.user_id, "post", finished, post))
    batch.add(
        KnowledgeGain,
        {
            "user_id": journey.user_id,
            "course_id": course.id,
            "pre_attempt_id": pre_id,
            "post_attempt_id": post_id,
            "pre_percent": pre,
            "post_percent": post,
            "gain": post - pre,
            "recorded_at": finished,
        },
    )
    if post >= PASS_PERCENT:
        _certify(batch, course, journey.user_id, finished)


def _certify(batch: _Batch, course: Course, user_id: int, finished) -> None:
    completion_id = batch.add(
        Completion,
        {
            "user_id": user_id,
            "course_id": course.id,
            "completed_at": finished,
            "rule_version": 1,
            "rule": course.completion_rule,
        },
    )
    batch.add(
        Certificate,
        {
            "completion_id": completion_id,
            "code": f"PAL-S{completion_id:011d}",
            "holder_name": f"Learner {user_id}",
            "course_titles": course.titles,
            "cpd_hours": course.cpd_hours,
            "issued_at": finished,
        },
    )


def _attempt(quiz_id, user_id, phase, when, percent) -> dict:
    return {
        "quiz_id": quiz_id,
        "user_id": user_id,
        "phase": phase,
        "number": 1,
        "locale": "en",
        "draw": [],
        "questions": {},
        "started_at": when,
        "submitted_at": when + timedelta(minutes=20),
        "score": percent / 10,
        "max_score": 10.0,
        "percent": percent,
        "passed": percent >= PASS_PERCENT,
    }


def _cohorts_and_cascade(world: World, course: Course | None, rng: random.Random) -> None:
    """One cohort per trainer, learners spread over them; a cascade of 3 generations."""
    now = utcnow()
    cohorts = _cohorts(world, now)
    leads = [
        {"cohort_id": cohort["id"], "user_id": trainer, "lead": True, "added_at": now}
        for cohort, (trainer, _institution) in zip(cohorts, world.trainers, strict=True)
    ]
    members = _members(world, cohorts, now)
    certifications = _cascade(world, rng, now)
    _insert(Cohort, cohorts, world)
    _insert(CohortTrainer, leads, world)
    _insert(CohortMember, members, world)
    _insert(TrainerCertification, certifications, world)
    if course is not None:
        teaches = [{"cohort_id": c["id"], "course_id": course.id} for c in cohorts]
        db.session.execute(insert(cohort_courses), teaches)


def _cohorts(world: World, now) -> list[dict]:
    """One cohort per trainer, at the trainer's institution, running around today."""
    first, today = _next_id(Cohort), date.today()
    return [
        {
            "id": first + k,
            "name": f"Cohort {first + k}",
            "institution_id": institution,
            "locale": "en",
            "starts_on": today - timedelta(days=300),
            "ends_on": today + timedelta(days=60),
            "capacity": 200,
            "join_code": f"S{first + k:07d}",
            "members_visible": False,
            "inactive_days": 14,
            "created_at": now,
        }
        for k, (_trainer, institution) in enumerate(world.trainers)
    ]


def _members(world: World, cohorts: list[dict], now) -> list[dict]:
    """Learners dealt round the cohorts like cards."""
    first = _next_id(CohortMember)
    return [
        {
            "id": first + index,
            "cohort_id": cohorts[index % len(cohorts)]["id"],
            "user_id": learner,
            "joined_at": now,
            "source": "roster",
        }
        for index, (learner, _institution) in enumerate(world.learners)
    ]


def _cascade(world: World, rng: random.Random, now) -> list[dict]:
    """5 master trainers certify 20, who certify everyone else: three generations."""
    first, rows = _next_id(TrainerCertification), []
    for k, (trainer, _institution) in enumerate(world.trainers):
        generation = 0 if k < 5 else (1 if k < 25 else 2)
        upstream = 5 if generation == 1 else 25
        certifier = None if generation == 0 else world.trainers[rng.randrange(upstream)][0]
        rows.append(
            {
                "id": first + k,
                "user_id": trainer,
                "certified_by_id": certifier,
                "generation": generation,
                "notes": "",
                "certified_at": now,
            }
        )
    return rows


def _advance_sequences() -> None:
    """PostgreSQL: ids were given here, so move each table's id sequence past them."""
    if db.engine.dialect.name != "postgresql":
        return
    for model in (
        Institution,
        User,
        RoleAssignment,
        Enrolment,
        LessonProgress,
        Attempt,
        KnowledgeGain,
        Completion,
        Certificate,
        Cohort,
        CohortMember,
        TrainerCertification,
    ):
        table = model.__tablename__
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        )
