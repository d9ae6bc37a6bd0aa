"""Reads for adoption and for the links between lessons and protocols."""

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.courses.models import Course, Lesson, LessonProtocol
from app.extensions import db
from app.institutions.models import Institution
from app.protocols.models import Protocol, ProtocolAdoption, ProtocolVersion, VersionState


def get_protocol(slug: str) -> Protocol | None:
    """A protocol by its slug."""
    return db.session.scalars(select(Protocol).where(Protocol.slug == slug)).first()


def list_published(protocol_id: int) -> list[ProtocolVersion]:
    """A protocol's published versions, newest first."""
    return list(
        db.session.scalars(
            select(ProtocolVersion)
            .where(
                ProtocolVersion.protocol_id == protocol_id,
                ProtocolVersion.state == VersionState.PUBLISHED,
            )
            .order_by(ProtocolVersion.number.desc())
        )
    )


def latest_published(protocol_id: int) -> ProtocolVersion | None:
    """A protocol's latest published version, or None."""
    versions = list_published(protocol_id)
    return versions[0] if versions else None


def get_adoption(protocol_id: int, institution_id: int) -> ProtocolAdoption | None:
    """An institution's adoption of a protocol, or None."""
    return db.session.scalars(
        select(ProtocolAdoption).where(
            ProtocolAdoption.protocol_id == protocol_id,
            ProtocolAdoption.institution_id == institution_id,
        )
    ).first()


def list_adoptions(protocol_id: int) -> list[ProtocolAdoption]:
    """Every institution's adoption of a protocol, by institution name."""
    return list(
        db.session.scalars(
            select(ProtocolAdoption)
            .join(Institution, Institution.id == ProtocolAdoption.institution_id)
            .where(ProtocolAdoption.protocol_id == protocol_id)
            .options(
                joinedload(ProtocolAdoption.institution),
                joinedload(ProtocolAdoption.version),
                joinedload(ProtocolAdoption.contact),
            )
            .order_by(Institution.name)
        )
    )


def list_institutions(ids: set[int] | None) -> list[Institution]:
    """Institutions by name: those in ``ids`` (None: every one)."""
    query = select(Institution).order_by(Institution.name)
    if ids is not None:
        query = query.where(Institution.id.in_(ids or {-1}))
    return list(db.session.scalars(query))


def list_members(institution_ids: list[int]) -> list[User]:
    """The active people of these institutions (whom an adoption may name to ask)."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.institution_id.in_(institution_ids or [-1]), User.active.is_(True))
            .order_by(User.name)
        )
    )


def list_teaching_lessons(slug: str) -> list[tuple[Lesson, Course]]:
    """The lessons (not retired, of courses not retired) that teach the protocol."""
    rows = db.session.execute(
        select(Lesson, Course)
        .join(LessonProtocol, LessonProtocol.lesson_id == Lesson.id)
        .join(Course, Course.id == Lesson.course_id)
        .where(
            LessonProtocol.protocol_slug == slug,
            Lesson.retired_at.is_(None),
            Course.retired_at.is_(None),
        )
        .order_by(Course.position, Lesson.position)
    )
    return [(lesson, course) for lesson, course in rows]


def published_versions_column():
    """How many protocol versions are published, as a scalar subquery: part of a course's
    content version, since a lesson page lists the latest published titles of the
    protocols it teaches (published versions are never changed nor unpublished)."""
    return (
        select(func.count())
        .select_from(ProtocolVersion)
        .where(ProtocolVersion.state == VersionState.PUBLISHED)
        .scalar_subquery()
    )


def list_lesson_protocols(lesson_id: int) -> list[tuple[str, str | None]]:
    """(slug, latest published title or None) of each protocol a lesson teaches."""
    slugs = list(
        db.session.scalars(
            select(LessonProtocol.protocol_slug)
            .where(LessonProtocol.lesson_id == lesson_id)
            .order_by(LessonProtocol.protocol_slug)
        )
    )
    if not slugs:
        return []
    titles = {}
    rows = db.session.execute(
        select(Protocol.slug, ProtocolVersion.title)
        .join(ProtocolVersion, ProtocolVersion.protocol_id == Protocol.id)
        .where(Protocol.slug.in_(slugs), ProtocolVersion.state == VersionState.PUBLISHED)
        .order_by(ProtocolVersion.number)
    )
    for slug, title in rows:
        titles[slug] = title  # the highest number comes last
    return [(slug, titles.get(slug)) for slug in slugs]


def due_review_ids(today: date) -> list[tuple[int, date]]:
    """(protocol id, review-by date) of every protocol whose latest published version's
    review-by date has passed and whose authors were not told of that date yet."""
    latest = (
        select(ProtocolVersion.protocol_id, db.func.max(ProtocolVersion.number).label("number"))
        .where(ProtocolVersion.state == VersionState.PUBLISHED)
        .group_by(ProtocolVersion.protocol_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Protocol.id, ProtocolVersion.review_by)
        .join(latest, latest.c.protocol_id == Protocol.id)
        .join(
            ProtocolVersion,
            (ProtocolVersion.protocol_id == Protocol.id)
            & (ProtocolVersion.number == latest.c.number),
        )
        .where(
            ProtocolVersion.review_by < today,
            (Protocol.review_reminded_for.is_(None))
            | (Protocol.review_reminded_for != ProtocolVersion.review_by),
        )
        .order_by(Protocol.id)
    )
    return [(protocol_id, review_by) for protocol_id, review_by in rows]


def list_adoption_figures(programme_id: int | None = None, institution_id: int | None = None):
    """For the dashboards: each published protocol (of ``programme_id``, or adopted by
    ``institution_id``) with its latest version, and each adoption of it (narrowed to
    ``institution_id`` when given): rows (protocol_id, title, latest number, institution
    id, institution name, adopted number, adopted_on), adoption fields None when none."""
    latest = (
        select(ProtocolVersion.protocol_id, db.func.max(ProtocolVersion.number).label("number"))
        .where(ProtocolVersion.state == VersionState.PUBLISHED)
        .group_by(ProtocolVersion.protocol_id)
        .subquery()
    )
    adopted = ProtocolVersion.__table__.alias("adopted")
    adoptions = select(
        ProtocolAdoption.protocol_id,
        ProtocolAdoption.institution_id,
        ProtocolAdoption.adopted_on,
        Institution.name.label("institution_name"),
        adopted.c.number.label("adopted_number"),
    ).join(Institution, Institution.id == ProtocolAdoption.institution_id)
    adoptions = adoptions.join(adopted, adopted.c.id == ProtocolAdoption.version_id)
    if institution_id is not None:
        adoptions = adoptions.where(ProtocolAdoption.institution_id == institution_id)
    adoptions = adoptions.subquery()
    query = (
        select(
            Protocol.id.label("protocol_id"),
            ProtocolVersion.title,
            latest.c.number.label("latest_number"),
            adoptions.c.institution_id,
            adoptions.c.institution_name,
            adoptions.c.adopted_number,
            adoptions.c.adopted_on,
        )
        .join(latest, latest.c.protocol_id == Protocol.id)
        .join(
            ProtocolVersion,
            (ProtocolVersion.protocol_id == Protocol.id)
            & (ProtocolVersion.number == latest.c.number),
        )
        .outerjoin(adoptions, adoptions.c.protocol_id == Protocol.id)
        .order_by(ProtocolVersion.title, Protocol.id, adoptions.c.institution_name)
    )
    if programme_id is not None:
        query = query.where(Protocol.programme_id == programme_id)
    else:
        query = query.where(adoptions.c.institution_id.is_not(None))
    return list(db.session.execute(query))
