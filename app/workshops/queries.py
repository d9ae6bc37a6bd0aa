"""Reads of workshops: the attendance sheet of a session."""

from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import lazyload

from app.auth.models import User
from app.cohorts.models import CohortMember
from app.extensions import db
from app.workshops.models import Attendance, WorkshopSession


class SheetRow(NamedTuple):
    user: User
    present: bool | None  # None: not recorded


def attendance_sheet(session: WorkshopSession) -> list[SheetRow]:
    """Every member of the cohort, by name, with their recorded attendance."""
    recorded = dict(
        db.session.execute(
            select(Attendance.user_id, Attendance.present).where(
                Attendance.session_id == session.id
            )
        ).all()
    )
    members = db.session.scalars(
        select(User)
        .join(CohortMember, CohortMember.user_id == User.id)
        .where(CohortMember.cohort_id == session.workshop.cohort_id)
        .options(lazyload(User.role_assignments))
        .order_by(User.name)
    )
    return [SheetRow(user, recorded.get(user.id)) for user in members]
