"""Background tasks of this feature (see app/tasks.py)."""

from pathlib import Path

from flask import current_app

from app.courses.importer import import_courses
from app.extensions import db
from app.tasks import LOCKS, lock_for, task

IMPORT_LOCK = "import-courses"
LOCKS.add(IMPORT_LOCK)  # released when a consumer on the SQLite store starts


@task(retries=5, retry_delay=10)
def import_courses_again() -> None:
    """Import the courses again after a catalog revision, so that learners on every server
    see it. The import reads the latest revisions when it runs, so several queued ones do
    the work once; one import at a time (a lock in the queue's store, shared by every
    consumer): a task that finds it taken fails and is retried."""
    with lock_for(IMPORT_LOCK, ttl=1800):
        import_courses(Path(current_app.config["COURSES_DIR"]))
        db.session.commit()
