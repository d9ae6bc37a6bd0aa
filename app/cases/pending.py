"""Files chosen for a case that was refused (it identified the patient, or a field was
missing): kept in the file store so that the submitter need not choose them again, which
no browser allows a page to do for them.

They are written under ``cases/pending/`` and named in a signed hidden field of the form
(key, name, type; for this person and this series, for an hour). No row refers to them,
so the hourly orphan sweeper (app/storage_tasks.py, which owns ``cases/`` through
app/cases/tasks.py) removes those never submitted; a submitted case copies them under
its own keys and they are deleted after the commit. Like raw images, they are never
served."""

from dataclasses import asdict, dataclass

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.cases.attachments import CheckedFile, check_attachment
from app.cases.tasks import PREFIX
from app.exceptions import ValidationFailed
from app.storage import delete_after_commit, file_store, new_key
from app.storage_tasks import MIN_AGE

PENDING_PREFIX = f"{PREFIX}/pending"
SALT = "cases-kept-files"
# The sweeper deletes unreferenced files older than MIN_AGE; a field older than that may
# name files that are gone, so it is not trusted beyond it.
MAX_AGE = int(MIN_AGE.total_seconds())


@dataclass(frozen=True)
class KeptFile:
    key: str
    filename: str
    content_type: str


class KeptFileGone(ValidationFailed):
    """A kept file is no longer in the store (kept too long): it must be chosen again."""

    def __init__(self, kept: KeptFile):
        super().__init__(
            _("%(name)s was kept too long and is gone: choose it again.", name=kept.filename),
            "attachments",
        )
        self.kept = kept


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def keep_files(files: list[CheckedFile]) -> list[KeptFile]:
    """Write ``files`` to the store as pending uploads (StorageUnavailable if it is down)."""
    store, kept = file_store(), []
    for checked in files:
        key = new_key(PENDING_PREFIX, checked.filename)
        store.put(key, checked.data, checked.content_type)
        kept.append(KeptFile(key, checked.filename, checked.content_type))
    return kept


def sign_kept(kept: list[KeptFile], user_id: int, series_id: int) -> str:
    """The hidden field's value: the kept files, for this person and series only."""
    return _serializer().dumps([user_id, series_id, [asdict(k) for k in kept]])


def read_kept(value: str, user_id: int, series_id: int) -> list[KeptFile]:
    """The kept files a form names; nothing when the field is absent, forged, too old, or
    another person's or another series'."""
    if not value:
        return []
    try:
        owner, series, items = _serializer().loads(value, max_age=MAX_AGE)
        if (owner, series) != (user_id, series_id):
            return []
        kept = [KeptFile(**item) for item in items]
    except (BadSignature, TypeError, ValueError):
        return []
    return [k for k in kept if k.key.startswith(f"{PENDING_PREFIX}/")]


def load_kept(kept: list[KeptFile]) -> list[CheckedFile]:
    """The kept files' contents, checked again as uploads are; KeptFileGone for one the
    sweeper removed meanwhile, StorageUnavailable if the store is down."""
    store, files = file_store(), []
    for item in kept:
        try:
            data = store.get(item.key)
        except KeyError:
            raise KeptFileGone(item) from None
        files.append(check_attachment(item.filename, data))
    return files


def discard_kept(kept: list[KeptFile]) -> None:
    """Delete the pending copies once the case that took them is committed."""
    for item in kept:
        delete_after_commit(item.key)
