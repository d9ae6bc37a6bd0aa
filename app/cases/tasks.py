"""Background tasks of this feature (see app/tasks.py): case images re-encoded without
their metadata, and which stored files the cases own (for the orphan sweeper)."""

import logging

from sqlalchemy import or_, select

from app.cases.attachments import UNREADABLE, without_metadata
from app.cases.models import CaseAttachment
from app.extensions import db
from app.storage import delete_after_commit, file_store, new_key, put_with_row
from app.storage_tasks import owns_files
from app.tasks import task

log = logging.getLogger(__name__)

PREFIX = "cases"  # served files: cases/<random>.<ext>
RAW_PREFIX = "cases/raw"  # uploaded images waiting to be re-encoded, never served


def _queued_as(module: str):
    """Keep the name the queue knows a task by (``module.function``) from before it moved
    here, so that calls queued by the release before still run."""

    def keep_name(fn):
        fn.__module__ = module
        return fn

    return keep_name


@task(retries=5, retry_delay=60)
@_queued_as("app.conferences.tasks")
def reencode_attachment(attachment_id: int) -> None:
    """Re-encode an uploaded image, serve the result and delete the raw upload. A store
    that is down raises (Huey retries); an unreadable image is dropped, never served."""
    item = db.session.scalar(
        select(CaseAttachment).where(CaseAttachment.id == attachment_id).with_for_update()
    )
    if item is None or item.quarantine_key is None:  # gone, or done by another worker
        return
    raw_key = item.quarantine_key
    try:
        clean = without_metadata(file_store().get(raw_key))
    except KeyError:
        log.error("Attachment %s: its upload %s is missing from the store", item.id, raw_key)
        clean = None
    except UNREADABLE:
        log.warning("Attachment %s is not a readable image; it will not be served", item.id)
        clean = None
    if clean is not None:
        item.storage_key = new_key(PREFIX, item.filename)
        put_with_row(item.storage_key, clean, item.content_type)
        item.size = len(clean)
    item.quarantine_key = None
    delete_after_commit(raw_key)
    db.session.commit()


@owns_files(f"{PREFIX}/")
def referenced_case_files(keys: list[str]) -> set[str]:
    """The keys an attachment refers to (served, or waiting to be re-encoded)."""
    rows = db.session.execute(
        select(CaseAttachment.storage_key, CaseAttachment.quarantine_key).where(
            or_(CaseAttachment.storage_key.in_(keys), CaseAttachment.quarantine_key.in_(keys))
        )
    )
    return {key for row in rows for key in row if key is not None}
