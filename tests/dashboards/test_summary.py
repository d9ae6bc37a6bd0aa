"""The summary tables always equal counts made here from the raw rows: after the scaled
demo's bulk writes, after every kind of change through the application's models, after a
rollback, and after a rebuild."""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from app.auth.models import Profession, Role, User
from app.auth.services import remember_locale, update_profile, update_user
from app.cohorts.services import enrol_in_courses
from app.courses.importer import import_courses
from app.courses.models import Course, Enrolment, Lesson
from app.dashboards import summary
from app.dashboards.models import ReportCount, ReportGain
from app.demo.scale import generate
from app.events import completions_changed, enrolments_changed, gains_changed, profiles_changed
from app.extensions import db
from app.institutions.models import Institution
from app.institutions.services import save_institution
from app.learning.models import Completion, KnowledgeGain
from app.learning.progress import record_lesson_visit
from app.quizzes.models import Attempt
from tests.factories import make_completion, make_enrolment, make_institution, make_user

REAL_COURSES = Path(__file__).resolve().parents[2] / "courses"


def raw_counts() -> tuple[Counter, Counter]:
    """People and gains per bucket, counted from users, enrolments, completions and
    knowledge gains (written independently of app/dashboards/summary.py)."""
    users = {u.id: u for u in db.session.scalars(select(User)) if u.institution_id}
    per_course: dict[tuple[int, int], dict] = {}

    def entry(user_id, course_id):
        return per_course.setdefault((user_id, course_id), {"begun": 0, "month": "", "gain": None})

    for e in db.session.scalars(select(Enrolment)):
        entry(e.user_id, e.course_id)["begun"] = int(e.last_activity_at is not None)
    for c in db.session.scalars(select(Completion)):
        entry(c.user_id, c.course_id)["month"] = f"{c.completed_at.astimezone(UTC):%Y-%m}"
    for g in db.session.scalars(select(KnowledgeGain)):
        post = db.session.get(Attempt, g.post_attempt_id)
        entry(g.user_id, g.course_id)["gain"] = (
            round(g.gain * 100),
            post.locale,
            f"{post.submitted_at.astimezone(UTC):%Y-%m}",
        )
    counts, gains = Counter(), Counter()
    overall: dict[int, dict] = {}
    for (user_id, course_id), found in per_course.items():
        user = users.get(user_id)
        if user is None:
            continue
        who = (user.institution_id, user.profession.value,
               user.locale or user.institution.default_locale)  # fmt: skip
        counts[(*who, course_id, found["month"], "people")] += 1
        counts[(*who, course_id, found["month"], "begun")] += found["begun"]
        if found["gain"] is not None:
            gain, language, month = found["gain"]
            key = (who[0], who[1], course_id, language, month)
            gains[(*key, "pairs")] += 1
            gains[(*key, "total")] += gain
            gains[(*key, "squares")] += gain * gain
        person = overall.setdefault(user_id, {"who": who, "begun": 0, "months": []})
        person["begun"] |= found["begun"]
        person["months"] += [found["month"]] if found["month"] else []
    for person in overall.values():
        month = min(person["months"], default="")
        counts[(*person["who"], 0, month, "people")] += 1
        counts[(*person["who"], 0, month, "begun")] += person["begun"]
    return +counts, +gains  # "+" drops the zeros


def summed_counts() -> tuple[Counter, Counter]:
    """The summary tables in the same shape."""
    counts, gains = Counter(), Counter()
    for row in db.session.scalars(select(ReportCount)):
        key = (row.institution_id, row.profession, row.language, row.course_key,
               row.finished_month)  # fmt: skip
        counts[(*key, "people")] += row.people
        counts[(*key, "begun")] += row.begun
    for row in db.session.scalars(select(ReportGain)):
        key = (row.institution_id, row.profession, row.course_id, row.language, row.month)
        gains[(*key, "pairs")] += row.pairs
        gains[(*key, "total")] += row.total
        gains[(*key, "squares")] += row.squares
    return +counts, +gains


def assert_summaries_equal_raw_rows():
    db.session.expire_all()
    counts, gains = raw_counts()
    assert counts  # a test of nothing would pass too
    assert summed_counts() == (counts, gains)


def test_the_scaled_worlds_sums_equal_the_raw_rows(app):
    import_courses(REAL_COURSES)
    generate(300, seed=3)
    db.session.commit()
    assert_summaries_equal_raw_rows()
    assert summed_counts()[1]  # gains are there too


def test_every_change_through_the_services_keeps_the_sums_equal(app):
    """Each step changes what the reports count the way the application does: through
    its service, or (where no service does it yet) directly, with the signal such a
    service must send (``app.events``)."""
    import_courses(REAL_COURSES)
    generate(200, seed=5)
    db.session.commit()
    rng = random.Random(11)
    courses = list(db.session.scalars(select(Course)))
    learners = list(db.session.scalars(select(User).where(User.email.like("scale%"))))
    admin = make_user(roles=[Role.ADMIN])
    elsewhere = make_institution(default_locale="sv")
    steps = [
        "enrol", "first lesson", "complete", "complete earlier", "uncomplete", "unenrol",
        "profession", "institution", "language", "institution language", "no institution",
        "drop gain", "delete person",
    ]  # fmt: skip
    for step in steps * 3:
        person = rng.choice(learners)
        course = rng.choice(courses)
        _change(step, person, course, Changes(admin, elsewhere))
        db.session.commit()
        assert_summaries_equal_raw_rows()
        if step == "delete person":
            learners.remove(person)


@dataclass
class Changes:
    admin: User
    elsewhere: Institution


def _change(step: str, person: User, course: Course, world: Changes) -> None:
    enrolment, completion = _facts(person, course)
    if step in ("enrol", "first lesson", "unenrol"):
        _change_enrolment(step, person, course, enrolment)
    elif step in ("complete", "complete earlier", "uncomplete", "drop gain"):
        _change_completion(step, person, course, completion)
    else:
        _change_profile(step, person, world)


def _facts(person: User, course: Course) -> tuple[Enrolment | None, Completion | None]:
    mine = {"user_id": person.id, "course_id": course.id}
    return (
        db.session.scalar(select(Enrolment).filter_by(**mine)),
        db.session.scalar(select(Completion).filter_by(**mine)),
    )


def _change_enrolment(step, person, course, enrolment) -> None:
    if step == "enrol":
        enrol_in_courses([person.id], [course])
    elif step == "first lesson":
        enrol_in_courses([person.id], [course])
        enrolment, _completion = _facts(person, course)
        lesson = db.session.scalar(select(Lesson).filter_by(course_id=course.id))
        record_lesson_visit(enrolment, lesson)
    elif enrolment is not None:  # unenrol: no service does it yet
        db.session.delete(enrolment)
        enrolments_changed.send(user_ids=[person.id])


def _change_completion(step, person, course, completion) -> None:
    if step in ("complete", "complete earlier") and completion is None:
        days = 400 if step == "complete earlier" else 0
        make_completion(person.id, course.id, completed_at=datetime.now(UTC) - timedelta(days))
    elif step == "uncomplete" and completion is not None:  # no service does it yet
        if completion.certificate is not None:
            db.session.delete(completion.certificate)
        db.session.delete(completion)
        completions_changed.send(user_ids=[person.id])
    elif step == "drop gain":  # no service does it yet
        gain = db.session.scalar(select(KnowledgeGain).where(KnowledgeGain.user_id == person.id))
        if gain is not None:
            db.session.delete(gain)
            gains_changed.send(user_ids=[person.id])


def _change_profile(step, person, world) -> None:
    name, institution = person.name, person.institution
    if step == "profession":
        update_profile(person, name, Profession.SOCIAL_WORKER, person.locale, person.timezone)
    elif step in ("institution", "no institution"):
        moved_to = world.elsewhere if step == "institution" else None
        update_user(world.admin, person, name, person.profession, moved_to, person.active)
    elif step == "language":
        remember_locale(person, "ru" if person.locale != "ru" else "kk")
    elif step == "institution language" and institution is not None:
        place = (institution.name, institution.country, institution.city, institution.timezone)
        save_institution(institution, *place, "kk")
    elif step == "delete person":  # no service does it yet
        db.session.delete(person)
        profiles_changed.send(user_ids=[person.id])


def test_a_rollback_leaves_the_sums_as_they_were(sample_course):
    place = make_institution()
    people = [make_user(institution=place) for _ in range(3)]
    course = sample_course
    for person in people:
        make_enrolment(person.id, course.id)
    db.session.commit()
    before = summed_counts()
    make_completion(people[0].id, course.id)
    db.session.rollback()
    assert summed_counts() == before
    assert_summaries_equal_raw_rows()


def test_a_rebuild_gives_the_same_sums(app):
    import_courses(REAL_COURSES)
    generate(120, seed=9)
    db.session.commit()
    person = db.session.scalar(select(User).where(User.email.like("scale%")))
    update_profile(person, person.name, Profession.DOCTOR, person.locale, person.timezone)
    db.session.commit()
    kept = summed_counts()
    summary.rebuild(db.session.connection())
    db.session.commit()
    assert summed_counts() == kept
    assert_summaries_equal_raw_rows()
