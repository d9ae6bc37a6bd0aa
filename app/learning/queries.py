"""Reads of the learner's journey: enrolments, lesson progress, completions, knowledge
gains and certificates."""

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from app.auth.models import User
from app.auth.permissions import REVOKE, scope
from app.courses.models import Course, Enrolment, Lesson, LessonProgress
from app.extensions import db
from app.institutions.models import Institution
from app.learning.models import Certificate, Completion, KnowledgeGain, SubmissionReceipt


class EnrolmentKey(NamedTuple):
    user_id: int
    course_id: int


def get_enrolment(user: User, course: Course) -> Enrolment | None:
    """The user's enrolment in ``course``, if any."""
    return db.session.scalar(
        select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id)
    )


def enrolments_among(user_ids: list[int], course_ids: list[int]) -> set[EnrolmentKey]:
    """Which of these users are enrolled in which of these courses (one query)."""
    rows = db.session.execute(
        select(Enrolment.user_id, Enrolment.course_id).where(
            Enrolment.user_id.in_(user_ids), Enrolment.course_id.in_(course_ids)
        )
    )
    return {EnrolmentKey(*row) for row in rows}


def lesson_progress(user_id: int, lesson: Lesson) -> LessonProgress | None:
    """The user's progress row for ``lesson``, if they opened it."""
    return db.session.scalar(
        select(LessonProgress).where(
            LessonProgress.user_id == user_id, LessonProgress.lesson_id == lesson.id
        )
    )


def lesson_ids(course: Course, which: str = "required") -> set[int]:
    """The ids of the course's current lessons: the ``required`` ones, or ``all``."""
    lessons = select(Lesson.id).where(Lesson.course_id == course.id, Lesson.retired_at.is_(None))
    if which == "required":
        lessons = lessons.where(Lesson.required.is_(True))
    return set(db.session.scalars(lessons))


def completed_lesson_ids(user: User, lesson_ids: set[int]) -> set[int]:
    """Which of ``lesson_ids`` the user completed."""
    return set(
        db.session.scalars(
            select(LessonProgress.lesson_id).where(
                LessonProgress.user_id == user.id,
                LessonProgress.completed_at.is_not(None),
                LessonProgress.lesson_id.in_(lesson_ids),
            )
        )
    )


def get_completion(user: User, course: Course) -> Completion | None:
    """The user's completion of ``course``, if any."""
    return db.session.scalar(
        select(Completion).where(Completion.user_id == user.id, Completion.course_id == course.id)
    )


def get_gain(user: User, course: Course) -> KnowledgeGain | None:
    """The user's knowledge gain in ``course``, if recorded."""
    return db.session.scalar(
        select(KnowledgeGain).where(
            KnowledgeGain.user_id == user.id, KnowledgeGain.course_id == course.id
        )
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


@dataclass(frozen=True)
class CertificateFilter:
    """What the administrators' list of certificates is narrowed to."""

    search: str = ""  # holder's name (as issued or now), e-mail, or code
    course_id: int | None = None
    status: str = ""  # "valid", "revoked" or "" (both)
    user_id: int | None = None  # one person's (linked from their account page)


def search_certificates(viewer: User, where: CertificateFilter, page: int = 1, per_page=50):
    """A page of the certificates ``viewer`` may revoke that match ``where``, newest first
    (the certificate rule as a filter), with holder and course loaded in the same query."""
    query = (
        select(Certificate)
        .join(Certificate.completion)
        .join(User, User.id == Completion.user_id)
        .options(contains_eager(Certificate.completion))
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
    )
    query = scope(viewer, query, Certificate, REVOKE)
    if where.search.strip():
        pattern = f"%{where.search.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(Certificate.holder_name).like(pattern),
                func.lower(User.name).like(pattern),
                func.lower(User.email).like(pattern),
                func.lower(Certificate.code).like(pattern),
            )
        )
    if where.course_id:
        query = query.where(Completion.course_id == where.course_id)
    if where.user_id:
        query = query.where(Completion.user_id == where.user_id)
    if where.status == "valid":
        query = query.where(Certificate.revoked_at.is_(None))
    elif where.status == "revoked":
        query = query.where(Certificate.revoked_at.is_not(None))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def certified_courses() -> list[Course]:
    """The courses anyone holds a certificate of, in catalog order (the list's filter)."""
    held = select(Completion.course_id).join(Certificate.completion)
    return list(
        db.session.scalars(
            select(Course).where(Course.id.in_(held)).order_by(Course.position, Course.key)
        )
    )


@dataclass(frozen=True)
class Issuer:
    """Who stands behind a certificate: the holder's institution and the programmes it
    took part in when the certificate was issued (either may be missing: a learner on an
    open course may belong to no institution)."""

    institution: str | None
    programmes: list[str]


def issuer_of(certificate: Certificate) -> Issuer:
    """The issuer as recorded on the certificate when it was issued."""
    return Issuer(certificate.issuer_institution, list(certificate.issuer_programmes or []))


def completions_without_issuer_at(institution_id: int):
    """The ids of completions by members of an institution whose certificate records no
    issuer (a subquery, for the bulk update of certificates written in bulk)."""
    return (
        select(Completion.id)
        .join(User, User.id == Completion.user_id)
        .where(User.institution_id == institution_id)
        .scalar_subquery()
    )


def list_institutions_with_programmes() -> list[Institution]:
    return list(
        db.session.scalars(select(Institution).options(selectinload(Institution.programmes)))
    )


def current_issuer(user_id: int) -> Issuer:
    """The institution a person belongs to now and its programmes: what a certificate
    issued now records."""
    institution = db.session.scalar(
        select(Institution)
        .join(User, User.institution_id == Institution.id)
        .where(User.id == user_id)
    )
    if institution is None:
        return Issuer(None, [])
    return Issuer(institution.name, sorted(p.name for p in institution.programmes))


def get_receipt(user_id: int, key: str) -> SubmissionReceipt | None:
    """The receipt of the form ``user_id`` sent with ``key``, if one was accepted."""
    return db.session.scalar(
        select(SubmissionReceipt).where(
            SubmissionReceipt.user_id == user_id, SubmissionReceipt.key == key
        )
    )
