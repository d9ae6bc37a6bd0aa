"""Courses: who sees and reads them (the course rule of ``app.auth.permissions``).

Every signed-in person sees the current courses (the catalog). Enrolled learners read a
course's lessons; so do its teaching staff (administrators, trainers, coordinators and
translators, who teach, coordinate or translate it without enrolling), who alone see a
quiz's item statistics.
"""

from sqlalchemy import Select, false, select

from app.auth.permissions import READ, STAFF, VIEW, Rule, register
from app.auth.policies import COURSE_STAFF
from app.courses.models import Course, Enrolment
from app.extensions import db


def is_staff(user) -> bool:
    return COURSE_STAFF.allows(user)


def may_read(user, enrolment: Enrolment | None) -> bool:
    """The reading rule, for a caller that already holds the user's enrolment."""
    return enrolment is not None or is_staff(user)


def _enrolled(user, course: Course) -> bool:
    query = select(Enrolment.id).where(
        Enrolment.user_id == user.id, Enrolment.course_id == course.id
    )
    return db.session.scalar(query) is not None


def can(user, action: str, course: Course) -> bool:
    if course.retired_at is not None:
        return False
    if action == VIEW:
        return True
    if action == READ:
        return is_staff(user) or _enrolled(user, course)
    return action == STAFF and is_staff(user)


def scope(user, query: Select, action: str) -> Select:
    query = query.where(Course.retired_at.is_(None))
    if action == VIEW or (action in (READ, STAFF) and is_staff(user)):
        return query
    if action == READ:
        enrolled = select(Enrolment.course_id).where(Enrolment.user_id == user.id)
        return query.where(Course.id.in_(enrolled))
    return query.where(false())


def _load(key: str) -> Course | None:
    return db.session.scalar(select(Course).where(Course.key == key, Course.retired_at.is_(None)))


register(Rule(Course, can, scope, private=False, load=_load))
