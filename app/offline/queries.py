"""Reads for the offline manifest: every lesson text a course would serve, at once."""

from sqlalchemy import select

from app.courses.models import LessonText
from app.extensions import db


def lesson_texts(lesson_ids: list[int], locales: set[str]) -> dict[tuple[int, str], LessonText]:
    """The lessons' texts in ``locales``, by (lesson id, locale): one query."""
    if not lesson_ids:
        return {}
    rows = db.session.scalars(
        select(LessonText).where(
            LessonText.lesson_id.in_(lesson_ids), LessonText.locale.in_(sorted(locales))
        )
    )
    return {(row.lesson_id, row.locale): row for row in rows}
