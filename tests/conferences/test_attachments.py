"""Case attachments in the file store: written with their row or not at all, images
served only once re-encoded, downloads private and never cached, a store that is down."""

import io
import socket

from PIL import Image

from app.cases import services as cases
from app.cases.attachments import CheckedFile, check_attachment
from app.cases.models import CaseAttachment, ConferenceCase
from app.conferences.recurrence import occurrences
from app.extensions import db
from app.storage import LocalFileStore
from tests.conferences.test_views import CASE, _submit
from tests.helpers import text_of
from tests.tasks import run_queued_tasks


def _jpeg(artist="Dr Someone", size=(16, 16)) -> bytes:
    image = Image.new("RGB", size, "white")
    exif = image.getexif()
    exif[0x013B] = artist
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _case_with(world, files: list[CheckedFile]) -> ConferenceCase:
    stamp = occurrences(world["series"])[0].original_start
    case = cases.submit_case(
        world["clinician"], world["series"], stamp, cases.CaseText(**CASE), files
    )
    db.session.commit()
    return case


def _url(item: CaseAttachment) -> str:
    return f"/conferences/cases/{item.case_id}/files/{item.id}"


def _stored(files: LocalFileStore) -> set[str]:
    return {key for key, _when in files.keys("")}


def test_a_pdf_is_stored_and_served_privately(world, client, login, files):
    case = _case_with(world, [CheckedFile("referral.pdf", "application/pdf", b"%PDF-1.4 x")])
    item = case.attachments[0]
    assert item.ready and files.get(item.storage_key) == b"%PDF-1.4 x"
    login(world["clinician"])
    response = client.get(_url(item))
    assert response.status_code == 200 and response.data == b"%PDF-1.4 x"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "referral.pdf" in response.headers["Content-Disposition"]
    assert response.mimetype == "application/pdf"


def test_an_image_is_served_only_once_re_encoded(world, client, login, files):
    login(world["clinician"])  # first: a request runs what was queued before it ends
    raw = _jpeg()
    case = _case_with(world, [check_attachment("wound.jpg", raw)])
    item = case.attachments[0]
    assert item.pending and not item.ready and files.get(item.quarantine_key) == raw
    raw_key = item.quarantine_key
    waiting = client.get(_url(item))  # the task was queued, has not run yet
    assert waiting.status_code == 303 and waiting.headers["Location"].endswith(f"/cases/{case.id}")
    run_queued_tasks()
    db.session.refresh(item)
    assert item.ready and item.quarantine_key is None
    assert _stored(files) == {item.storage_key} and raw_key not in _stored(files)
    served = client.get(_url(item))
    assert served.status_code == 200 and b"Dr Someone" not in served.data
    assert served.data == files.get(item.storage_key) and item.size == len(served.data)
    with Image.open(io.BytesIO(served.data)) as image:
        assert image.format == "JPEG" and not image.getexif()


def test_the_case_page_says_an_image_is_being_prepared(world, client, login):
    login(world["clinician"])
    case = _case_with(world, [check_attachment("wound.jpg", _jpeg())])
    page = text_of(client.get(f"/conferences/cases/{case.id}"))  # runs the task after
    assert "being prepared" in page and "/files/" not in page
    page = text_of(client.get(f"/conferences/cases/{case.id}"))
    assert "being prepared" not in page and f"/files/{case.attachments[0].id}" in page


def test_an_image_that_cannot_be_decoded_is_never_served(world, client, login, files):
    broken = _jpeg(size=(400, 400))[:700]  # the header reads; the pixels are cut off
    checked = check_attachment("wound.jpg", broken)
    case = _case_with(world, [checked])
    run_queued_tasks()
    item = db.session.get(CaseAttachment, case.attachments[0].id)
    assert not item.ready and not item.pending and _stored(files) == set()
    login(world["clinician"])
    assert client.get(_url(item)).status_code == 404
    assert "could not be read" in text_of(client.get(f"/conferences/cases/{case.id}"))


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_store_that_is_down_refuses_the_upload_and_keeps_nothing(
    world, client, login, app, monkeypatch, files
):
    login(world["clinician"])
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "k")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "s")
    monkeypatch.setitem(app.config, "STORAGE_URL", "s3://palliare")
    monkeypatch.setitem(app.config, "S3_ENDPOINT_URL", f"http://127.0.0.1:{_closed_port()}")
    pdf = (io.BytesIO(b"%PDF-1.4 x"), "referral.pdf")
    response = _submit(client, world, attachments=pdf)
    assert response.status_code == 503
    assert "cannot be stored right now" in text_of(response)
    assert CASE["diagnosis"] in text_of(response)  # the text is kept in the form
    assert db.session.query(ConferenceCase).count() == 0
    assert db.session.query(CaseAttachment).count() == 0


def test_a_failure_after_the_first_file_deletes_it_again(world, client, login, files, monkeypatch):
    login(world["clinician"])
    original, calls = LocalFileStore.put, []

    def second_put_fails(self, key, data, content_type):
        calls.append(key)
        if len(calls) == 2:
            from app.storage import StorageUnavailable

            raise StorageUnavailable("disk full")
        original(self, key, data, content_type)

    monkeypatch.setattr(LocalFileStore, "put", second_put_fails)
    two = [(io.BytesIO(b"%PDF-1.4 a"), "a.pdf"), (io.BytesIO(b"%PDF-1.4 b"), "b.pdf")]
    response = _submit(client, world, attachments=two)
    assert response.status_code == 503 and len(calls) == 2
    assert _stored(files) == set()  # the first file went with the rollback
    assert db.session.query(ConferenceCase).count() == 0


def test_a_row_that_fails_after_its_file_was_written_takes_the_file_along(world, files):
    case = _case_with(world, [CheckedFile("a.pdf", "application/pdf", b"%PDF-1.4 a")])
    stamp = occurrences(world["series"])[0].original_start
    text = cases.CaseText(**CASE)
    cases.submit_case(world["clinician"], world["series"], stamp, text,
                      [CheckedFile("b.pdf", "application/pdf", b"%PDF-1.4 b")])  # fmt: skip
    assert len(_stored(files)) == 2
    db.session.rollback()  # the commit never happened (a crash would leave it: the sweeper)
    assert _stored(files) == {case.attachments[0].storage_key}


def test_others_cannot_download(world, client, login, app):
    case = _case_with(world, [CheckedFile("a.pdf", "application/pdf", b"%PDF-1.4 a")])
    url = _url(case.attachments[0])
    visitor = app.test_client().get(url)
    assert visitor.status_code == 302 and "/login" in visitor.headers["Location"]
    login(world["outsider"])  # another institution's clinician
    assert client.get(url).status_code == 404
    assert client.get(f"/conferences/cases/{case.id}/files/999999").status_code == 404


def test_a_store_down_at_download_time_says_so(world, client, login, app, monkeypatch):
    case = _case_with(world, [CheckedFile("a.pdf", "application/pdf", b"%PDF-1.4 a")])
    login(world["clinician"])
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "k")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "s")
    monkeypatch.setitem(app.config, "STORAGE_URL", "s3://palliare")
    monkeypatch.setitem(app.config, "S3_ENDPOINT_URL", f"http://127.0.0.1:{_closed_port()}")
    response = client.get(_url(case.attachments[0]))
    assert response.status_code == 503 and "try again" in text_of(response)
