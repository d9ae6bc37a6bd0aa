"""Read-only queries on catalog revisions (the importer uses ``latest_catalog_texts``)."""

import re
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import defer

from app.extensions import db
from app.i18n.models import CatalogRevision

# `flask translations export` names the revision it wrote in the file's header comment,
# which Babel, msgmerge and Poedit keep when they rewrite the file.
EXPORT_MARK = "# palliare-catalog-revision: "
_MARK = re.compile(rf"^{re.escape(EXPORT_MARK)}(\d+)[ \t]*$", re.MULTILINE)


def exported_revision(path: Path) -> int | None:
    """The revision a catalog file was exported from (its header comment), or None."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            head = handle.read(4096)
    except FileNotFoundError:
        return None
    header = head.split('msgid "', 1)[0]
    match = _MARK.search(header)
    return int(match.group(1)) if match else None


def _latest_ids(course_key: str | None):
    latest = select(func.max(CatalogRevision.id)).group_by(
        CatalogRevision.course_key, CatalogRevision.locale
    )
    if course_key is not None:
        latest = latest.where(CatalogRevision.course_key == course_key)
    return latest


def latest_catalog_texts(
    root: Path, locales, course_key: str | None = None
) -> dict[str, dict[str, str]]:
    """``{course: {locale: PO text}}``: the latest revision of each catalog in one of
    ``locales`` (one query), except where the file under ``root`` was exported from that
    very revision — then the file is as new, and may carry later edits merged in the
    repository. A language this server does not know yet (a deployment half done) is
    left out rather than failing the import."""
    latest = _latest_ids(course_key)
    rows = db.session.execute(
        select(
            CatalogRevision.id,
            CatalogRevision.course_key,
            CatalogRevision.locale,
            CatalogRevision.content,
        ).where(CatalogRevision.id.in_(latest))
    )
    texts: dict[str, dict[str, str]] = {}
    for revision_id, course, locale, content in rows:
        if locale not in locales:
            continue
        folder = root if (root / "course.yaml").is_file() else root / course  # one course
        if exported_revision(folder / "translations" / f"{locale}.po") == revision_id:
            continue
        texts.setdefault(course, {})[locale] = content
    return texts


def latest_revisions(course_key: str | None = None) -> list[CatalogRevision]:
    """The latest revision of each catalog (of one course, or all), with its content."""
    latest = _latest_ids(course_key)
    query = select(CatalogRevision).where(CatalogRevision.id.in_(latest))
    return list(
        db.session.scalars(query.order_by(CatalogRevision.course_key, CatalogRevision.locale))
    )


def list_revisions(course_key: str, locale: str) -> list[CatalogRevision]:
    """A catalog's revisions, newest first, with who made them (not their content)."""
    query = (
        select(CatalogRevision)
        .options(defer(CatalogRevision.content))
        .where(CatalogRevision.course_key == course_key, CatalogRevision.locale == locale)
        .order_by(CatalogRevision.id.desc())
    )
    return list(db.session.scalars(query))


def get_revision(revision_id: int) -> CatalogRevision | None:
    """One revision by id, or None."""
    return db.session.get(CatalogRevision, revision_id)
