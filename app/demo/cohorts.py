"""The demo's cohorts, a train-the-trainer workshop with attendance, and a
three-generation cascade: a master trainer in Singapore certifies trainers in Beijing,
who train learners there."""

from datetime import datetime, timedelta

from sqlalchemy import select

from app.auth import services as auth
from app.cohorts import queries, services
from app.cohorts.models import Cohort
from app.courses import queries as course_queries
from app.db_types import utcnow
from app.extensions import db
from app.trainers import certification
from app.trainers import queries as trainer_queries
from app.workshops import queries as workshop_queries
from app.workshops import services as workshops

FOUNDATIONS, TEACHING = "foundations-of-palliative-care", "teaching-palliative-care"
BEIJING = "Beijing University Hospital"

# name, institution, courses, teaching language, lead trainer, co-trainers, members,
# start (days from today), length in days
COHORTS = [
    (
        "Beijing train-the-trainer cohort, autumn 2026",
        BEIJING,
        [TEACHING],
        "en",
        "trainer@example.org",
        [],
        ["liu.yang@example.org", "wu.hong@example.org", "zhao.lei@example.org"],
        -60,
        120,
    ),
    (
        "Beijing ward teams: foundations 2026",
        BEIJING,
        [FOUNDATIONS],
        "zh_Hans",
        "liu.yang@example.org",
        ["wu.hong@example.org"],
        [
            "doctor@example.org",
            "zhang.min@example.org",
            "chen.jing@example.org",
            "sun.li@example.org",
            "ma.jun@example.org",
            "gao.yan@example.org",
        ],
        -45,
        180,
    ),
    (
        "Almaty hospice nurses: foundations 2026",
        "Almaty Regional Hospital",
        [FOUNDATIONS],
        "ru",
        "karin.lind@example.org",
        [],
        ["learner@example.org", "askar.beken@example.org"],
        -50,
        150,
    ),
    (
        "Luleå home-care team 2026",
        "Luleå Hospice Team",
        [FOUNDATIONS],
        "sv",
        "karin.lind@example.org",
        [],
        ["erik.nilsson@example.org"],
        -20,
        200,
    ),
]

WORKSHOP_SESSIONS = [
    # days from today, local start, minutes, place, agenda
    (
        -40,
        (9, 0),
        210,
        "Teaching Centre, Room 3",
        "Adult learning in practice\nMicro-teaching round 1 with video feedback\nDebrief",
    ),
    (
        -39,
        (9, 0),
        210,
        "Teaching Centre, Room 3",
        "Running a case-based session\nMicro-teaching round 2\nPlanning your first cohort",
    ),
    (
        75,
        (9, 0),
        180,
        "Teaching Centre, Room 3",
        "Follow-up day: your cohorts' progress, hard cases, next steps",
    ),
]


def ensure_cohorts() -> None:
    """The demo cohorts, the Beijing workshop and the certifications (once)."""
    if course_queries.get_course(TEACHING) is None:
        return  # the courses have not been imported
    admin = auth.get_user_by_email("admin@example.org")
    for email in ("trainer@example.org", "karin.lind@example.org"):
        if trainer_queries.current_certification(auth.get_user_by_email(email).id) is None:
            certification.certify_master_trainer(admin, auth.get_user_by_email(email), "Demo")
    # The Beijing trainees finish their track at the workshop and are signed off before
    # they run a cohort of their own.
    train_the_trainers = _ensure_cohort(*COHORTS[0])
    if train_the_trainers is not None:
        _workshop(train_the_trainers)
        master = auth.get_user_by_email("trainer@example.org")
        observed = (utcnow() - timedelta(days=30)).date()
        for email in ("liu.yang@example.org", "wu.hong@example.org"):
            trainee = auth.get_user_by_email(email)
            certification.certify_trainer(master, trainee, observed, "Observed a teaching round.")
    for row in COHORTS[1:]:
        _ensure_cohort(*row)


def _ensure_cohort(name, institution, courses, locale, lead, co, members, start, days):
    """Create the cohort unless it exists; the new cohort, or None if it existed."""
    if db.session.scalar(select(Cohort.id).where(Cohort.name == name)):
        return None
    trainer = auth.get_user_by_email(lead)
    today = utcnow().date()
    institutions = {i.name: i for i in queries.cohort_institutions(trainer)}
    details = services.CohortDetails(
        name=name,
        institution=institutions[institution],
        courses=[course_queries.get_course(key) for key in courses],
        locale=locale,
        starts_on=today + timedelta(days=start),
        ends_on=today + timedelta(days=start + days),
        capacity=40,
        members_visible=True,
    )
    cohort = services.create_cohort(trainer, details)
    for email in co:
        services.add_trainer(trainer, cohort, auth.get_user_by_email(email))
    services.add_members(cohort, [auth.get_user_by_email(e) for e in members], "roster")
    return cohort


def _workshop(cohort: Cohort) -> None:
    """The train-the-trainer workshop: two days done (everyone there), one to come."""
    trainer = auth.get_user_by_email("trainer@example.org")
    workshop = workshops.create_workshop(
        trainer, cohort, "Train-the-trainer workshop, Beijing", cohort.courses[0]
    )
    today = utcnow().date()
    for days, (hour, minute), minutes, place, agenda in WORKSHOP_SESSIONS:
        day = today + timedelta(days=days)
        starts = datetime(day.year, day.month, day.day, hour, minute)
        session = workshops.save_session(
            trainer, workshop, None, starts, minutes, place, agenda, [trainer]
        )
        if days < 0:
            everyone = {user.id for user, _present in workshop_queries.attendance_sheet(session)}
            workshops.record_attendance(trainer, session, everyone, everyone)
