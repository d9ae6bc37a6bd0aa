"""Catalog revisions: an accepted catalog (or an earlier one again) saved in the database
with what it changed, the import queued after the commit; and the latest revisions
written back into courses/ for review (``flask translations export``)."""

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from app.courses.content.catalogs import read_catalog
from app.courses.content.loader import CourseSource
from app.courses.content.problems import ProblemList
from app.exceptions import ValidationFailed
from app.extensions import db
from app.i18n.models import CatalogRevision
from app.i18n.queries import EXPORT_MARK, exported_revision, latest_revisions
from app.i18n.tasks import import_courses_again
from app.tasks import enqueue_after_commit


def save_revision(
    user, course: CourseSource, locale: str, text: str, reverted_from: CatalogRevision | None = None
) -> CatalogRevision:
    """Store ``text`` (a checked catalog) as the latest revision of ``course`` in
    ``locale``, counting what it changes against the catalog learners see now, and queue
    the courses' import for after the commit (flush, no commit)."""
    before = course.catalogs.get(locale)
    old = before.translations if before else {}
    new = read_catalog(text, locale, "revision", ProblemList()).translations
    revision = CatalogRevision(
        course_key=course.id,
        locale=locale,
        content=text,
        uploaded_by_id=user.id if user is not None else None,
        translated=len(new.keys() - old.keys()),
        changed=sum(1 for key in new.keys() & old.keys() if new[key] != old[key]),
        removed=len(old.keys() - new.keys()),
        reverted_from_id=reverted_from.id if reverted_from else None,
    )
    db.session.add(revision)
    db.session.flush()
    enqueue_after_commit(import_courses_again.s(revision.id))
    return revision


def revert_to(user, course: CourseSource, locale: str, revision: CatalogRevision | None):
    """A new revision with the content of an earlier one of the same catalog (flush)."""
    if revision is None or (revision.course_key, revision.locale) != (course.id, locale):
        raise ValidationFailed("That revision is not one of this catalog's.")
    return save_revision(user, course, locale, revision.content, reverted_from=revision)


@dataclass(frozen=True)
class Exported:
    """What ``export_revisions`` did with one catalog."""

    path: Path
    revision: CatalogRevision
    written: bool


def export_revisions(
    root: Path, course_key: str | None = None, locale: str | None = None
) -> list[Exported]:
    """Write each catalog's latest revision into ``root/<course>/translations/<locale>.po``
    (atomically), marked with its number; a file already exported from it is left as it
    is (it may have been edited since, in the repository). Courses no longer in ``root``
    are skipped."""
    done = []
    for revision in latest_revisions(course_key):
        folder = root / revision.course_key
        if (locale and revision.locale != locale) or not (folder / "course.yaml").is_file():
            continue
        path = folder / "translations" / f"{revision.locale}.po"
        if exported_revision(path) == revision.id:
            done.append(Exported(path, revision, written=False))
            continue
        text = without_format_flags(revision.content)
        write_atomically(path, marked(text, revision.id).encode("utf-8"))
        done.append(Exported(path, revision, written=True))
    return done


def marked(text: str, revision_id: int) -> str:
    """``text`` with the export mark of ``revision_id`` in its header comment (just above
    the header entry), replacing any earlier mark."""
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith(EXPORT_MARK)]
    at = next((n for n, line in enumerate(lines) if line.startswith("msgid ")), 0)
    lines.insert(at, f"{EXPORT_MARK}{revision_id}\n")
    return "".join(lines)


def without_format_flags(text: str) -> str:
    """``text`` (a PO file) with no format flag (``python-format``, ``c-format``…): a
    content catalog carries none, whatever tool the translator used (see
    courses/content/merging.py); the other flags (fuzzy) are kept."""
    lines = []
    for line in text.splitlines(keepends=True):
        if line.startswith("#,"):
            flags = [f.strip() for f in line[2:].split(",")]
            kept = [f for f in flags if f and not f.endswith("-format")]
            if not kept:
                continue
            line = f"#, {', '.join(kept)}\n"
        lines.append(line)
    return "".join(lines)


def write_atomically(target: Path, data: bytes) -> None:
    """Put a file in place atomically: readers see the old file or the new, never half."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".po.part")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.chmod(temporary, 0o644)  # as a checkout's files (mkstemp makes them private)
    os.replace(temporary, target)
