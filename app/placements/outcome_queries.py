"""Reads of what a placement leads to: its final assessment, its certificate, its plan's
follow-ups, the follow-ups due, the completed placements that count as CPD, and the
placements whose certificates a person sees."""

from datetime import date

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.extensions import db
from app.placements.models import (
    Assessment,
    FollowUp,
    ObservershipCertificate,
    Placement,
    PlacementOffer,
    Stage,
    State,
)


def final_assessment(placement: Placement) -> Assessment | None:
    """The supervisor's final assessment of ``placement``, if written."""
    return db.session.scalar(
        select(Assessment).where(
            Assessment.placement_id == placement.id, Assessment.stage == Stage.FINAL
        )
    )


def certificate_of(placement: Placement) -> ObservershipCertificate | None:
    return db.session.scalar(
        select(ObservershipCertificate).where(ObservershipCertificate.placement_id == placement.id)
    )


def find_observership_certificate(code: str) -> ObservershipCertificate | None:
    """The certificate of observership with this code (matched without regard to case)."""
    return db.session.scalar(
        select(ObservershipCertificate).where(ObservershipCertificate.code == code.strip().upper())
    )


def certificates_held_by(user) -> list[ObservershipCertificate]:
    """The certificates of observership of ``user``'s placements, newest first."""
    return list(
        db.session.scalars(
            select(ObservershipCertificate)
            .join(Placement, Placement.id == ObservershipCertificate.placement_id)
            .where(Placement.observer_id == user.id)
            .order_by(ObservershipCertificate.issued_at.desc(), ObservershipCertificate.id.desc())
        )
    )


def follow_ups_of(placement: Placement) -> dict[int, FollowUp]:
    """The placement's follow-ups by months (3, 6), with their answers."""
    rows = db.session.scalars(
        select(FollowUp)
        .where(FollowUp.placement_id == placement.id)
        .options(selectinload(FollowUp.answers), selectinload(FollowUp.answered_by))
        .execution_options(populate_existing=True)  # answers replaced in this session
    )
    return {row.months: row for row in rows}


def due_follow_up_ids(today: date) -> list[int]:
    """The follow-ups due by ``today`` whose people were not asked yet."""
    return list(
        db.session.scalars(
            select(FollowUp.id)
            .where(FollowUp.due_on <= today, FollowUp.asked_at.is_(None))
            .order_by(FollowUp.due_on, FollowUp.id)
        )
    )


def completed_with_certificate(user: User) -> list[tuple[Placement, ObservershipCertificate]]:
    """``user``'s completed placements whose certificate stands (not revoked)."""
    rows = db.session.execute(
        select(Placement, ObservershipCertificate)
        .join(ObservershipCertificate, ObservershipCertificate.placement_id == Placement.id)
        .where(
            Placement.observer_id == user.id,
            Placement.state == State.COMPLETED,
            ObservershipCertificate.revoked_at.is_(None),
        )
        .order_by(Placement.ends_on, Placement.id)
    )
    return [(placement, certificate) for placement, certificate in rows]


def placement_ids_seen_by(user: User) -> Select:
    """The ids of the placements whose certificate ``user`` sees though not an
    administrator (a subquery for the certificates' rule, not run here): their own, those
    hosted by an institution they coordinate, those of its people."""
    return (
        select(Placement.id)
        .join(PlacementOffer, PlacementOffer.id == Placement.offer_id)
        .join(User, User.id == Placement.observer_id)
        .where(
            or_(
                Placement.observer_id == user.id,
                PlacementOffer.host_institution_id.in_(user.coordinated_institution_ids),
                User.institution_id.in_(user.coordinated_institution_ids),
            )
        )
    )
