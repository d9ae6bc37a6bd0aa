"""Certificates of observership: issued when a placement is completed, with the days
present (the final assessment) and the hours logged; seen by the holder, their home
coordinators, the host's coordinators and administrators; revoked with a reason and
reinstated by administrators; found at the public /verify page by their code."""

import logging

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, false

from app.auth.models import User
from app.auth.permissions import REVOKE, VIEW, Rule, register
from app.db_types import utcnow
from app.exceptions import ValidationFailed
from app.extensions import db
from app.learning.certificates import new_code
from app.learning.queries import find_certificate
from app.learning.verification import code_taken, register_verifiable
from app.notifications.services import notify
from app.placements import outcome_queries
from app.placements.access import is_home_coordinator, is_host_coordinator, is_programme_admin
from app.placements.logbook import logged_hours
from app.placements.models import ObservershipCertificate, Placement

audit = logging.getLogger("app.placements.audit")
KIND = "placement_outcome"


def unused_code() -> str:
    """A new code in the course certificates' format, used by no certificate of either
    kind."""
    while True:
        code = new_code()
        if find_certificate(code) is None and not code_taken(code):  # code_taken: ours too
            return code


def issue_observership_certificate(placement: Placement) -> ObservershipCertificate:
    """The certificate of a completed placement, keeping what it says as issued; the one
    already issued if there is one (completing twice never issues a second)."""
    existing = outcome_queries.certificate_of(placement)
    if existing is not None:
        return existing
    assessment = outcome_queries.final_assessment(placement)
    if assessment is None:
        raise ValueError(f"placement {placement.id} has no final assessment")
    offer = placement.offer
    certificate = ObservershipCertificate(
        placement_id=placement.id,
        code=unused_code(),
        holder_name=placement.observer.name,
        title=offer.title,
        host_name=offer.host.name,
        host_city=offer.host.city,
        programme_name=offer.programme.name,
        starts_on=placement.starts_on,
        ends_on=placement.ends_on,
        days_present=assessment.days_present,
        hours=logged_hours(placement),
        issued_at=utcnow(),
    )
    db.session.add(certificate)
    db.session.flush()
    return certificate


def revoke_observership_certificate(
    actor: User, certificate: ObservershipCertificate, reason: str
) -> None:
    """Revoke (administrators): /verify then says so, and the PDF is no longer given."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_l("Say why the certificate is revoked."), "reason")
    if certificate.revoked_at is not None:
        raise ValidationFailed(_l("This certificate is already revoked."), "reason")
    certificate.revoked_at = utcnow()
    certificate.revoked_reason = reason
    db.session.flush()
    audit.info("observership certificate %s revoked by user %s", certificate.code, actor.id)
    _tell_holder(certificate, "revoked", reason=reason)


def reinstate_observership_certificate(actor: User, certificate: ObservershipCertificate) -> None:
    """Undo a revocation (administrators): the certificate is valid again."""
    if certificate.revoked_at is None:
        raise ValidationFailed(_l("This certificate is valid: there is nothing to reinstate."))
    certificate.revoked_at = None
    certificate.revoked_reason = None
    db.session.flush()
    audit.info("observership certificate %s reinstated by user %s", certificate.code, actor.id)
    _tell_holder(certificate, "reinstated")


def _tell_holder(certificate: ObservershipCertificate, variant: str, **extra) -> None:
    placement = certificate.placement
    notify(
        placement.observer,
        KIND,
        variant=variant,
        placement_id=placement.id,
        title=certificate.title,
        observer=certificate.holder_name,
        host=certificate.host_name,
        code=certificate.code,
        reason=extra.get("reason", ""),
    )


# --- Who sees a certificate ---------------------------------------------------------


def can_certificate(user, action: str, certificate: ObservershipCertificate) -> bool:
    placement = certificate.placement
    admin = is_programme_admin(user)
    if action == REVOKE:
        return admin
    if action != VIEW:
        return False
    return (
        admin
        or placement.observer_id == user.id
        or is_home_coordinator(user, placement.observer)
        or is_host_coordinator(user, placement.offer)
    )


def scope_certificates(user, query: Select, action: str) -> Select:
    if is_programme_admin(user) and action in (VIEW, REVOKE):
        return query
    if action != VIEW:
        return query.where(false())
    seen = outcome_queries.placement_ids_seen_by(user)
    return query.where(ObservershipCertificate.placement_id.in_(seen))


register(
    Rule(
        ObservershipCertificate,
        can_certificate,
        scope_certificates,
        load=outcome_queries.find_observership_certificate,
    )
)
register_verifiable(
    outcome_queries.find_observership_certificate,
    "placements/_verified_certificate.html",
    held_by=outcome_queries.certificates_held_by,
    listing="placements/_held_certificate.html",
)
