"""Certificates: issued with a completion, found by their code, revoked with a reason."""

from app.auth.models import User
from app.codes import random_code
from app.courses.models import Course
from app.db_types import utcnow
from app.extensions import db
from app.learning.models import Certificate, Completion
from app.notifications.services import notify


def new_code() -> str:
    """A random verification code such as ``PAL-7KQ2-M9XD-4HTR`` (about 60 bits)."""
    return "PAL-" + "-".join(random_code(4) for _ in range(3))


def issue_certificate(completion: Completion, user: User, course: Course) -> Certificate:
    """A certificate for ``completion``, keeping the name, title and hours as issued,
    in the session; its holder is told."""
    certificate = Certificate(
        completion=completion,
        code=new_code(),
        holder_name=user.name,
        course_titles=dict(course.titles),
        cpd_hours=course.cpd_hours,
        issued_at=utcnow(),
    )
    db.session.add(certificate)
    _tell_holder(user, certificate, variant="issued")
    return certificate


def revoke_certificate(actor: User, certificate: Certificate, reason: str) -> None:
    """Revoke a certificate (administrators); the verification page then says so."""
    if certificate.revoked_at is None:
        holder = db.session.get(User, certificate.completion.user_id)
        _tell_holder(holder, certificate, variant="revoked", reason=reason.strip())
    certificate.revoked_at = certificate.revoked_at or utcnow()
    certificate.revoked_reason = reason.strip()
    db.session.flush()


def _tell_holder(holder: User | None, certificate: Certificate, **params) -> None:
    if holder is not None:
        notify(
            holder, "certificate", course=certificate.course_titles, code=certificate.code, **params
        )
