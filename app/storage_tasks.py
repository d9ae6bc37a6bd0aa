"""Background tasks of the file store (see app/tasks.py): the sweeper of orphaned files.

A file is written before the row that refers to it (app/storage.py), so a crash between
the two, or a store that could not be reached to delete a file, leaves a file no row
refers to. Each feature declares which prefix of keys its rows own (``owns_files``); every
hour the sweeper deletes the files under those prefixes that are older than an hour and
that no row refers to. Files under a prefix nobody declared are never touched.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from itertools import islice

from app.db_types import utcnow
from app.storage import LocalFileStore, StorageUnavailable, file_store
from app.tasks import crontab, periodic_task

log = logging.getLogger(__name__)

MIN_AGE = timedelta(hours=1)  # younger files may belong to a row not yet committed
BATCH = 500

# Prefix ("cases/") -> a function that, given keys under it, returns those still referred to.
OWNERS: dict[str, Callable[[list[str]], set[str]]] = {}


def owns_files(prefix: str) -> Callable:
    """Declare that rows refer to files under ``prefix``; the decorated function takes a
    list of keys and returns the ones some row still refers to."""

    def decorator(referenced: Callable[[list[str]], set[str]]):
        OWNERS[prefix] = referenced
        return referenced

    return decorator


def _batches(items: Iterable, size: int):
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def sweep_orphans(now: datetime | None = None, min_age: timedelta = MIN_AGE) -> int:
    """Delete the unreferenced files older than ``min_age``; returns how many went."""
    store, cutoff, removed = file_store(), (now or utcnow()) - min_age, 0
    for prefix, referenced in OWNERS.items():
        old = (key for key, modified in store.keys(prefix) if modified < cutoff)
        for batch in _batches(old, BATCH):
            for key in set(batch) - referenced(batch):
                store.delete(key)
                removed += 1
    if isinstance(store, LocalFileStore):  # half-written files of a crashed write
        for path, modified in store.temporary_files():
            if modified < cutoff:
                path.unlink(missing_ok=True)
    return removed


@periodic_task(crontab(minute="23"), lock="storage-orphan-sweeper", lock_ttl=1800)
def sweep_orphaned_files() -> None:
    """Hourly: remove the files a crash or an unreachable store left behind."""
    try:
        removed = sweep_orphans()
    except StorageUnavailable:
        log.warning("File store unavailable; orphaned files will be swept next hour")
        return
    if removed:
        log.info("Removed %d orphaned file(s) from the file store", removed)
