"""Certificate PDFs in the file store: made once per language (ahead, by a task, or at
the first download), served from the store, private, and gone once revoked."""

import pytest

from app.auth.models import Role
from app.extensions import db
from app.learning import tasks
from app.learning.models import Certificate
from tests.factories import make_user
from tests.helpers import post_form
from tests.quizzes.test_views import _completed


def _stored(files) -> set[str]:
    return {key for key, _when in files.keys("")}


def test_the_first_download_makes_and_keeps_the_pdf(client, login, quiz_course, files, monkeypatch):
    _user, certificate = _completed(client, login, quiz_course)
    url = f"/certificates/{certificate.code}/pdf"
    first = client.get(url)
    assert first.status_code == 200 and first.data.startswith(b"%PDF")
    assert first.headers["Cache-Control"] == "private, no-store"
    assert "attachment" in first.headers["Content-Disposition"]
    assert _stored(files) == {f"certificates/{certificate.code}/en.pdf"}

    def no_rendering(*args):
        raise AssertionError("made again")

    with monkeypatch.context() as patched:
        patched.setattr(tasks, "render_certificate", no_rendering)
        again = client.get(url)
    assert again.status_code == 200 and again.data == first.data
    client.get("/?lang=kk")
    assert client.get(url).status_code == 200  # another language: another file
    assert _stored(files) == {
        f"certificates/{certificate.code}/{lang}.pdf" for lang in ("en", "kk")
    }


def test_the_certificate_page_has_the_pdf_made_meanwhile(client, login, quiz_course, files):
    _user, certificate = _completed(client, login, quiz_course)
    assert client.get(f"/certificates/{certificate.code}").status_code == 200
    assert _stored(files) == {f"certificates/{certificate.code}/en.pdf"}  # by the task


def test_a_store_that_is_down_still_gives_the_pdf(client, login, quiz_course, app, monkeypatch):
    _user, certificate = _completed(client, login, quiz_course)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "k")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "s")
    monkeypatch.setitem(app.config, "STORAGE_URL", "s3://palliare")
    monkeypatch.setitem(app.config, "S3_ENDPOINT_URL", "http://127.0.0.1:9")
    response = client.get(f"/certificates/{certificate.code}/pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_revoking_removes_the_stored_pdfs(client, login, quiz_course, app, files):
    _user, certificate = _completed(client, login, quiz_course)
    assert client.get(f"/certificates/{certificate.code}/pdf").status_code == 200
    assert _stored(files)
    admin = app.test_client()
    admin_user = make_user(roles=[Role.ADMIN])
    post_form(admin, "/login", {"email": admin_user.email, "password": "palliare-demo"})
    url = f"/certificates/{certificate.code}"
    post_form(admin, f"{url}/revoke", {"reason": "Issued in error"}, form_page=url)
    assert db.session.get(Certificate, certificate.id).revoked_at is not None
    assert _stored(files) == set()  # deleted by the task queued after the commit
    assert client.get(f"{url}/pdf").status_code == 410


@pytest.mark.parametrize("revoked", [False, True])
def test_the_task_makes_the_pdf_unless_revoked(client, login, quiz_course, files, revoked):
    from app.db_types import utcnow

    _user, certificate = _completed(client, login, quiz_course)
    if revoked:
        certificate.revoked_at = utcnow()
        db.session.commit()
    tasks.generate_certificate_pdf.call_local(certificate.id, "zh_Hans", "https://x.test/v")
    expected = set() if revoked else {f"certificates/{certificate.code}/zh_Hans.pdf"}
    assert _stored(files) == expected
