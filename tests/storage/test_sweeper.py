"""The orphan sweeper: files no row refers to, older than an hour, go; nothing else."""

import os
from datetime import timedelta

from app.cases import services as cases
from app.cases.attachments import CheckedFile
from app.conferences.recurrence import occurrences
from app.db_types import utcnow
from app.extensions import db
from app.storage import LocalFileStore, new_key, put_with_row
from app.storage_tasks import sweep_orphaned_files, sweep_orphans
from tests.conferences.test_views import CASE

LATER = timedelta(hours=2)  # the sweep runs as if two hours had passed


def _keys(store) -> set[str]:
    return {key for key, _when in store.keys("")}


def _submit(world, files):
    stamp = occurrences(world["series"])[0].original_start
    text = cases.CaseText(**CASE)
    return cases.submit_case(world["clinician"], world["series"], stamp, text, files)


def test_a_crash_between_file_and_row_leaves_an_orphan_the_sweeper_removes(world, app_store):
    kept = _submit(world, [CheckedFile("kept.pdf", "application/pdf", b"%PDF-1.4 k")])
    db.session.commit()
    # A crash after the file was written, before its row was committed: the file stays
    # (the rollback that would delete it never runs).
    orphan = new_key("cases", "lost.pdf")
    app_store.put(orphan, b"%PDF-1.4 lost", "application/pdf")
    elsewhere = "exports/report.xlsx"  # a prefix no feature declared: never swept
    app_store.put(elsewhere, b"PK", "application/octet-stream")
    assert sweep_orphans() == 0  # younger than an hour: may belong to a row being written
    assert sweep_orphans(now=utcnow() + LATER) == 1
    assert _keys(app_store) == {kept.attachments[0].storage_key, elsewhere}


def test_images_waiting_for_re_encoding_are_referenced(world, app_store):
    from app.cases.attachments import check_attachment
    from tests.conferences.test_attachments import _jpeg

    case = _submit(world, [check_attachment("w.jpg", _jpeg())])
    db.session.commit()
    assert sweep_orphans(now=utcnow() + LATER) == 0
    assert _keys(app_store) == {case.attachments[0].quarantine_key}


def test_certificate_pdfs_of_revoked_or_unknown_certificates_go(
    app_store, client, login, quiz_course
):
    from tests.quizzes.test_views import _completed

    _user, certificate = _completed(client, login, quiz_course)
    valid = f"certificates/{certificate.code}/en.pdf"
    unknown = "certificates/PAL-GONE-GONE-GONE/en.pdf"
    for key in (valid, unknown):
        app_store.put(key, b"%PDF", "application/pdf")
    assert sweep_orphans(now=utcnow() + LATER) == 1
    assert _keys(app_store) == {valid}
    certificate.revoked_at = utcnow()
    db.session.commit()
    assert sweep_orphans(now=utcnow() + LATER) == 1 and _keys(app_store) == set()


def test_the_periodic_task_sweeps_and_half_written_local_files_go(tmp_path, app, monkeypatch):
    monkeypatch.setitem(app.config, "STORAGE_URL", f"file://{tmp_path}")
    store = LocalFileStore(tmp_path)
    store.put("cases/old.pdf", b"x", "application/pdf")
    (tmp_path / "cases" / ".tmp-crashed").write_bytes(b"half")
    (tmp_path / "cases" / ".tmp-writing").write_bytes(b"half")
    hours_ago = (utcnow() - LATER).timestamp()
    for name in ("old.pdf", ".tmp-crashed"):
        os.utime(tmp_path / "cases" / name, (hours_ago, hours_ago))
    sweep_orphaned_files.call_local()
    assert sorted(p.name for p in (tmp_path / "cases").iterdir()) == [".tmp-writing"]


def test_a_store_that_is_down_is_swept_next_time(app, monkeypatch):
    monkeypatch.setitem(app.config, "STORAGE_URL", "s3://palliare")
    monkeypatch.setitem(app.config, "S3_ENDPOINT_URL", "http://127.0.0.1:9")
    sweep_orphaned_files.call_local()  # logged, not raised


def test_a_rolled_back_row_takes_its_file_along(app_store):
    key = new_key("cases", "a.pdf")
    put_with_row(key, b"%PDF", "application/pdf")
    assert app_store.exists(key)
    db.session.rollback()
    assert not app_store.exists(key)
