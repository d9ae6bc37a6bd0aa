"""Reads of a placement's learning agreement: its assessments, and the competencies its
objectives are picked from (the ones added to the shipped list)."""

from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.placements.models import Assessment, Competency, Placement, PlacementOffer, Stage


def find_assessment(placement: Placement, stage: Stage) -> Assessment | None:
    """The placement's ``stage`` assessment (mid-point or final), if recorded."""
    return db.session.scalar(
        select(Assessment).where(Assessment.placement_id == placement.id, Assessment.stage == stage)
    )


def list_assessments(placement: Placement) -> dict[Stage, Assessment]:
    """The placement's assessments by stage, with their ratings (one query each kind)."""
    query = (
        select(Assessment)
        .where(Assessment.placement_id == placement.id)
        .options(selectinload(Assessment.ratings), selectinload(Assessment.assessor))
    )
    return {a.stage: a for a in db.session.scalars(query)}


def added_competencies() -> list[Competency]:
    """The competencies added to the shipped list, oldest first."""
    return list(db.session.scalars(select(Competency).order_by(Competency.id)))


def added_titles_of(codes: list[str]) -> dict[str, str]:
    """The titles of the added competencies among ``codes``, by code (unknown ones left
    out)."""
    query = select(Competency.code, Competency.title).where(Competency.code.in_(codes))
    return dict(db.session.execute(query).all())


def added_titles_in(domain: str) -> list[str]:
    """The titles of the competencies added under ``domain``, as written."""
    return list(db.session.scalars(select(Competency.title).where(Competency.domain == domain)))


def hosts_placements(institution_ids) -> bool:
    """Whether any of the institutions ``institution_ids`` hosts a placement offer."""
    hosts = exists().where(PlacementOffer.host_institution_id.in_(institution_ids))
    return bool(db.session.scalar(select(hosts)))
