"""Certificate PDFs go to a folder of each test's own."""

import pytest


@pytest.fixture(autouse=True)
def files(app, tmp_path, monkeypatch):
    """The file store (app/storage.py) of this test: a fresh local folder."""
    from app.storage import file_store

    monkeypatch.setitem(app.config, "STORAGE_URL", f"file://{tmp_path / 'files'}")
    return file_store()
