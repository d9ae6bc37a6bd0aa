"""Lessons and the protocols they teach: which version a lesson's link opens for a
reader (their institution's adopted one, else the latest), the lessons listed on a
protocol's page, and the protocols listed on a lesson's page (a template global, since
the lesson page sits below protocols and may not import it)."""

from app.protocols import adoption_queries as queries
from app.protocols.models import Protocol, ProtocolVersion


def version_for_reader(protocol: Protocol, published: list[ProtocolVersion], reader):
    """The version adopted at ``reader``'s institution, else the latest published one
    (``published`` newest first, not empty)."""
    if reader.institution_id:
        adoption = queries.get_adoption(protocol.id, reader.institution_id)
        if adoption is not None:
            return adoption.version
    return published[0]


def lesson_protocols(lesson) -> list[tuple[str, str]]:
    """(slug, title) of the protocols ``lesson`` teaches; one not published yet shows
    its slug (its link says it is not there yet)."""
    return [(slug, title or slug) for slug, title in queries.list_lesson_protocols(lesson.id)]


def teaching_lessons(slug: str, locale: str) -> list[dict]:
    """The lessons that teach the protocol: course and lesson titles in ``locale``."""
    return [
        {
            "course_key": course.key,
            "lesson_key": lesson.key,
            "course": course.title(locale),
            "lesson": lesson.title(locale),
        }
        for lesson, course in queries.list_teaching_lessons(slug)
    ]
