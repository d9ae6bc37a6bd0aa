"""``flask demo --scale N``: a large, realistic world for benchmarks and dashboards.

N learners across 50 institutions in 5 countries, with enrolments, lesson progress,
pre- and post-tests, knowledge gains, completions with certificates, cohorts and a
cascade of certified trainers. Rows are written in bulk with ids assigned here (no
round trip per row), from a seeded random generator: the same N gives the same world.
"""

import random
from datetime import date, timedelta

from sqlalchemy import insert, select

from app.auth.models import Profession, Role, RoleAssignment, User
from app.auth.passwords import hash_password
from app.cohorts.models import Cohort, CohortMember, CohortTrainer, cohort_courses
from app.courses.models import Course
from app.dashboards import summary
from app.db_types import utcnow
from app.demo.bulk import World, advance_sequences, insert_rows, next_id
from app.demo.journeys import MODELS as LEARNING
from app.demo.journeys import CourseBook, Journey, LearningWriter
from app.demo.people import DEMO_PASSWORD
from app.extensions import db
from app.institutions.models import Institution, Programme, programme_institutions
from app.learning.certificates import record_missing_issuers
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
WRITTEN = (Institution, User, RoleAssignment, Cohort, CohortMember, TrainerCertification)


def generate(n: int, seed: int = 1) -> World:
    """Write the world (flushes through Core; the caller commits)."""
    rng, world = random.Random(seed), World()
    _institutions(world)
    _people(world, n, rng)
    book = CourseBook.load("foundations-of-palliative-care")
    if book is not None:
        _learning(world, book, rng)
    _cohorts_and_cascade(world, book.course if book else None, rng)
    advance_sequences([*WRITTEN, *LEARNING])
    record_missing_issuers()
    summary.rebuild(db.session.connection())  # the bulk inserts bypassed the ORM's events
    return world


def _institutions(world: World) -> None:
    programmes = db.session.scalars(select(Programme.id).order_by(Programme.id)).all()
    first, now, rows, links = next_id(Institution), utcnow(), [], []
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
    insert_rows(Institution, rows, world)
    if links:
        db.session.execute(insert(programme_institutions), links)
    world.institutions = [row["id"] for row in rows]


def _people(world: World, n: int, rng: random.Random) -> None:
    password, now = hash_password(DEMO_PASSWORD), utcnow()
    trainers = max(5, n // LEARNERS_PER_COHORT)
    first, users, roles = next_id(User), [], []
    role_id = next_id(RoleAssignment)
    for k in range(n + trainers):
        uid, institution = first + k, rng.choice(world.institutions)
        is_trainer = k >= n
        users.append(
            {
                "id": uid,
                "email": f"scale{uid}@example.org",
                "name": f"Learner {uid}",
                "password_hash": password,
                "profession": world.professions.setdefault(uid, rng.choice(PROFESSIONS)),
                "institution_id": institution,
                "active": True,
                "session_version": 1,
                "created_at": now,
            }
        )
        role = Role.TRAINER if is_trainer else Role.LEARNER
        roles.append({"id": role_id + k, "user_id": uid, "role": role, "created_at": now})
        (world.trainers if is_trainer else world.learners).append((uid, institution))
    insert_rows(User, users, world)
    insert_rows(RoleAssignment, roles, world)


def _learning(world: World, book: CourseBook, rng: random.Random) -> None:
    """Everyone enrolled in Foundations, begun on a day in the last two years, a lesson a
    day; a pre-test for everyone, and for those who finished every lesson the post-test,
    their knowledge gain and (if the post-test passed) a certificate. Attempts carry
    their scores only: the benchmarks' reports read nothing else."""
    writer, now, lessons = LearningWriter(rng, detailed=False), utcnow(), len(book.lessons)
    for uid, _institution in world.learners:
        begun = now - timedelta(days=rng.randint(30, 700))  # finished before today
        done = min(lessons, int(rng.triangular(0, lessons + 6, lessons)))
        skill = 0.3 + rng.random() * 0.4
        journey = Journey(
            uid, f"Learner {uid}", world.professions[uid], "en", begun - timedelta(hours=1),
            begun, done,
            timedelta(days=1), skill, rng.gauss(0.22, 0.1), finish=done == lessons,
        )  # fmt: skip
        writer.add(book, journey)
    writer.write(world)


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
    insert_rows(Cohort, cohorts, world)
    insert_rows(CohortTrainer, leads, world)
    insert_rows(CohortMember, members, world)
    insert_rows(TrainerCertification, certifications, world)
    if course is not None:
        teaches = [{"cohort_id": c["id"], "course_id": course.id} for c in cohorts]
        db.session.execute(insert(cohort_courses), teaches)


def _cohorts(world: World, now) -> list[dict]:
    """One cohort per trainer, at the trainer's institution, running around today."""
    first, today = next_id(Cohort), date.today()
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
    first = next_id(CohortMember)
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
    first, rows = next_id(TrainerCertification), []
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
