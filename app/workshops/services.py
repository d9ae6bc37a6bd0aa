"""On-site workshops: sessions (when, where, agenda, facilitators) and attendance.

Session times are entered and shown in the cohort institution's time zone (the workshop
happens there) and stored in UTC. Recording attendance re-checks the completion of the
workshop's course for everyone marked present.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exc

from app.auth.models import User
from app.auth.permissions import MANAGE, require
from app.cohorts.models import Cohort
from app.courses.models import Course
from app.db_types import utcnow
from app.exceptions import ValidationFailed
from app.extensions import db
from app.learning.completion import Event, Outcome, record_progress
from app.workshops import queries
from app.workshops.models import Attendance, Workshop, WorkshopSession


def _require_manager(actor: User, cohort: Cohort) -> None:
    require(actor, MANAGE, cohort, _l("You may not change this cohort."))


def create_workshop(actor: User, cohort: Cohort, title: str, course: Course | None) -> Workshop:
    """A workshop of ``cohort``; attendance counts toward ``course`` if one is given."""
    _require_manager(actor, cohort)
    if course is not None and course not in cohort.courses:
        raise ValidationFailed(_("Choose one of the cohort's courses."), "course")
    workshop = Workshop(cohort=cohort, title=title.strip(), course=course)
    db.session.add(workshop)
    db.session.flush()
    return workshop


def local_to_utc(local: datetime, timezone: str) -> datetime:
    """A wall-clock time at the institution, as an aware UTC time."""
    return local.replace(tzinfo=ZoneInfo(timezone)).astimezone(ZoneInfo("UTC"))


def save_session(
    actor: User,
    workshop: Workshop,
    session: WorkshopSession | None,
    starts_local: datetime,
    minutes: int,
    place: str,
    agenda: str,
    facilitators: list[User],
) -> WorkshopSession:
    """Add a session to ``workshop`` (or change ``session``); times are local wall-clock."""
    cohort = workshop.cohort
    _require_manager(actor, cohort)
    if not 0 < minutes <= 24 * 60:
        raise ValidationFailed(_("A session lasts between 1 minute and 24 hours."), "minutes")
    if any(person.id not in cohort.trainer_ids for person in facilitators):
        raise ValidationFailed(_("Facilitators are chosen among the cohort's trainers."))
    session = session or WorkshopSession(workshop=workshop)
    session.starts_at = local_to_utc(starts_local, cohort.institution.timezone)
    session.ends_at = session.starts_at + timedelta(minutes=minutes)
    session.place = place.strip()
    session.agenda = agenda.strip()
    session.facilitators = list(facilitators)
    db.session.add(session)
    db.session.flush()
    return session


def delete_session(actor: User, session: WorkshopSession) -> None:
    """Remove a session (and its attendance) from the workshop."""
    _require_manager(actor, session.workshop.cohort)
    db.session.delete(session)
    db.session.flush()


def record_attendance(
    actor: User, session: WorkshopSession, shown_ids: set[int], present_ids: set[int]
) -> Outcome:
    """Record attendance for the members ``shown`` on a sheet: present if ticked, else
    absent. Only the rows shown are written, so two tablets sharing out a large room do
    not undo each other. The Outcome counts the people present (``recorded``) and the
    completions of the workshop's course this caused (attendance may be the last step
    of its rule)."""
    workshop = session.workshop
    _require_manager(actor, workshop.cohort)
    if session.starts_at > utcnow():
        raise ValidationFailed(_("Attendance can be recorded once the session has started."))
    members = {user.id: user for user, _recorded in queries.attendance_sheet(session)}
    shown = [members[user_id] for user_id in sorted(shown_ids) if user_id in members]
    for user in shown:
        _save_attendance(session, user, user.id in present_ids, actor)
    present = [user for user in shown if user.id in present_ids]
    outcome = Outcome(recorded=len(present))
    if workshop.course is None:
        return outcome
    for user in present:
        outcome += record_progress(user, workshop.course, Event.SESSION_ATTENDED)
    return outcome


def _save_attendance(session: WorkshopSession, user: User, present: bool, actor: User) -> None:
    """Insert or update one row; another tablet may insert the same row at the same time."""
    values = {"present": present, "recorded_by_id": actor.id, "recorded_at": utcnow()}
    key = (session.id, user.id)
    row = db.session.get(Attendance, key)
    if row is None:
        try:
            with db.session.begin_nested():
                db.session.add(Attendance(session_id=session.id, user_id=user.id, **values))
            return
        except exc.IntegrityError:
            row = db.session.get(Attendance, key, populate_existing=True)
    for name, value in values.items():
        setattr(row, name, value)
    db.session.flush()
