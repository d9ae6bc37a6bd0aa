"""The caption pages: the administrators' upload and the public WebVTT tracks."""

import io

import pytest

from app.auth.models import Role
from app.courses import documents
from app.library import captions, texts
from app.library.captions import Cue, parse_vtt
from tests.factories import make_user
from tests.helpers import post_form, text_of
from tests.library.caption_fixtures import CUES, ZH, make_video

GOOD = b"WEBVTT\n\n00:00.000 --> 00:01.000\nOne.\n\n00:01.000 --> 00:02.000\nTwo.\n"
BAD = b"WEBVTT\n\n00:00.000 --> 00:01.000\nOne.\n\n00:00.500 --> 00:00.400\n<script>x</script>\n"


def _upload(client, video, data: bytes):
    url = f"/library/manage/{video.slug}/captions"
    files = {"captions": (io.BytesIO(data), "captions.vtt")}
    return post_form(client, url, files, content_type="multipart/form-data")


def test_an_administrator_uploads_captions(db, client, login):
    video = make_video()
    login(make_user([Role.ADMIN]))
    page = client.get(f"/library/manage/{video.slug}/captions")
    assert page.status_code == 200 and CUES[0].text in text_of(page)
    response = _upload(client, video, GOOD)
    assert response.status_code == 303
    db.session.expire_all()
    assert [cue.text for cue in video.cues] == ["One.", "Two."]


def test_a_broken_file_is_refused_with_each_line_and_nothing_saved(db, client, login):
    video = make_video()
    login(make_user([Role.ADMIN]))
    response = _upload(client, video, BAD)
    assert response.status_code == 422
    html = text_of(response)
    assert 'id="caption-problems"' in html
    assert "Line 6: the cue ends before it starts" in html
    assert "Line 7: captions are plain text" in html
    db.session.expire_all()
    assert [cue.text for cue in video.cues] == [cue.text for cue in CUES]


@pytest.mark.parametrize("role", [Role.TRAINER, Role.LEARNER])
def test_only_administrators_reach_the_upload(db, client, login, role):
    video = make_video()
    assert client.get(f"/library/manage/{video.slug}/captions").status_code == 302
    login(make_user([role]))
    assert client.get(f"/library/manage/{video.slug}/captions").status_code == 403


def test_the_english_track_is_webvtt_with_no_cookie(db, client):
    video = make_video()
    response = client.get(f"/library/{video.slug}/captions/en.vtt")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/vtt; charset=utf-8"
    assert "Set-Cookie" not in response.headers
    assert response.headers["ETag"] and "public" in response.headers["Cache-Control"]
    body = response.get_data(as_text=True)
    assert body.startswith("WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.500\n")
    assert parse_vtt(response.data) == CUES
    again = client.get(
        f"/library/{video.slug}/captions/en.vtt",
        headers={"If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304 and not again.data


def test_a_new_translation_changes_the_etag(db, client):
    video = make_video()
    documents.save_translations(make_user(), texts.source_of(video), "zh_Hans", ZH)
    first = client.get(f"/library/{video.slug}/captions/zh_Hans.vtt")
    assert first.status_code == 200 and ZH[CUES[0].text] in first.get_data(as_text=True)
    captions.set_cues(video, [Cue(0, 2500, "Changed."), *CUES[1:]])
    second = client.get(
        f"/library/{video.slug}/captions/zh_Hans.vtt",
        headers={"If-None-Match": first.headers["ETag"]},
    )
    assert second.status_code == 200
    assert "<lang en>Changed.</lang>" in second.get_data(as_text=True)


def test_tracks_not_offered_are_not_found(db, client):
    video = make_video()
    hidden = make_video(slug="draft", published=False)
    for url in (
        f"/library/{video.slug}/captions/ru.vtt",  # no catalog
        f"/library/{video.slug}/captions/xx.vtt",  # not a language of the site
        f"/library/{hidden.slug}/captions/en.vtt",  # not published
        "/library/nothing-here/captions/en.vtt",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Set-Cookie" not in response.headers
