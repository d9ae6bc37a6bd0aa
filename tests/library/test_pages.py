"""The public pages (no account, no cookie, nothing from another origin, under the page
budget, a view counted by day and language) and the administrators' pages (uploads and
their refusals over HTTP, the actions, who may reach them)."""

import gzip
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.extensions import db
from app.library.models import Video, VideoState, VideoViewCount
from app.library.tasks import transcode
from app.storage import file_store
from tests.factories import make_institution, make_user
from tests.helpers import count_statements, csrf_token, text_of
from tests.library.conftest import stored_video

URL_ATTRIBUTES = re.compile(r'\b(?:src|href|poster|action|srcset|data)="([^"]*)"')
BUDGET = 60 * 1024


def _public_urls(video) -> list[str]:
    return [
        "/library/",
        "/library/?lang=zh_Hans",
        "/library/?lang=xx",
        f"/library/{video.slug}",
        f"/library/{video.slug}?lang=ru",
        f"/library/{video.slug}/360p",
        f"/library/{video.slug}/poster",
    ]


def test_errors_on_public_pages_set_no_cookie_either(client):
    video = stored_video()
    for url, status in (("/library/missing?lang=xx", 404), (f"/library/{video.slug}/audio", 200)):
        response = client.get(url, headers={"Range": "bytes=5000-"})
        assert response.status_code in (status, 416) and "Set-Cookie" not in response.headers


def test_public_pages_need_no_account_and_set_no_cookie(client):
    video = stored_video()
    for url in _public_urls(video):
        response = client.get(url, headers={"Accept-Language": "zh-CN,zh;q=0.9"})
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
        assert "media-src 'self';" in response.headers["Content-Security-Policy"], url
    assert client.get_cookie("session") is None


def test_a_signed_in_visitor_keeps_the_session_they_had_unchanged(client, login):
    login(make_user())
    response = client.get("/library/?lang=ru")
    assert "Set-Cookie" not in response.headers  # ?lang= remembered nowhere on these pages
    assert 'lang="ru"' in text_of(response)


def test_language_from_the_parameter_or_the_browser(client):
    video = stored_video()
    page = text_of(client.get(f"/library/{video.slug}", headers={"Accept-Language": "ru"}))
    assert '<html lang="ru"' in page
    page = text_of(client.get(f"/library/{video.slug}?lang=zh_Hans"))
    assert '<html lang="zh-Hans"' in page
    # Links to the page in every other language; none to the current one.
    assert f'href="/library/{video.slug}?lang=sv"' in page
    assert f'href="/library/{video.slug}?lang=zh_Hans"' not in page


def _same_origin(url: str) -> bool:
    return not re.match(r"^([a-z][a-z0-9+.-]*:|//)", url, re.I) or url.startswith("mailto:")


def test_nothing_comes_from_another_origin(client):
    video = stored_video(summary="See [our site](https://example.org).")
    for url in ("/library/", f"/library/{video.slug}"):
        page = text_of(client.get(url))
        # Links the reader follows are fine; what the page loads must be from here.
        loaded = re.findall(r"<(?:img|video|source|track|script|link|iframe)\b[^>]*>", page)
        for tag in loaded:
            for found in URL_ATTRIBUTES.findall(tag):
                assert _same_origin(found), (url, tag)
    css = (Path(__file__).parents[2] / "app" / "static" / "css" / "app.css").read_text("utf-8")
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", css) and "@import" not in css


def test_the_video_page_plays_without_javascript(client):
    video = stored_video()
    page = text_of(client.get(f"/library/{video.slug}"))
    assert '<video controls preload="none"' in page
    assert f'poster="/library/{video.slug}/poster"' in page
    sources = re.findall(r'<source src="([^"]+)" type="([^"]+)"', page)
    assert sources == [(f"/library/{video.slug}/360p", "video/mp4"),
                       (f"/library/{video.slug}/240p", "video/mp4")]  # fmt: skip
    # Downloads with their sizes; the summary and transcript (Markdown rendered).
    assert "video 360p, 3 KB" in page and "video 240p, 2 KB" in page
    assert "audio only, 1 KB" in page
    assert "<strong>ask</strong>" in page and "<summary>Transcript</summary>" in page


def test_the_list_shows_published_ready_videos_only(client):
    stored_video(slug="shown", title="Shown")
    stored_video(slug="draft", title="Draft", published=False)
    hidden = stored_video(slug="failed", title="Failed")
    hidden.state = VideoState.FAILED
    db.session.commit()
    page = text_of(client.get("/library/"))
    assert "Shown" in page and "Draft" not in page and "Failed" not in page
    assert "2:05" in page  # its length


def test_a_view_is_counted_by_day_and_language_only(client):
    video = stored_video()
    client.get(f"/library/{video.slug}?lang=ru")
    client.get(f"/library/{video.slug}?lang=ru")
    client.get(f"/library/{video.slug}", headers={"Accept-Language": "sv"})
    client.get(f"/library/{video.slug}/360p")  # the files are not views
    client.head(f"/library/{video.slug}")
    client.get(f"/library/{video.slug}", headers={"Sec-Purpose": "prefetch"})
    rows = db.session.execute(select(VideoViewCount.locale, VideoViewCount.views)).all()
    assert sorted(tuple(row) for row in rows) == [("ru", 2), ("sv", 1)]


def _first_load(client, url: str) -> int:
    """HTML, CSS and JS as sent compressed (nginx gzips them), the posters as they are."""
    page = client.get(url)
    total = len(gzip.compress(page.data))
    html = text_of(page)
    for link in re.findall(r'<(?:link rel="stylesheet"|script) (?:href|src)="([^"]+)"', html):
        total += len(gzip.compress(client.get(link).data))
    for poster in re.findall(r'(?:poster|src)="(/library/[^"]+/poster)"', html):
        total += len(client.get(poster).data)
    return total


@pytest.fixture
def real_videos(admin, tmp_path):
    """Two published videos transcoded from a busy 640×360 picture (a large poster)."""
    from app.library import services

    source = tmp_path / "busy.mp4"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi",
         "-i", "testsrc=duration=1:size=640x360:rate=10", "-c:v", "libx264",
         "-preset", "ultrafast", str(source)],
        check=True, timeout=60,
    )  # fmt: skip
    videos = []
    for slug in ("first", "second"):
        texts = {
            "title": slug.title(),
            "summary": "A summary. " * 20,
            "transcript": "Words. " * 400,
        }
        video = services.add_video(admin, slug=slug, data=source, filename="b.mp4", **texts)
        db.session.commit()
        transcode(video.id)
        services.publish_video(admin, video)
        db.session.commit()
        videos.append(video)
    return videos


def test_the_first_load_stays_under_the_page_budget(client, real_videos):
    for url in ("/library/", "/library/first", "/library/?lang=zh_Hans"):
        assert _first_load(client, url) < BUDGET, url


# --- The administrators' pages ---------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.LEARNER, Role.TRAINER, Role.COORDINATOR, Role.TRANSLATOR, Role.FUNDER]
)
def test_manage_pages_refuse_everyone_but_administrators(client, login, role):
    from tests.factories import make_programme

    scope = {Role.COORDINATOR: make_institution, Role.FUNDER: lambda: make_programme([])}
    roles = (role,) if role not in (*scope, Role.TRANSLATOR) else (
        (role, "ru" if role == Role.TRANSLATOR else scope[role]()),
    )  # fmt: skip
    video = stored_video(published=False)
    login(make_user(roles=roles))
    for url in ("/library/manage", "/library/manage/new", f"/library/manage/{video.id}",
                f"/library/manage/{video.id}/files/poster"):  # fmt: skip
        assert client.get(url).status_code == 403, url
    assert client.post(f"/library/manage/{video.id}/publish").status_code == 403
    assert client.post(f"/library/manage/{video.id}/delete").status_code == 403
    assert db.session.get(Video, video.id).published_at is None


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/library/manage")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def _upload(client, data: bytes, **fields):
    token = csrf_token(client, "/library/manage/new")
    form = {"csrf_token": token, "title": "What matters", "slug": "what-matters",
            "summary": "", "transcript": "", **fields}  # fmt: skip
    from io import BytesIO

    form["file"] = (BytesIO(data), "talk.mp4")
    return client.post("/library/manage/new", data=form, content_type="multipart/form-data")


def test_upload_over_http_transcodes_and_tells_the_uploader(client, login, admin, tiny_video):
    login(admin)
    response = _upload(client, tiny_video)
    assert response.status_code == 302
    video = db.session.scalar(select(Video).where(Video.slug == "what-matters"))
    assert video.state == VideoState.READY  # the queued transcode ran after the request
    page = text_of(client.get(response.headers["Location"]))
    assert "ready" in page and "Publish" in page
    assert (
        client.get(f"/library/manage/{video.id}/files/360p").headers["Cache-Control"]
        == "private, no-store"
    )
    assert client.get("/library/what-matters").status_code == 404  # not yet published
    token = csrf_token(client, f"/library/manage/{video.id}")
    client.post(f"/library/manage/{video.id}/publish", data={"csrf_token": token})
    assert client.get("/library/what-matters").status_code == 200
    inbox = text_of(client.get("/notifications/"))
    assert "Video ready: “What matters”" in inbox


def test_not_a_video_is_400_with_a_message_and_nothing_stored(client, login, admin):
    login(admin)
    response = _upload(client, b"%PDF-1.4 not a video at all")
    assert response.status_code == 400
    assert "not a video we can read" in text_of(response)
    assert db.session.scalar(select(Video)) is None
    assert list(file_store().keys("library/")) == []


def test_too_long_is_400_and_too_large_is_413(app, client, login, admin, tiny_video, monkeypatch):
    login(admin)
    monkeypatch.setitem(app.config, "LIBRARY_MAX_SECONDS", 1)
    response = _upload(client, tiny_video)
    assert response.status_code == 400 and "longer than" in text_of(response)
    monkeypatch.setitem(app.config, "LIBRARY_MAX_SECONDS", 60)
    monkeypatch.setitem(app.config, "LIBRARY_MAX_UPLOAD", 1000)  # the form may carry 1 MB more
    response = _upload(client, tiny_video)
    assert response.status_code == 400 and "larger than" in text_of(response)
    response = _upload(client, tiny_video + b"\0" * 2**21)
    assert response.status_code == 413 and "too large" in text_of(response)
    assert db.session.scalar(select(Video)) is None and list(file_store().keys("library/")) == []


def test_bigger_than_the_apps_usual_limit_is_taken(
    app, client, login, admin, tiny_video, monkeypatch
):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)  # e.g. 16 MB app-wide
    login(admin)
    assert _upload(client, tiny_video).status_code == 302


def test_manage_page_lists_states_and_views_per_day_and_language(client, login, admin):
    video = stored_video()
    db.session.add_all([
        VideoViewCount(video_id=video.id, day=date(2026, 12, 5), locale="zh_Hans", views=7),
        VideoViewCount(video_id=video.id, day=date(2026, 12, 5), locale="ru", views=2),
    ])  # fmt: skip
    db.session.commit()
    login(admin)
    listing = text_of(client.get("/library/manage"))
    assert "What matters most" in listing and ">9<" in listing
    page = text_of(client.get(f"/library/manage/{video.id}"))
    assert "中文" in page and ">7<" in page and ">2<" in page


def test_the_public_home_links_to_the_library_and_verify(client, login):
    page = text_of(client.get("/"))
    assert 'href="/library/"' in page and 'href="/verify/"' in page
    login(make_user())
    assert 'href="/library/"' in text_of(client.get("/"))


def test_the_list_reads_the_same_few_queries_however_many_videos(client):
    stored_video(slug="one")
    one = count_statements(lambda: client.get("/library/"))
    for slug in ("two", "three", "four"):
        stored_video(slug=slug)
    assert count_statements(lambda: client.get("/library/")) == one
