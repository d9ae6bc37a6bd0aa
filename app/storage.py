"""Files: case attachments, certificate PDFs and exports, through one small interface.

Two backends behind ``FileStore``, chosen by ``STORAGE_URL``:

- ``file:///abs/path`` (the default: ``instance/files``): a local folder; every write goes
  to a temporary file first and is moved into place (``os.replace``), so a reader never
  sees half a file;
- ``s3://bucket[/prefix]``: any S3-compatible object store through boto3, at
  ``S3_ENDPOINT_URL`` (none: Amazon S3) with the keys from the usual ``AWS_*`` variables.
  Timeouts are short and retries few, so that a store that is down answers in seconds.

Every failure to reach the store is raised as ``StorageUnavailable``, which views turn into
a clear "try again later". A file and the row that points at it are written together or not
at all: write the file first with ``put_with_row`` (it is deleted again if the transaction
rolls back), and delete files that a committed change no longer needs with
``delete_after_commit``. A crash between the two leaves an unreferenced file behind, which
the orphan sweeper (app/storage_tasks.py) removes after an hour.
"""

import contextlib
import logging
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

log = logging.getLogger(__name__)

__all__ = [
    "FileStore",
    "StorageUnavailable",
    "delete_after_commit",
    "file_store",
    "new_key",
    "put_with_row",
    "store_for",
]

TEMPORARY = ".tmp-"  # the local backend's files being written (never keys)
_KEY_PART = re.compile(r"^[A-Za-z0-9._@=+-]+$")


class StorageUnavailable(Exception):
    """The file store cannot be reached (or refuses to work): try again later."""


class FileStore(Protocol):
    """Where files live; keys are ``/``-separated paths such as ``cases/3f…e1.jpg``."""

    def put(self, key: str, data: bytes | Path, content_type: str) -> None:
        """Store ``data`` under ``key``, whole or not at all (replacing what was there);
        a Path is read as it is sent (a video need not fit in memory)."""

    def get(self, key: str) -> bytes:
        """The bytes under ``key``; KeyError when there are none."""

    def delete(self, key: str) -> None:
        """Remove ``key``; nothing happens when it is absent."""

    def exists(self, key: str) -> bool:
        """Whether ``key`` holds a file."""

    def keys(self, prefix: str = "") -> Iterator[tuple[str, datetime]]:
        """Every key that starts with ``prefix``, with its last change (UTC)."""

    def check(self) -> None:
        """Raise StorageUnavailable unless the store answers (for readiness checks)."""

    def size(self, key: str) -> int:
        """The size in bytes of the file under ``key``; KeyError when there is none."""

    def stream(self, key: str, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
        """The bytes ``start`` to ``stop`` (excluded; None: the end) of ``key`` in chunks,
        read as they are sent (a video is never held whole in memory); KeyError when
        there is none. For HTTP range requests (the library's media)."""


def check_key(key: str) -> str:
    """``key`` if it is a safe relative path (no ``..``, no empty or odd parts)."""
    parts = key.split("/") if isinstance(key, str) else []
    if not parts or any(p in {"", ".", ".."} or not _KEY_PART.match(p) for p in parts):
        raise ValueError(f"Not a valid storage key: {key!r}")
    if parts[-1].startswith(TEMPORARY):
        raise ValueError(f"Not a valid storage key: {key!r}")
    return key


def new_key(prefix: str, filename: str) -> str:
    """A fresh key under ``prefix``: a random name (128 bits) with the file's extension.
    The original name is kept in the row, never in the key (names can identify people)."""
    prefix = prefix.strip("/")
    extension = os.path.splitext(filename or "")[1].lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,8}", extension):
        extension = ""
    name = f"{secrets.token_hex(16)}{extension}"
    return check_key(f"{prefix}/{name}" if prefix else name)


class LocalFileStore:
    """Files in a local folder (one machine, or a folder every server mounts)."""

    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()

    def __repr__(self) -> str:
        return f"LocalFileStore({str(self.root)!r})"

    def _path(self, key: str) -> Path:
        path = (self.root / check_key(key)).resolve()
        if not path.is_relative_to(self.root):  # a symbolic link pointing out, say
            raise ValueError(f"Not a valid storage key: {key!r}")
        return path

    def put(self, key: str, data: bytes | Path, content_type: str) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(prefix=TEMPORARY, dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as out:
                    if isinstance(data, Path):
                        with data.open("rb") as source:
                            shutil.copyfileobj(source, out, CHUNK)
                    else:
                        out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temporary, path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as error:  # disk full, read-only, permissions
            raise StorageUnavailable(f"{self!r}: {error}") from error

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise KeyError(key) from None
        except OSError as error:
            raise StorageUnavailable(f"{self!r}: {error}") from error

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink(missing_ok=True)
        except (IsADirectoryError, NotADirectoryError):
            pass
        except OSError as error:
            raise StorageUnavailable(f"{self!r}: {error}") from error

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def keys(self, prefix: str = "") -> Iterator[tuple[str, datetime]]:
        # Walk only the folder the prefix names ("cases/ab" walks cases/).
        start = self.root.joinpath(*prefix.split("/")[:-1]) if "/" in prefix else self.root
        for folder, _dirs, files in os.walk(start):
            for name in files:
                path = Path(folder) / name
                key = path.relative_to(self.root).as_posix()
                if name.startswith(TEMPORARY) or not key.startswith(prefix):
                    continue
                try:
                    modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
                except FileNotFoundError:  # deleted meanwhile
                    continue
                yield key, modified

    def size(self, key: str) -> int:
        try:
            return self._path(key).stat().st_size
        except (FileNotFoundError, NotADirectoryError):
            raise KeyError(key) from None
        except OSError as error:
            raise StorageUnavailable(f"{self!r}: {error}") from error

    def stream(self, key: str, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
        try:
            file = self._path(key).open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise KeyError(key) from None
        except OSError as error:
            raise StorageUnavailable(f"{self!r}: {error}") from error
        return _chunks_of(file, start, stop)

    def temporary_files(self) -> Iterator[tuple[Path, datetime]]:
        """Files a crash left half-written (the sweeper removes the old ones)."""
        for folder, _dirs, files in os.walk(self.root):
            for name in files:
                if name.startswith(TEMPORARY):
                    path = Path(folder) / name
                    try:
                        yield path, datetime.fromtimestamp(path.stat().st_mtime, UTC)
                    except FileNotFoundError:
                        continue

    def check(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageUnavailable(f"{self!r}: {error}") from error
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise StorageUnavailable(f"{self!r}: not writable")


class S3FileStore:
    """Objects in an S3 bucket (Amazon S3, SeaweedFS, MinIO, Garage, Ceph…), under an
    optional prefix. boto3's client is thread-safe; one serves the whole app."""

    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str | None = None):
        import boto3
        from botocore.config import Config

        self.bucket, self.prefix = bucket, f"{prefix.strip('/')}/" if prefix.strip("/") else ""
        self.endpoint_url = endpoint_url
        config = Config(
            connect_timeout=2,
            read_timeout=10,
            retries={"total_max_attempts": 2, "mode": "standard"},
            # Path-style addressing (endpoint/bucket/key) works with every S3-compatible
            # store; Amazon S3 keeps its default.
            s3={"addressing_style": "path"} if endpoint_url else {},
        )
        region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
        self.client = boto3.session.Session().client(
            "s3", endpoint_url=endpoint_url, region_name=region or "us-east-1", config=config
        )
        self._bucket_checked = False

    def __repr__(self) -> str:
        where = f" at {self.endpoint_url}" if self.endpoint_url else ""
        return f"S3FileStore(s3://{self.bucket}/{self.prefix}{where})"

    def _call(self, method: str, **kwargs):
        """Call the client; anything that is not an answer about the key itself becomes
        StorageUnavailable."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return getattr(self.client, method)(Bucket=self.bucket, **kwargs)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code in {"NoSuchKey", "404", "NotFound"}:
                raise KeyError(kwargs.get("Key", "")) from None
            raise StorageUnavailable(f"{self!r}: {code or error}") from error
        except BotoCoreError as error:  # no connection, timeouts, no credentials
            raise StorageUnavailable(f"{self!r}: {error}") from error

    def put(self, key: str, data: bytes | Path, content_type: str) -> None:
        if not self._bucket_checked:
            self.check()
        key = self.prefix + check_key(key)
        try:
            with (
                data.open("rb") if isinstance(data, Path) else contextlib.nullcontext(data) as body
            ):
                self._call("put_object", Key=key, Body=body, ContentType=content_type)
        except KeyError as error:  # a 404 on a write: the bucket is gone
            raise StorageUnavailable(f"{self!r}: no bucket") from error

    def get(self, key: str) -> bytes:
        response = self._call("get_object", Key=self.prefix + check_key(key))
        from botocore.exceptions import BotoCoreError

        try:
            return response["Body"].read()
        except BotoCoreError as error:  # the connection broke while reading
            raise StorageUnavailable(f"{self!r}: {error}") from error

    def delete(self, key: str) -> None:
        with contextlib.suppress(KeyError):
            self._call("delete_object", Key=self.prefix + check_key(key))

    def exists(self, key: str) -> bool:
        try:
            self._call("head_object", Key=self.prefix + check_key(key))
        except KeyError:
            return False
        return True

    def size(self, key: str) -> int:
        return int(self._call("head_object", Key=self.prefix + check_key(key))["ContentLength"])

    def stream(self, key: str, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
        if stop is not None and stop <= start:
            return iter(())
        wanted = f"bytes={start}-{'' if stop is None else stop - 1}"
        response = self._call("get_object", Key=self.prefix + check_key(key), Range=wanted)
        return _s3_chunks(self, response["Body"])

    def keys(self, prefix: str = "") -> Iterator[tuple[str, datetime]]:
        from botocore.exceptions import BotoCoreError, ClientError

        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix + prefix
        )
        try:
            for page in pages:
                for item in page.get("Contents", []):
                    modified = item["LastModified"].astimezone(UTC)
                    yield item["Key"][len(self.prefix) :], modified
        except (BotoCoreError, ClientError) as error:
            raise StorageUnavailable(f"{self!r}: {error}") from error

    def check(self) -> None:
        try:
            self._call("head_bucket")
        except KeyError:
            # A development store (SeaweedFS, MinIO) starts empty: make the bucket.
            # Amazon S3 buckets are made by whoever runs the site, never here.
            if not self.endpoint_url:
                raise StorageUnavailable(f"{self!r}: no such bucket") from None
            try:
                self._call("create_bucket")
            except StorageUnavailable:
                self._call("head_bucket")  # made meanwhile by another process?
        self._bucket_checked = True


CHUNK = 64 * 1024


def _chunks_of(file, start: int, stop: int | None) -> Iterator[bytes]:
    """Read an open local file from ``start`` to ``stop`` in chunks, closing it after."""
    with file:
        file.seek(start)
        left = None if stop is None else max(stop - start, 0)
        while left is None or left > 0:
            chunk = file.read(CHUNK if left is None else min(CHUNK, left))
            if not chunk:
                return
            if left is not None:
                left -= len(chunk)
            yield chunk


def _s3_chunks(store: "S3FileStore", body) -> Iterator[bytes]:
    """An S3 object's body in chunks; a broken connection is StorageUnavailable."""
    from botocore.exceptions import BotoCoreError

    try:
        yield from body.iter_chunks(CHUNK)
    except BotoCoreError as error:
        raise StorageUnavailable(f"{store!r}: {error}") from error
    finally:
        body.close()


def store_for(url: str, s3_endpoint_url: str | None = None) -> FileStore:
    """The store for ``file:///abs/path`` or ``s3://bucket[/prefix]``."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        if parts.netloc not in {"", "localhost"} or not parts.path.startswith("/"):
            raise RuntimeError(f"STORAGE_URL={url!r}: use file:///an/absolute/path")
        return LocalFileStore(unquote(parts.path))
    if parts.scheme == "s3":
        if not parts.netloc:
            raise RuntimeError(f"STORAGE_URL={url!r}: use s3://bucket[/prefix]")
        return S3FileStore(parts.netloc, parts.path.strip("/"), s3_endpoint_url)
    raise RuntimeError(f"STORAGE_URL={url!r}: use file:///path or s3://bucket[/prefix]")


def file_store() -> FileStore:
    """The current app's store (made once per app and ``STORAGE_URL``)."""
    config = current_app.config
    wanted = (config["STORAGE_URL"], config.get("S3_ENDPOINT_URL"))
    cached = current_app.extensions.get("palliare_storage")
    if cached is None or cached[0] != wanted:
        cached = (wanted, store_for(*wanted))
        current_app.extensions["palliare_storage"] = cached
    return cached[1]


# Files written in the session's transaction (deleted if it rolls back), and files to
# delete once it commits. Each entry: (store, key).
WRITTEN = "storage_written"
DOOMED = "storage_doomed"


def put_with_row(key: str, data: bytes | Path, content_type: str) -> None:
    """Write a file whose row is being written in the current transaction: the file
    first (StorageUnavailable: nothing was written), deleted again if the transaction
    rolls back."""
    store = file_store()
    session = db.session()
    if not session.in_transaction():  # so that its end (commit or rollback) is seen
        session.begin()
    store.put(key, data, content_type)
    db.session.info.setdefault(WRITTEN, []).append((store, key))


def delete_after_commit(key: str) -> None:
    """Delete a file once the current transaction, which stops referring to it, commits."""
    db.session.info.setdefault(DOOMED, []).append((file_store(), key))


def _delete_quietly(entries: list) -> None:
    for store, key in entries:
        try:
            store.delete(key)
        except StorageUnavailable:  # the orphan sweeper removes it later
            log.warning("Could not delete %s from %r; the sweeper will", key, store)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    session.info.pop(WRITTEN, None)  # kept: their rows are committed
    _delete_quietly(session.info.pop(DOOMED, []))


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:  # rolled back (a commit has emptied the lists already)
        session.info.pop(DOOMED, None)
        _delete_quietly(session.info.pop(WRITTEN, []))
