"""Media with HTTP range requests, from both file stores (a local folder, S3 on a real
SeaweedFS): whole files, one range, open and suffix ranges, 416, ETag and If-Range."""

import pytest

from tests.library.conftest import stored_video

DATA = bytes(range(256)) * 400  # 102,400 bytes: larger than one chunk (64 KB)


@pytest.fixture
def video(app_store):
    return stored_video(files={"360p": DATA, "poster": b"\xff\xd8 poster"})


def test_the_whole_file_says_it_accepts_ranges(client, video):
    response = client.get("/library/what-matters/360p")
    assert response.status_code == 200 and response.data == DATA
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["Content-Length"] == str(len(DATA))
    assert response.headers["Content-Type"] == "video/mp4"
    assert response.headers["Cache-Control"].startswith("public")
    assert response.headers["ETag"].startswith('"')


@pytest.mark.parametrize(
    ("header", "start", "stop"),
    [
        ("bytes=0-99", 0, 100),
        ("bytes=100-70000", 100, 70001),  # across a chunk
        ("bytes=100000-", 100000, len(DATA)),  # open: to the end
        ("bytes=-500", len(DATA) - 500, len(DATA)),  # the last 500 bytes
        ("bytes=102000-999999", 102000, len(DATA)),  # past the end: cut to it
    ],
)
def test_one_range_is_206_with_its_content_range(client, video, header, start, stop):
    response = client.get("/library/what-matters/360p", headers={"Range": header})
    assert response.status_code == 206
    assert response.data == DATA[start:stop]
    assert response.headers["Content-Range"] == f"bytes {start}-{stop - 1}/{len(DATA)}"
    assert response.headers["Content-Length"] == str(stop - start)


def test_a_range_past_the_end_is_416(client, video):
    response = client.get("/library/what-matters/360p", headers={"Range": "bytes=200000-"})
    assert response.status_code == 416
    assert response.headers["Content-Range"] == f"bytes */{len(DATA)}"


@pytest.mark.parametrize("header", ["bytes=0-1,5-9", "lines=0-5", "bytes=abc"])
def test_several_or_odd_ranges_get_the_whole_file(client, video, header):
    response = client.get("/library/what-matters/360p", headers={"Range": header})
    assert response.status_code == 200 and response.data == DATA


def test_etag_answers_304_and_a_stale_if_range_gets_the_whole_file(client, video):
    etag = client.get("/library/what-matters/360p").headers["ETag"]
    again = client.get("/library/what-matters/360p", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    same = client.get(
        "/library/what-matters/360p", headers={"Range": "bytes=0-9", "If-Range": etag}
    )
    assert same.status_code == 206 and same.data == DATA[:10]
    stale = client.get(
        "/library/what-matters/360p", headers={"Range": "bytes=0-9", "If-Range": '"other"'}
    )
    assert stale.status_code == 200 and stale.data == DATA


def test_head_sends_the_headers_only(client, video):
    response = client.head("/library/what-matters/360p")
    assert response.status_code == 200 and response.data == b""
    assert response.headers["Content-Length"] == str(len(DATA))


def test_download_and_poster(client, video):
    download = client.get("/library/what-matters/360p?download=1")
    assert download.headers["Content-Disposition"] == 'attachment; filename="what-matters-360p.mp4"'
    poster = client.get("/library/what-matters/poster")
    assert poster.status_code == 200 and poster.headers["Content-Type"] == "image/jpeg"


def test_what_the_video_lacks_or_the_public_may_not_see_is_404(client, video):
    assert client.get("/library/what-matters/audio").status_code == 404  # no such rendition
    assert client.get("/library/nothing/360p").status_code == 404
    stored_video(slug="draft", published=False)
    assert client.get("/library/draft/360p").status_code == 404
    assert client.get("/library/draft").status_code == 404


def test_the_store_streams_a_range_directly(app_store, tmp_path):
    source = tmp_path / "x.mp4"
    source.write_bytes(DATA)
    app_store.put("library/media/x.mp4", source, "video/mp4")  # a file, read as it is sent
    assert app_store.get("library/media/x.mp4") == DATA
    assert app_store.size("library/media/x.mp4") == len(DATA)
    assert b"".join(app_store.stream("library/media/x.mp4", 10, 70000)) == DATA[10:70000]
    assert b"".join(app_store.stream("library/media/x.mp4", 100000)) == DATA[100000:]
    assert b"".join(app_store.stream("library/media/x.mp4", 5, 5)) == b""
    with pytest.raises(KeyError):
        app_store.size("library/media/none.mp4")
    with pytest.raises(KeyError):
        list(app_store.stream("library/media/none.mp4"))


def test_unknown_kinds_are_404(client, video):
    assert client.get("/library/what-matters/1080p").status_code == 404
    assert client.get("/library/what-matters/original").status_code == 404
