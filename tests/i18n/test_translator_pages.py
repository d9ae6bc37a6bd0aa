"""The translator's pages: coverage and held-back lessons, the stale list side by side
with the glossary, the catalog's download, and an upload checked in full (refused whole
with `line N: message`, or saved as a revision and imported)."""

import io
import re

from sqlalchemy import select

from app.auth.models import Role
from app.courses.models import Lesson, LessonText
from app.extensions import db
from app.i18n.models import CatalogRevision
from tests.factories import make_user
from tests.helpers import csrf_token, sign_in, text_of
from tests.i18n.conftest import COURSE, DOSE, DOSE_KK


def _upload(client, data: bytes):
    token = csrf_token(client, COURSE)
    form = {"csrf_token": token, "catalog": (io.BytesIO(data), "kk.po")}
    return client.post(f"{COURSE}.po", data=form, content_type="multipart/form-data")


def _welcome_in_kazakh() -> LessonText:
    lesson = db.session.scalar(select(Lesson).where(Lesson.key == "welcome"))
    return db.session.get(LessonText, (lesson.id, "kk"))


def test_the_overview_puts_held_back_lessons_first(courses, client, login):
    login(make_user(roles=[(Role.TRANSLATOR, "kk")]))
    html = text_of(client.get("/translate/?lang=en"))
    held = html.split("Lessons shown in another language", 1)[1].split("Coverage", 1)[0]
    assert "sample-course</a> / welcome" in held and "Русский" in held
    assert "Русский · " not in html  # only the translator's own language is listed


def test_stale_segments_show_old_and_new_source_beside_the_glossary(courses, client, login):
    text = courses.read_text(encoding="utf-8")
    source = 'msgid "Palliative care improves quality of life."'
    stale = f'#, fuzzy\n#| msgid "Palliative care helps."\n{source}'
    courses.write_text(text.replace(source, stale), encoding="utf-8")
    login(make_user(roles=[(Role.TRANSLATOR, "kk")]))
    html = text_of(client.get(f"{COURSE}?lang=en"))
    stale = html.split("stale segment", 1)[1].split("missing segment", 1)[0]
    assert "<del>Palliative care helps.</del>" in stale
    assert "<ins>Palliative care improves quality of life.</ins>" in stale
    assert "паллиативтік көмек" in stale  # the glossary's term for "palliative care"
    missing = html.split("missing segment", 1)[1]
    assert missing.index("Safety-critical") < missing.index("Sample course")  # doses first


def test_a_broken_catalog_is_refused_whole(courses, client, login):
    login(make_user(roles=[(Role.TRANSLATOR, "kk")]))
    good = courses.read_bytes()
    broken = courses.read_text(encoding="utf-8").replace(DOSE, DOSE_KK)  # one good change
    broken = broken.replace('msgid "Basics"\nmsgstr ""', 'msgid "Basics"\nmsgstr "[Негіздер](x)"')
    broken += '\nmsgid "Not in this course"\nmsgstr "Жоқ"\n'
    response = _upload(client, broken.encode())
    assert response.status_code == 422
    problems = re.findall(r"<li><code>(line \d+: [^<]+)</code></li>", text_of(response))
    assert any("markup" in p for p in problems) and any("not a segment" in p for p in problems)
    assert courses.read_bytes() == good  # nothing replaced, not even the good change
    assert db.session.scalar(select(CatalogRevision)) is None
    assert _welcome_in_kazakh().held_back_to == "ru"
    refused = [
        (b"\xff\xfe not text", "not UTF-8"),
        (b'msgid "a\nmsgstr "b"', "line"),
        (b"", "Choose a .po file"),
    ]
    for bad, message in refused:
        response = _upload(client, bad)
        assert response.status_code == 422 and message in text_of(response), bad
    assert courses.read_bytes() == good
    assert db.session.scalar(select(CatalogRevision)) is None


def test_a_good_catalog_becomes_a_revision_and_the_lesson_shows_in_kazakh(courses, client, login):
    login(make_user(roles=[(Role.TRANSLATOR, "kk")]))
    original = courses.read_text(encoding="utf-8")
    fixed = original.replace(DOSE, DOSE_KK)
    response = _upload(client, fixed.encode())
    assert response.status_code == 200, re.findall(r"<code>([^<]+)</code>", text_of(response))
    assert "saved as revision" in text_of(response)
    assert courses.read_text(encoding="utf-8") == original  # the server's files stay as deployed
    revision = db.session.scalar(select(CatalogRevision))
    assert (revision.course_key, revision.locale) == ("sample-course", "kk")
    assert revision.content == fixed
    text = _welcome_in_kazakh()  # imported by the queued task (run after the request)
    assert text.held_back_to is None and "Морфин 5 мг ішу арқылы" in text.html
    download = client.get(f"{COURSE}.po")
    assert download.status_code == 200 and download.data.decode() == fixed


def test_only_a_languages_translators_and_admins_reach_it(courses, app, client, login):
    assert client.get(COURSE).status_code == 302  # signed out: to sign-in
    login(make_user(roles=[(Role.TRANSLATOR, "ru")]))
    assert client.get(COURSE).status_code == 403
    assert client.get(f"{COURSE}.po").status_code == 403
    assert _upload(client, b"x").status_code == 403
    assert client.get("/translate/ru/no-such-course").status_code == 404
    other = app.test_client()
    learner = make_user()
    assert sign_in(other, learner.email, "palliare-demo").status_code == 302
    assert other.get("/translate/").status_code == 403


def test_the_preview_highlights_stale_and_missing_passages(courses, client, login):
    text = courses.read_text(encoding="utf-8")
    source = 'msgid "Palliative care improves quality of life."'
    courses.write_text(text.replace(source, f"#, fuzzy\n{source}"), encoding="utf-8")
    login(make_user(roles=[(Role.TRANSLATOR, "kk")]))
    html = text_of(client.get(f"{COURSE}/welcome?lang=en"))
    article = html.split('<article class="lesson preview" lang="kk">', 1)[1]
    assert '<mark class="stale">Паллиативтік көмек' in article  # the stale translation
    assert '<mark class="missing">Morphine 5 mg by mouth as needed.</mark>' in article
    assert client.get(f"{COURSE}/no-such-lesson").status_code == 404
