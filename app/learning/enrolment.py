"""Enrolment in a course (flush, no commit)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import exc

from app.auth.models import User
from app.courses.models import Course, Enrolment
from app.events import enrolments_changed
from app.exceptions import PermissionDenied
from app.extensions import db
from app.learning.queries import get_enrolment


def can_enrol(user: User, course: Course) -> bool:
    """Open courses take anyone signed in; cohort courses are enrolled by their trainers."""
    return course.retired_at is None and course.enrolment == "open"


def enrol_learner(user: User, course: Course) -> Enrolment:
    """Enrol ``user`` in an open course (once; enrolling again changes nothing)."""
    enrolment = get_enrolment(user, course)
    if enrolment is not None:
        return enrolment
    if not can_enrol(user, course):
        raise PermissionDenied(_l("This course is open only to the members of a cohort."))
    enrolment = Enrolment(user_id=user.id, course_id=course.id)
    try:
        with db.session.begin_nested():  # a double click may enrol at the same moment
            db.session.add(enrolment)
    except exc.IntegrityError:
        return get_enrolment(user, course)
    enrolments_changed.send(user_ids=[user.id])
    return enrolment
