"""The ``workshop_sessions`` clause of completion rules: N sessions of the course's
on-site workshops attended."""

from flask_babel import ngettext
from sqlalchemy import func, select

from app.auth.models import User
from app.courses.models import Course
from app.extensions import db
from app.learning.completion import register_clause
from app.workshops.models import Attendance, Workshop, WorkshopSession


def workshop_sessions_attended(user: User, course: Course) -> int:
    """How many sessions of the course's on-site workshops the user attended."""
    return db.session.scalar(
        select(func.count())
        .select_from(Attendance)
        .join(WorkshopSession, WorkshopSession.id == Attendance.session_id)
        .join(Workshop, Workshop.id == WorkshopSession.workshop_id)
        .where(
            Attendance.user_id == user.id,
            Attendance.present.is_(True),
            Workshop.course_id == course.id,
        )
    )


def enough_sessions(user: User, course: Course, needed: int) -> bool:
    return workshop_sessions_attended(user, course) >= needed


def describe_sessions(course: Course, needed: int, locale: str) -> str:
    return ngettext(
        "Attend %(num)d session of the course's on-site workshop",
        "Attend %(num)d sessions of the course's on-site workshop",
        needed,
    )


register_clause("workshop_sessions", enough_sessions, describe_sessions)
