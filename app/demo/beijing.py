"""The Beijing train-the-trainer programme at real size (``flask demo``, size full).

Eight Beijing institutions, master trainers in Singapore, two generations of Beijing
trainers below them, and some five hundred doctors, nurses and medical social workers in
cohorts that started one after another over the programme's months: the early cohorts
mostly finished (certificates), the recent ones in progress, the newest not started, and
in each a few who stalled long ago. Pre- and post-tests with their knowledge gain, module
quizzes, workshops with attendance (app/demo/beijing_trainers.py) and case conferences
(app/demo/beijing_conferences.py) come with them. Rows are written in bulk from a seeded
random generator (app/demo/bulk.py, app/demo/journeys.py), then the dashboards'
summaries are rebuilt.
"""

import random
from datetime import date, timedelta

from sqlalchemy import select

from app.auth import services as auth
from app.auth.models import Profession, Role, User
from app.auth.passwords import hash_password
from app.cohorts.models import cohort_courses
from app.dashboards import summary
from app.db_types import utcnow
from app.demo import beijing_conferences as conferences
from app.demo import beijing_trainers as trainers
from app.demo.beijing_build import (
    WRITTEN,
    Build,
    add_cohort,
    add_member,
    add_person,
    add_trainer,
    moment,
)
from app.demo.bulk import World, advance_sequences
from app.demo.journeys import MODELS as LEARNING
from app.demo.journeys import CourseBook, Journey, LearningWriter
from app.demo.names import chinese_name
from app.demo.people import DEMO_PASSWORD, PROGRAMMES
from app.extensions import db
from app.institutions.models import Institution, Programme, programme_institutions
from app.learning.certificates import record_missing_issuers

FOUNDATIONS, TEACHING = "foundations-of-palliative-care", "teaching-palliative-care"
PSYCHOSOCIAL = "psychosocial-palliative-care"
HOME = "Beijing University Hospital"  # already in the demo (app/demo/people.py)
INSTITUTIONS = [
    "Chaoyang District Hospital",
    "Haidian Community Health Service Centre",
    "Xicheng Cancer Hospital",
    "Dongcheng Hospice and Home Care Service",
    "Fengtai Geriatric Hospital",
    "Shunyi District People's Hospital",
    "Tongzhou Hospital of Integrated Medicine",
]
MASTERS = [
    "Dr Tan Mei Ling",
    "Siti Rahman",
    "Dr Lim Wei Jie",
    "Priya Nair",
    "Dr Ong Kai Xiang",
]  # Singapore
FIRST_GENERATION = 14  # new Beijing trainers certified by the masters (with Liu Yang, Wu Hong)
SECOND_GENERATION = 10  # certified by the first, after the spring train-the-trainer course
LEARNERS = {"small": 0, "full": 520}
PROFESSIONS = [Profession.NURSE] * 10 + [Profession.DOCTOR] * 7 + [Profession.SOCIAL_WORKER] * 3
SEED = 2025


def ensure_programme_at_size(size: str = "full") -> World | None:
    """Build the programme at ``size`` once (None when it is there, small, or the courses
    are missing); flushes, does not commit."""
    foundations, teaching = CourseBook.load(FOUNDATIONS), CourseBook.load(TEACHING)
    if not LEARNERS[size] or foundations is None or teaching is None:
        return None
    if db.session.scalar(select(Institution.id).where(Institution.name == INSTITUTIONS[0])):
        return None
    programme = db.session.scalar(select(Programme).where(Programme.name == PROGRAMMES[0][0]))
    build = Build(programme, utcnow(), random.Random(SEED))
    _institutions(build)
    starts = _timeline(build, FIRST_GENERATION + SECOND_GENERATION)
    _trainers(build, starts)
    _cohorts(build, foundations, starts, LEARNERS[size])
    writer = LearningWriter(build.rng)
    _learning(build, foundations, writer)
    ttt = trainers.train_the_trainers(build, teaching, starts)
    trainers.trainee_learning(build, teaching, ttt, writer)
    trainers.next_trainees(build, teaching, writer)
    trainers.masters_refresher(build, CourseBook.load(PSYCHOSOCIAL), writer)
    for cohort in build.cohorts:
        build.batch.add(cohort_courses, {"cohort_id": cohort["id"], "course_id": cohort["course"]})
    build.batch.write(build.world)
    writer.write(build.world)
    trainers.workshop(build, ttt)
    conferences.add_to_series(build)
    advance_sequences([*WRITTEN, *LEARNING])
    record_missing_issuers()
    summary.rebuild(db.session.connection())  # the bulk inserts bypassed the ORM's events
    return build.world


def _institutions(build: Build) -> None:
    """The seven new Beijing institutions (with the demo's own, eight), in the programme."""
    now = build.now - timedelta(days=500)
    for name in INSTITUTIONS:
        build.institutions.append(
            build.batch.add(
                Institution,
                {
                    "name": name,
                    "country": "CN",
                    "city": "Beijing",
                    "timezone": "Asia/Shanghai",
                    "default_locale": "zh_Hans",
                    "created_at": now,
                },
            )
        )
    for institution in build.institutions:
        link = {"programme_id": build.programme.id, "institution_id": institution}
        build.batch.add(programme_institutions, link)
    home = db.session.scalar(select(Institution.id).where(Institution.name == HOME))
    build.institutions.insert(0, home)
    build.world.institutions = build.institutions


def _trainers(build: Build, starts: list[date]) -> None:
    """Masters in Singapore; the first and second generation in Beijing, spread over the
    eight institutions (two of the first generation each, with Liu Yang and Wu Hong)."""
    build.password = hash_password(DEMO_PASSWORD)
    singapore = db.session.scalar(
        select(Institution.id).where(Institution.name == "Singapore Palliative Care Centre")
    )
    master = auth.get_user_by_email("trainer@example.org")
    build.masters = [master.id] + [
        add_person(
            build,
            name,
            Profession.DOCTOR if "Dr" in name else Profession.NURSE,
            singapore,
            Role.TRAINER,
        )
        for name in MASTERS
    ]
    names = [chinese_name(k) for k in range(FIRST_GENERATION + SECOND_GENERATION)]
    for k in range(FIRST_GENERATION):
        where = build.institutions[(k + 2) % len(build.institutions)]
        profession = Profession.DOCTOR if k % 2 else Profession.NURSE
        build.first.append(add_person(build, names[k], profession, where, Role.TRAINER))
    for k in range(SECOND_GENERATION):
        where = build.institutions[k % len(build.institutions)]
        profession = [Profession.NURSE, Profession.DOCTOR, Profession.SOCIAL_WORKER][k % 3]
        name = names[FIRST_GENERATION + k]
        build.second.append(add_person(build, name, profession, where, Role.TRAINER))
    trainers.certifications(build, starts)


def _timeline(build: Build, cohorts: int) -> list[date]:
    """Cohort start days, evenly from a month into the programme (at most 14 months ago)
    to a month from now, so the newest has not started."""
    today = build.now.date()
    first = max(build.programme.starts_on + timedelta(days=30), today - timedelta(days=425))
    span = (today + timedelta(days=30) - first).days
    return [first + timedelta(days=span * k // (cohorts - 1)) for k in range(cohorts)]


def _cohorts(build: Build, book: CourseBook, starts: list[date], learners: int) -> None:
    """A Foundations cohort per Beijing trainer, learners dealt round them."""
    leads = build.first + build.second
    per_cohort = learners // len(leads)
    first_name = FIRST_GENERATION + SECOND_GENERATION
    for k, (lead, starts_on) in enumerate(zip(leads, starts, strict=True)):
        institution = _institution_of(build, lead)
        cohort = add_cohort(
            build, _cohort_name(k, starts_on), institution, "zh_Hans", starts_on, 150
        )
        add_trainer(build, cohort, lead, True)
        for n in range(per_cohort):
            name = chinese_name(first_name + k * per_cohort + n)
            learner = add_person(
                build, name, build.rng.choice(PROFESSIONS), institution, Role.LEARNER
            )
            add_member(build, cohort, learner)
            build.learners.append(learner)
        cohort["course"] = book.course.id


def _cohort_name(k: int, starts_on: date) -> str:
    return f"Foundations {starts_on:%Y-%m}, group {k + 1}"


def _institution_of(build: Build, user_id: int) -> int:
    return next(row["institution_id"] for row in build.batch.rows[User] if row["id"] == user_id)


def _learning(build: Build, book: CourseBook, writer: LearningWriter) -> None:
    """Each Foundations learner's journey, by the age of their cohort."""
    for cohort in build.cohorts:
        if cohort.get("course") != book.course.id:
            continue
        for user_id, joined in cohort["members"]:
            journey = _journey(build, book, cohort, user_id, joined)
            writer.add(book, journey)
            if journey.finish:
                build.finishers.append(user_id)


def _journey(build, book, cohort, user_id, joined) -> Journey:
    """Not started, stalled long ago (inactive), in progress with recent activity, or
    finished: whichever this learner's pace and the cohort's start make of them."""
    rng, lessons, now = build.rng, len(book.lessons), build.now
    profession = build.world.professions[user_id]
    start = max(moment(cohort["starts_on"]), joined) + timedelta(
        days=rng.randint(0, 10), hours=rng.randint(0, 9)
    )
    skill = min(0.85, max(0.15, rng.gauss(0.47, 0.12)))
    growth = min(0.5, max(0.05, rng.gauss(0.3, 0.1)))
    pace = timedelta(hours=rng.uniform(36, 110))
    journey = Journey(
        user_id, build.names[user_id], profession, "zh_Hans", joined, start, 0, pace, skill, growth
    )
    if start > now - timedelta(hours=2) or rng.random() < 0.06:
        journey.begun = None  # not started (yet)
        return journey
    stalled = rng.random() < 0.13
    reached = min(lessons, int((now - start - timedelta(hours=2)) / pace))
    if stalled and reached > 3:
        journey.done = rng.randint(1, min(lessons - 2, reached - 3))
        if now - journey.lesson_at(journey.done) > timedelta(days=20):
            return journey  # stopped long ago: inactive
    if reached >= lessons and now - journey.lesson_at(lessons) > timedelta(days=3):
        journey.done, journey.finish = lessons, True
        return journey
    journey.done = min(reached, lessons - 1)
    return journey
