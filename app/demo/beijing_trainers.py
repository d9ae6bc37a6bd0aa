"""The Beijing programme's trainers at size (app/demo/beijing.py): the cascade's
certifications (masters, then two generations of Beijing trainers), the spring
train-the-trainer cohort with its workshop and attendance, the autumn one under way (the
next generation, chosen among Foundations' finishers), and the masters' own refresher."""

from datetime import date, datetime, time, timedelta

from app.auth import services as auth
from app.auth.models import User
from app.cohorts.models import Cohort
from app.demo.beijing_build import add_cohort, add_member, add_trainer, moment
from app.demo.bulk import insert_rows
from app.demo.journeys import CourseBook, Journey, LearningWriter
from app.extensions import db
from app.trainers.models import TrainerCertification
from app.workshops import services as workshops
from app.workshops.models import Attendance

WORKSHOP_DAYS = (45, 46)  # days after the train-the-trainer cohort starts
CERTIFIED_DAY = 55


def certifications(build, starts: list[date]) -> None:
    """Masters (generation 0) a year and a half ago; the first Beijing generation before
    the first cohorts; the second after their train-the-trainer course."""
    teaching = CourseBook.load("teaching-palliative-care").course.id
    first_day = starts[0] - timedelta(days=20)
    for master in build.masters[1:]:
        _certify(build, master, None, 0, None, first_day - timedelta(days=60))
    for k, trainer in enumerate(build.first):
        certifier = build.masters[k % len(build.masters)]
        _certify(build, trainer, certifier, 1, teaching, first_day + timedelta(days=k % 5))
    upstream = build.first + [auth.get_user_by_email(e).id for e in build.named_first]
    day = train_the_trainers_start(starts[-len(build.second)]) + timedelta(days=CERTIFIED_DAY)
    for k, trainer in enumerate(build.second):
        _certify(build, trainer, upstream[k % len(upstream)], 2, teaching, day)


def _certify(build, user_id, certifier, generation, course, day: date) -> None:
    build.batch.add(
        TrainerCertification,
        {
            "user_id": user_id,
            "certified_by_id": certifier,
            "course_id": course,
            "generation": generation,
            "practice_observed_on": day - timedelta(days=3) if generation else None,
            "notes": "Observed a teaching round." if generation else "Master trainer.",
            "certified_at": moment(day, 6),
        },
    )


def train_the_trainers_start(first_of_second_generation: date) -> date:
    """The spring train-the-trainer cohort ends in time for the second generation's
    first cohort."""
    return first_of_second_generation - timedelta(days=75)


def train_the_trainers(build, teaching: CourseBook, starts: list[date]) -> dict:
    """The cohort in which the second generation learnt to teach (lead: a master)."""
    starts_on = train_the_trainers_start(starts[-len(build.second)])
    cohort = add_cohort(
        build,
        f"Beijing train-the-trainer cohort, {starts_on:%Y-%m}",
        build.institutions[0],
        "en",
        starts_on,
        90,
    )
    cohort["course"] = teaching.course.id
    add_trainer(build, cohort, build.masters[1], True)
    add_trainer(build, cohort, auth.get_user_by_email(build.named_first[0]).id, False)
    for trainee in build.second:
        add_member(build, cohort, trainee)
    return cohort


def _session_end(cohort: dict, index: int) -> datetime:
    day = cohort["starts_on"] + timedelta(days=WORKSHOP_DAYS[index])
    return moment(day, 1) + timedelta(minutes=210)  # 09:00–12:30 in Beijing


def trainee_learning(build, teaching: CourseBook, cohort: dict, writer: LearningWriter) -> None:
    """The trainees' teaching course: lessons and quiz in the first month; completed at
    the second workshop session."""
    rng = build.rng
    for user_id, joined in cohort["members"]:
        begun = moment(cohort["starts_on"] + timedelta(days=rng.randint(1, 4)), 2)
        journey = Journey(
            user_id, build.names[user_id], build.world.professions[user_id], "en", joined,
            begun, len(teaching.lessons), timedelta(hours=rng.uniform(48, 96)),
            rng.uniform(0.6, 0.8), 0.2, finish=True,
            completes_after=_session_end(cohort, 1) + timedelta(hours=2),
        )  # fmt: skip
        writer.add(teaching, journey)


def workshop(build, cohort_row: dict) -> None:
    """The spring workshop: two sessions, everyone there (recorded after each)."""
    cohort = db.session.get(Cohort, cohort_row["id"])
    lead = db.session.get(User, build.masters[1])
    made = workshops.create_workshop(
        lead, cohort, "Train-the-trainer workshop, spring", cohort.courses[0]
    )
    rows = []
    for index, agenda in enumerate(
        ("Adult learning; micro-teaching round 1", "Case-based teaching; micro-teaching round 2")
    ):
        ends = _session_end(cohort_row, index)
        local = datetime.combine(ends.date(), time(9))  # wall-clock time in Beijing
        session = workshops.save_session(
            lead, made, None, local, 210, "Teaching Centre, Room 2", agenda, [lead]
        )
        rows += [
            {
                "session_id": session.id,
                "user_id": user_id,
                "present": True,
                "recorded_by_id": lead.id,
                "recorded_at": session.ends_at + timedelta(hours=1),
            }
            for user_id, _joined in cohort_row["members"]
        ]
    insert_rows(Attendance, rows, build.world)


def next_trainees(build, teaching: CourseBook, writer: LearningWriter) -> None:
    """The autumn train-the-trainer cohort, a month in: eight of Foundations' early
    finishers, part-way through the teaching course (the third generation to come)."""
    rng, now = build.rng, build.now
    starts_on = (now - timedelta(days=30)).date()
    cohort = add_cohort(
        build,
        f"Beijing train-the-trainer cohort, {starts_on:%Y-%m}",
        build.institutions[1],
        "en",
        starts_on,
        90,
    )
    cohort["course"] = teaching.course.id
    add_trainer(build, cohort, build.masters[2], True)
    add_trainer(build, cohort, build.first[0], False)
    for user_id in rng.sample(build.finishers[: len(build.finishers) // 2], 8):
        add_member(build, cohort, user_id)
    for user_id, joined in cohort["members"]:
        writer.add(teaching, _under_way(build, teaching, user_id, joined, "en"))


def masters_refresher(build, book: CourseBook | None, writer: LearningWriter) -> None:
    """The Singapore masters keep learning: the psychosocial course, part-way."""
    if book is None:
        return
    for user_id in build.masters[1:]:
        joined = build.now - timedelta(days=build.rng.randint(40, 60))
        writer.add(book, _under_way(build, book, user_id, joined, "en"))


def _under_way(build, book: CourseBook, user_id: int, joined: datetime, locale: str) -> Journey:
    """A journey begun after ``joined``, a few lessons done, the last of them lately."""
    rng, now = build.rng, build.now
    begun = joined + timedelta(days=rng.randint(1, 5), hours=rng.randint(0, 8))
    done = rng.randint(2, max(2, min(6, len(book.lessons) - 1)))
    pace = (now - timedelta(days=rng.uniform(1, 6)) - begun) / done
    return Journey(
        user_id, build.names.get(user_id, ""), build.world.professions[user_id], locale,
        joined, begun, done, pace, rng.uniform(0.5, 0.75), 0.2,
    )  # fmt: skip
