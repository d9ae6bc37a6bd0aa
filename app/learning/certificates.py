"""Certificates: issued with a completion, found by their code, revoked with a reason,
and reinstated when the revocation was a mistake."""

import logging

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from app.auth.models import User
from app.codes import random_code
from app.courses.models import Course
from app.db_types import utcnow
from app.exceptions import ValidationFailed
from app.extensions import db
from app.learning.models import Certificate, Completion
from app.learning.queries import (
    completions_without_issuer_at,
    current_issuer,
    list_institutions_with_programmes,
)
from app.notifications.services import notify

# Who revoked or reinstated a certificate, and when: the table keeps only the latest
# revocation (no actor column yet), so the trail is this log (see docs/architecture.md).
audit = logging.getLogger("app.learning.audit")


def new_code() -> str:
    """A random verification code such as ``PAL-7KQ2-M9XD-4HTR`` (about 60 bits)."""
    return "PAL-" + "-".join(random_code(4) for _ in range(3))


def issue_certificate(completion: Completion, user: User, course: Course) -> Certificate:
    """A certificate for ``completion``, keeping the name, title and hours as issued,
    in the session; its holder is told."""
    issuer = current_issuer(user.id)
    certificate = Certificate(
        completion=completion,
        code=new_code(),
        holder_name=user.name,
        course_titles=dict(course.titles),
        cpd_hours=course.cpd_hours,
        issued_at=utcnow(),
        issuer_institution=issuer.institution,
        issuer_programmes=issuer.programmes,
    )
    db.session.add(certificate)
    _tell_holder(user, certificate, variant="issued")
    return certificate


def record_missing_issuers() -> None:
    """Give certificates written in bulk (the demo) the issuer ``issue_certificate``
    records: their holder's institution now and its programmes. One update per
    institution."""
    for institution in list_institutions_with_programmes():
        db.session.execute(
            update(Certificate)
            .where(
                Certificate.issuer_institution.is_(None),
                Certificate.completion_id.in_(completions_without_issuer_at(institution.id)),
            )
            .values(
                issuer_institution=institution.name,
                issuer_programmes=sorted(p.name for p in institution.programmes),
            )
        )


def revoke_certificate(actor: User, certificate: Certificate, reason: str) -> None:
    """Revoke a certificate (administrators); the verification page then says so."""
    if certificate.revoked_at is None:
        holder = db.session.get(User, certificate.completion.user_id)
        _tell_holder(holder, certificate, variant="revoked", reason=reason.strip())
    certificate.revoked_at = certificate.revoked_at or utcnow()
    certificate.revoked_reason = reason.strip()
    db.session.flush()
    audit.info("certificate %s revoked by user %s", certificate.code, actor.id)


def reinstate_certificate(actor: User, certificate: Certificate) -> None:
    """Undo a revocation (administrators): the certificate is valid again, the
    verification page says so, and its PDF can be downloaded again."""
    if certificate.revoked_at is None:
        raise ValidationFailed(_l("This certificate is valid: there is nothing to reinstate."))
    certificate.revoked_at = None
    certificate.revoked_reason = None
    db.session.flush()
    audit.info("certificate %s reinstated by user %s", certificate.code, actor.id)
    _tell_holder(
        db.session.get(User, certificate.completion.user_id), certificate, variant="reinstated"
    )


def _tell_holder(holder: User | None, certificate: Certificate, **params) -> None:
    if holder is not None:
        notify(
            holder, "certificate", course=certificate.course_titles, code=certificate.code, **params
        )
