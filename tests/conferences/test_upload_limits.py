"""Image uploads cannot tie up a worker (issue 14): the number of files and their sizes
are checked before any file is read as an image, dimensions come from the header, and
the background re-encoding has limits of its own."""

import io
import struct
import time
import zlib

import pytest
from PIL import Image

from app.cases import attachments
from app.cases import views as case_views
from app.cases.attachments import (
    MAX_BYTES,
    MAX_FILES,
    MAX_SIDE,
    check_attachment,
    without_metadata,
)
from app.cases.models import ConferenceCase
from app.exceptions import ValidationFailed
from app.extensions import db
from tests.conferences.test_views import _submit
from tests.helpers import text_of


def _png(size=(64, 64)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "PNG")
    return out.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width × height and whose pixel data is nearly empty."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.fixture
def checked(monkeypatch):
    """How many uploads the view handed to check_attachment (which opens images)."""
    calls = []

    def counting(filename, data):
        calls.append(filename)
        return check_attachment(filename, data)

    monkeypatch.setattr(case_views, "check_attachment", counting)
    return calls


def test_too_many_files_are_refused_before_any_is_opened(world, client, login, checked):
    login(world["clinician"])
    files = [(io.BytesIO(_png()), f"scan{i}.png") for i in range(20)]
    started = time.perf_counter()
    response = _submit(client, world, attachments=files)
    assert response.status_code == 422
    assert f"At most {MAX_FILES} attachments" in text_of(response)
    assert checked == []
    assert db.session.query(ConferenceCase).count() == 0
    assert time.perf_counter() - started < 2


def test_a_file_too_large_is_refused_before_any_is_opened(world, client, login, checked):
    login(world["clinician"])
    big = io.BytesIO(b"%PDF-1.4 " + b"x" * MAX_BYTES)
    response = _submit(client, world, attachments=[(big, "big.pdf")])
    assert response.status_code == 422 and "big.pdf is larger than 5 MB" in text_of(response)
    assert checked == []


def test_three_files_are_still_accepted(world, client, login, checked):
    login(world["clinician"])
    files = [(io.BytesIO(_png()), f"scan{i}.png") for i in range(MAX_FILES)]
    assert _submit(client, world, attachments=files).status_code == 302
    assert len(checked) == MAX_FILES


def test_dimensions_come_from_the_header_without_decoding(app, monkeypatch):
    def no_decoding(*_args, **_kwargs):
        raise AssertionError("pixels decoded in the request")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    monkeypatch.setattr(Image.core, "decoder", no_decoding, raising=False)
    with app.test_request_context():
        assert check_attachment("ok.png", _png_header_only(4000, 3000)).is_image
        for width, height in ((8000, 6000), (MAX_SIDE + 1, 10), (100_000, 100_000)):
            with pytest.raises(ValidationFailed):
                check_attachment("huge.png", _png_header_only(width, height))


def test_the_background_re_encoding_refuses_an_image_beyond_the_limits():
    with pytest.raises(attachments.UNREADABLE):
        without_metadata(_png((MAX_SIDE + 1, 10)))  # decodable, but too long a strip


def test_a_large_photograph_is_re_encoded_at_a_readable_reduced_size():
    out = io.BytesIO()
    Image.new("RGB", (8000, 4000), "white").save(out, "JPEG", quality=50)
    with Image.open(io.BytesIO(without_metadata(out.getvalue()))) as clean:
        assert max(clean.size) <= attachments.MAX_SERVED_SIDE
        assert clean.size[0] == 2 * clean.size[1]
