"""Read-only queries about institutions and programmes (their people: auth/queries.py)."""

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.institutions.models import Institution, Programme


def list_institutions() -> list[Institution]:
    """Every institution, by name."""
    return list(db.session.scalars(select(Institution).order_by(Institution.name)))


def list_programmes() -> list[Programme]:
    """Every programme with its institutions, newest first."""
    query = (
        select(Programme)
        .options(selectinload(Programme.institutions))
        .order_by(Programme.starts_on.desc(), Programme.name)
    )
    return list(db.session.scalars(query))


def institution_named(name: str) -> Institution | None:
    """The institution with this name (compared without surrounding space and case)."""
    query = select(Institution).where(func.lower(Institution.name) == name.strip().lower())
    return db.session.scalar(query)


def programme_named(name: str) -> Programme | None:
    """The programme with this name (compared without surrounding space and case)."""
    query = select(Programme).where(func.lower(Programme.name) == name.strip().lower())
    return db.session.scalar(query)


def institutions_by_ids(institution_ids: list[int]) -> list[Institution]:
    """The institutions with these ids (in the database's order)."""
    query = select(Institution).where(Institution.id.in_(institution_ids))
    return list(db.session.scalars(query))
