"""Course completion: when a learner meets the course's rule, record it once, with the
rule's version, and issue the certificate.

A rule asks for the required (or all) lessons, the quizzes it names passed, and, if it
says ``workshop_sessions: N``, N sessions of the course's on-site workshops attended.
"""

import secrets

from sqlalchemy import exc, func, select

from app.auth.models import User
from app.cohorts.models import Attendance, Workshop, WorkshopSession
from app.courses.models import Course
from app.db_types import utcnow
from app.extensions import db
from app.quizzes.models import Attempt, Certificate, Completion, Quiz
from app.quizzes.services import required_lessons_done

# Verification codes avoid look-alike characters (0/O, 1/I/L) for reading aloud or typing.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def get_completion(user: User, course: Course) -> Completion | None:
    """The user's completion of ``course``, if any."""
    return db.session.scalar(
        select(Completion).where(Completion.user_id == user.id, Completion.course_id == course.id)
    )


def rule_is_met(user: User, course: Course) -> bool:
    """Required lessons done and every quiz the rule names passed."""
    if not required_lessons_done(user, course):
        return False
    for key in course.completion_rule.get("quizzes", []):
        phase = "post" if key == course.post_test_key else "quiz"
        passed = db.session.scalar(
            select(Attempt.id)
            .join(Quiz, Quiz.id == Attempt.quiz_id)
            .where(
                Quiz.course_id == course.id,
                Quiz.key == key,
                Attempt.user_id == user.id,
                Attempt.phase == phase,
                Attempt.passed.is_(True),
            )
            .limit(1)
        )
        if passed is None:
            return False
    return workshop_sessions_attended(user, course) >= course.completion_rule.get(
        "workshop_sessions", 0
    )


def workshop_sessions_attended(user: User, course: Course) -> int:
    """How many sessions of the course's on-site workshops the user attended."""
    return db.session.scalar(
        select(func.count())
        .select_from(Attendance)
        .join(WorkshopSession, WorkshopSession.id == Attendance.session_id)
        .join(Workshop, Workshop.id == WorkshopSession.workshop_id)
        .where(
            Attendance.user_id == user.id,
            Attendance.present.is_(True),
            Workshop.course_id == course.id,
        )
    )


def may_complete(attempt: Attempt) -> bool:
    """Whether this scored attempt can be the last step of its course's completion."""
    course = attempt.quiz.course
    return (
        bool(attempt.passed)
        and attempt.phase != "pre"
        and (attempt.quiz.key in course.completion_rule.get("quizzes", []))
    )


def evaluate_completion(user: User, course: Course) -> tuple[Completion | None, bool]:
    """Record the completion (and its certificate) the first time the rule is met.

    Returns the completion (if any) and whether this call recorded it.
    """
    existing = get_completion(user, course)
    if existing is not None or not rule_is_met(user, course):
        return existing, False
    completion = Completion(
        user_id=user.id,
        course_id=course.id,
        completed_at=utcnow(),
        rule_version=course.completion_rule.get("version", 1),
        rule=course.completion_rule,
    )
    try:
        with db.session.begin_nested():  # a concurrent request may have recorded it
            db.session.add(completion)
            db.session.flush()
            db.session.add(issue_certificate(completion, user, course))
    except exc.IntegrityError:
        return get_completion(user, course), False
    return completion, True


def new_code() -> str:
    """A random verification code such as ``PAL-7KQ2-M9XD-4HTR`` (about 60 bits)."""
    groups = ["".join(secrets.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(3)]
    return "PAL-" + "-".join(groups)


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


def find_certificate(code: str) -> Certificate | None:
    """The certificate with this code (codes are matched without regard to case)."""
    return db.session.scalar(select(Certificate).where(Certificate.code == code.strip().upper()))


def list_certificates(user: User) -> list[Certificate]:
    """The user's certificates, newest first."""
    return list(
        db.session.scalars(
            select(Certificate)
            .join(Completion)
            .where(Completion.user_id == user.id)
            .order_by(Certificate.issued_at.desc())
        )
    )


def revoke_certificate(actor: User, certificate: Certificate, reason: str) -> None:
    """Revoke a certificate (administrators); the verification page then says so."""
    certificate.revoked_at = certificate.revoked_at or utcnow()
    certificate.revoked_reason = reason.strip()
    db.session.flush()
