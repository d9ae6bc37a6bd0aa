"""Files chosen for a refused case are kept (issue 16): shown as "kept: x.pdf" with a box
to remove them, submitted with the corrected case, for that person and series only, and
swept away when never submitted."""

import io
import re
from datetime import timedelta

from app.cases import pending
from app.cases.models import CaseAttachment, ConferenceCase
from app.db_types import utcnow
from app.extensions import db
from app.storage import LocalFileStore
from app.storage_tasks import sweep_orphans
from tests.conferences.test_views import CASE, _next_stamp
from tests.helpers import csrf_token, text_of

IIN = "Lives alone. IIN 900101350011 on the referral."


def _post(client, world, **changes):
    url = f"/conferences/{world['series'].id}/cases/new"
    data = {"csrf_token": csrf_token(client, url), **CASE, "occurrence": _next_stamp(world)}
    data.update(changes)
    return client.post(url, data=data, content_type="multipart/form-data")


def _kept_field(html: str) -> str:
    return re.search(r'name="kept" value="([^"]+)"', html).group(1)


def _pending(files: LocalFileStore) -> set[str]:
    return {key for key, _when in files.keys("cases/pending/")}


def test_files_of_a_refused_case_are_kept_and_submitted_with_it(world, client, login, files):
    login(world["clinician"])
    pdf = (io.BytesIO(b"%PDF-1.4 referral"), "referral.pdf")
    refused = _post(client, world, context=IIN, attachments=pdf)
    html = text_of(refused)
    assert refused.status_code == 422 and "kept: referral.pdf" in html
    assert len(_pending(files)) == 1
    response = _post(client, world, kept=_kept_field(html))  # no file chosen again
    assert response.status_code == 302
    [item] = db.session.query(CaseAttachment).all()
    assert item.filename == "referral.pdf" and files.get(item.storage_key) == b"%PDF-1.4 referral"
    assert _pending(files) == set()  # the pending copy went after the commit


def test_a_kept_file_can_be_removed_and_new_ones_added(world, client, login, files):
    login(world["clinician"])
    first = _post(client, world, context=IIN, attachments=(io.BytesIO(b"%PDF-1.4 a"), "a.pdf"))
    [key] = _pending(files)
    second = _post(
        client,
        world,
        kept=_kept_field(text_of(first)),
        remove_kept=key,
        attachments=(io.BytesIO(b"%PDF-1.4 b"), "b.pdf"),
    )
    assert second.status_code == 302
    assert [a.filename for a in db.session.query(CaseAttachment)] == ["b.pdf"]


def test_a_missing_field_keeps_the_files_too(world, client, login, files):
    login(world["clinician"])
    response = _post(client, world, question="", attachments=(io.BytesIO(b"%PDF-1.4 a"), "a.pdf"))
    assert response.status_code == 422 and "kept: a.pdf" in text_of(response)


def test_kept_files_count_toward_the_limit(world, client, login, files):
    login(world["clinician"])
    three = [(io.BytesIO(b"%PDF-1.4 " + bytes([65 + n])), f"{n}.pdf") for n in range(3)]
    first = _post(client, world, context=IIN, attachments=three)
    again = _post(
        client,
        world,
        kept=_kept_field(text_of(first)),
        attachments=(io.BytesIO(b"%PDF-1.4 x"), "x.pdf"),
    )
    assert again.status_code == 422 and "At most 3 attachments." in text_of(again)
    assert db.session.query(ConferenceCase).count() == 0


def test_a_forged_or_borrowed_field_names_nothing(world, client, login, files, app):
    login(world["clinician"])
    first = _post(client, world, context=IIN, attachments=(io.BytesIO(b"%PDF-1.4 a"), "a.pdf"))
    field = _kept_field(text_of(first))
    other_series = world["series"].id + 1
    with app.test_request_context():
        assert pending.read_kept(field, world["colleague"].id, world["series"].id) == []
        assert pending.read_kept(field, world["clinician"].id, other_series) == []
        assert pending.read_kept(field[:-2] + "xx", world["clinician"].id, world["series"].id) == []
        assert len(pending.read_kept(field, world["clinician"].id, world["series"].id)) == 1
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(world["colleague"])  # another participant replays the field: nothing is attached
    response = _post(client, world, kept=field)
    assert response.status_code == 302
    assert db.session.query(CaseAttachment).count() == 0


def test_a_kept_file_swept_meanwhile_is_asked_for_again(world, client, login, files):
    login(world["clinician"])
    first = _post(client, world, context=IIN, attachments=(io.BytesIO(b"%PDF-1.4 a"), "a.pdf"))
    assert sweep_orphans(now=utcnow() + timedelta(hours=2)) == 1  # never submitted: swept
    response = _post(client, world, kept=_kept_field(text_of(first)))
    assert response.status_code == 422
    assert "a.pdf was kept too long and is gone: choose it again." in text_of(response)
    assert "kept: a.pdf" not in text_of(response)
    assert db.session.query(ConferenceCase).count() == 0


def test_when_the_store_is_down_the_form_says_to_choose_the_files_again(
    world, client, login, files, monkeypatch
):
    from app.storage import StorageUnavailable

    def down(self, key, data, content_type):
        raise StorageUnavailable("disk full")

    login(world["clinician"])
    monkeypatch.setattr(LocalFileStore, "put", down)
    response = _post(client, world, context=IIN, attachments=(io.BytesIO(b"%PDF-1.4 a"), "a.pdf"))
    assert response.status_code == 422
    assert "choose them again before you submit" in text_of(response)
