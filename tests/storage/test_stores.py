"""One contract for both backends (a local folder, S3 on a real SeaweedFS): what
app/storage.py promises everything that stores files."""

import socket
import time
from datetime import UTC, datetime, timedelta

import pytest

from app.storage import (
    LocalFileStore,
    S3FileStore,
    StorageUnavailable,
    check_key,
    file_store,
    new_key,
    store_for,
)


def test_put_get_exists_delete(store):
    key = new_key("cases", "scan.JPG")
    assert not store.exists(key)
    store.put(key, b"\xff\xd8 first", "image/jpeg")
    store.put(key, b"\xff\xd8 second", "image/jpeg")  # replaces
    assert store.exists(key) and store.get(key) == b"\xff\xd8 second"
    store.delete(key)
    store.delete(key)  # absent: no error
    assert not store.exists(key)
    with pytest.raises(KeyError):
        store.get(key)


def test_keys_lists_a_prefix_with_utc_times(store):
    before = datetime.now(UTC) - timedelta(minutes=5)
    written = {new_key("cases", "a.pdf"), new_key("cases", "b.png"), "certificates/PAL-1/en.pdf"}
    for key in written:
        store.put(key, b"x", "application/octet-stream")
    listed = dict(store.keys("cases/"))
    assert set(listed) == {k for k in written if k.startswith("cases/")}
    assert all(
        before < when <= datetime.now(UTC) + timedelta(minutes=5) for when in listed.values()
    )
    assert all(when.tzinfo is not None for when in listed.values())
    assert set(dict(store.keys())) == written
    assert dict(store.keys("certificates/PAL-1/")).keys() == {"certificates/PAL-1/en.pdf"}
    assert list(store.keys("nothing/")) == []


def test_check_answers_and_bytes_survive_unchanged(store):
    store.check()
    data = bytes(range(256)) * 4096  # a megabyte of every byte value
    store.put("exports/big.bin", data, "application/octet-stream")
    assert store.get("exports/big.bin") == data


@pytest.mark.parametrize(
    "key", ["../etc/passwd", "cases/../../x", "/abs", "cases//x", "", "cases/.", "a\\b", "a/b c"]
)
def test_keys_never_escape_the_root(key, tmp_path):
    with pytest.raises(ValueError):
        check_key(key)
    with pytest.raises(ValueError):
        LocalFileStore(tmp_path).put(key, b"x", "text/plain")
    assert list(tmp_path.parent.glob("passwd")) == []


def test_new_keys_are_unique_and_carry_no_name():
    keys = {new_key("cases/raw", "Mrs Ivanova's wound.JPEG") for _ in range(1000)}
    assert len(keys) == 1000
    assert all(k.startswith("cases/raw/") and k.endswith(".jpeg") for k in keys)
    assert not any("ivanova" in k.lower() for k in keys)
    assert new_key("x", "no extension").count(".") == 0
    assert new_key("x", "evil.ph p").count(".") == 0


def test_local_writes_are_atomic(tmp_path, monkeypatch):
    store = LocalFileStore(tmp_path)
    store.put("a/b.txt", b"old", "text/plain")

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.fsync", broken_fsync)
    with pytest.raises(StorageUnavailable):
        store.put("a/b.txt", b"new, half written", "text/plain")
    assert store.get("a/b.txt") == b"old"  # the old file, whole; no temporary left
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["b.txt"]


def test_a_local_folder_that_cannot_be_made_is_unavailable(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    store = LocalFileStore(tmp_path / "file" / "files")
    with pytest.raises(StorageUnavailable):
        store.check()
    with pytest.raises(StorageUnavailable):
        store.put("cases/x.pdf", b"%PDF", "application/pdf")


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_dead_s3_store_answers_quickly(s3_keys):
    store = S3FileStore("palliare", "", f"http://127.0.0.1:{_closed_port()}")
    started = time.monotonic()
    calls = (
        store.check,
        lambda: store.put("a/b", b"x", "text/plain"),
        lambda: store.get("a"),
        lambda: list(store.keys()),
        lambda: store.exists("a"),
        lambda: store.delete("a"),
    )
    for call in calls:
        with pytest.raises(StorageUnavailable):
            call()
    assert time.monotonic() - started < 15


def test_missing_s3_credentials_make_the_store_unavailable(seaweedfs, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    store = S3FileStore("palliare-nokeys", "", seaweedfs.endpoint)
    with pytest.raises(StorageUnavailable):
        store.put("a/b", b"x", "text/plain")


def test_store_urls(tmp_path, app, monkeypatch):
    assert isinstance(store_for(f"file://{tmp_path}"), LocalFileStore)
    s3 = store_for("s3://bucket-name/some/prefix", "http://127.0.0.1:1")
    assert (s3.bucket, s3.prefix) == ("bucket-name", "some/prefix/")
    for bad in ("file://relative/path", "ftp://x", "s3://", "files"):
        with pytest.raises(RuntimeError):
            store_for(bad)
    monkeypatch.setitem(app.config, "STORAGE_URL", f"file://{tmp_path}/one")
    first = file_store()
    assert file_store() is first  # made once per app and setting
    monkeypatch.setitem(app.config, "STORAGE_URL", f"file://{tmp_path}/two")
    assert file_store().root == (tmp_path / "two").resolve()
