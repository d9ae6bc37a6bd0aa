"""Read-only queries about institutions and their people."""

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db


def list_members(institution_id: int) -> list[User]:
    """The people of an institution, by name (roles loaded in one extra query)."""
    query = select(User).where(User.institution_id == institution_id).order_by(User.name)
    return list(db.session.scalars(query))
