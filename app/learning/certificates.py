"""Certificates: issued with a completion, found by their code, revoked with a reason."""

from app.auth.models import User
from app.codes import random_code
from app.courses.models import Course
from app.db_types import utcnow
from app.extensions import db
from app.learning.models import Certificate, Completion


def new_code() -> str:
    """A random verification code such as ``PAL-7KQ2-M9XD-4HTR`` (about 60 bits)."""
    return "PAL-" + "-".join(random_code(4) for _ in range(3))


def issue_certificate(completion: Completion, user: User, course: Course) -> Certificate:
    """A certificate for ``completion``, keeping the name, title and hours as issued."""
    return Certificate(
        completion=completion,
        code=new_code(),
        holder_name=user.name,
        course_titles=dict(course.titles),
        cpd_hours=course.cpd_hours,
        issued_at=utcnow(),
    )


def revoke_certificate(actor: User, certificate: Certificate, reason: str) -> None:
    """Revoke a certificate (administrators); the verification page then says so."""
    certificate.revoked_at = certificate.revoked_at or utcnow()
    certificate.revoked_reason = reason.strip()
    db.session.flush()
