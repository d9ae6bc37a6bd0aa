"""Background tasks of this feature (see app/tasks.py)."""

import logging
from pathlib import Path

from flask import current_app

from app.auth.models import User
from app.courses.content.problems import CourseFilesInvalid
from app.courses.importer import import_courses
from app.courses.queries import get_course
from app.extensions import db
from app.i18n.models import CatalogRevision
from app.notifications.services import notify
from app.tasks import LOCKS, lock_for, task

log = logging.getLogger(__name__)

IMPORT_LOCK = "import-courses"
LOCKS.add(IMPORT_LOCK)  # released when a consumer on the SQLite store starts


@task(retries=5, retry_delay=10)
def import_courses_again(revision_id: int | None = None) -> None:
    """Import the courses again after a catalog revision, so that learners on every server
    see it. The import reads the latest revisions when it runs, so several queued ones do
    the work once; one import at a time (a lock in the queue's store, shared by every
    consumer): a task that finds it taken fails and is retried. The translator who
    uploaded revision ``revision_id`` is told how it went, in the import's transaction
    (a failed import is told too: trying again would not mend the files)."""
    with lock_for(IMPORT_LOCK, ttl=1800):
        try:
            import_courses(Path(current_app.config["COURSES_DIR"]))
        except CourseFilesInvalid as error:
            db.session.rollback()
            log.error("Courses not imported after catalog revision %s: %s", revision_id, error)
            _tell_uploader(revision_id, "failed")
        else:
            _tell_uploader(revision_id, "imported")
        db.session.commit()


def _tell_uploader(revision_id: int | None, variant: str) -> None:
    revision = db.session.get(CatalogRevision, revision_id) if revision_id else None
    # A revision saved by a script (no uploader) has nobody to tell.
    uploader_id = revision.uploaded_by_id if revision else None
    uploader = db.session.get(User, uploader_id) if uploader_id else None
    if uploader is None:
        return
    course = get_course(revision.course_key)
    notify(
        uploader,
        "catalog_imported",
        variant=variant,
        locale=revision.locale,
        course_key=revision.course_key,
        course=dict(course.titles) if course else revision.course_key,
    )
