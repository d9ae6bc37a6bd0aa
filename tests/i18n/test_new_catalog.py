"""A course with no catalog in a language: the translator's page offers a download that
is a new catalog made from the course's segments (not a 404), and its upload becomes the
catalog's first revision."""

import io
import shutil
import subprocess
from pathlib import Path

from babel.messages.pofile import read_po
from sqlalchemy import select

from app.auth.models import Role
from app.courses.content.loader import load_courses
from app.extensions import db
from app.i18n.models import CatalogRevision
from config import Config
from tests.factories import make_user
from tests.helpers import csrf_token, text_of

CHINESE = "/translate/zh_Hans/sample-course"
REAL_COURSES = Path(__file__).resolve().parents[2] / "courses"


def test_a_missing_catalog_is_made_for_the_download(courses, client, login, tmp_path):
    assert not (courses.parent / "zh_Hans.po").exists()
    login(make_user(roles=[(Role.TRANSLATOR, "zh_Hans")]))
    response = client.get(f"{CHINESE}.po")
    assert response.status_code == 200
    assert "sample-course-zh_Hans.po" in response.headers["Content-Disposition"]
    catalog = read_po(io.BytesIO(response.data), locale="zh_Hans")
    [course], _problems = load_courses(courses.parents[1], Config.LANGUAGES)
    segments = {segment.text for _file, segment in course.located_segments()}
    assert {m.id for m in catalog if m.id} == segments
    assert not any(m.string for m in catalog if m.id)
    assert str(catalog.locale) == "zh_Hans" and catalog.num_plurals == 1
    assert b"safety-critical" in response.data and b"format" not in response.data
    path = tmp_path / "zh_Hans.po"
    path.write_bytes(response.data)
    check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                           capture_output=True, text=True)  # fmt: skip
    assert check.returncode == 0, check.stderr
    assert not (courses.parent / "zh_Hans.po").exists()  # nothing written on the server


def test_the_new_catalog_uploaded_back_becomes_the_first_revision(courses, client, login):
    login(make_user(roles=[(Role.TRANSLATOR, "zh_Hans")]))
    text = client.get(f"{CHINESE}.po").data.decode()
    dose = 'msgid "Morphine 5 mg by mouth as needed."\nmsgstr ""'
    assert dose in text
    text = text.replace(dose, dose[:-2] + '"按需口服吗啡5 mg。"')
    form = {"csrf_token": csrf_token(client, CHINESE),
            "catalog": (io.BytesIO(text.encode()), "zh_Hans.po")}  # fmt: skip
    response = client.post(f"{CHINESE}.po", data=form, content_type="multipart/form-data")
    assert response.status_code == 200, text_of(response)
    revision = db.session.scalar(select(CatalogRevision))
    assert (revision.course_key, revision.locale, revision.translated) == (
        "sample-course",
        "zh_Hans",
        1,
    )


def test_the_teaching_course_in_kazakh_is_offered(app, client, login, monkeypatch, tmp_path):
    """The page offered /translate/kk/teaching-palliative-care.po, which answered 404."""
    shutil.copytree(REAL_COURSES / "teaching-palliative-care",
                    tmp_path / "teaching-palliative-care")  # fmt: skip
    monkeypatch.setitem(app.config, "COURSES_DIR", str(tmp_path))
    login(make_user(roles=[(Role.TRANSLATOR, "kk")]))
    response = client.get("/translate/kk/teaching-palliative-care.po")
    assert response.status_code == 200
    assert b'"Language: kk\\n"' in response.data
    assert client.get("/translate/kk/teaching-palliative-care").status_code == 200


KAZAKH = "/translate/kk/sample-course"


def test_a_catalog_file_behind_its_course_downloads_up_to_date_and_uploads_back(
    courses, client, login
):
    """The course's English changed since its catalog was last extracted: the download
    is brought up to date (the changed segment stale with its old text, no segment the
    course no longer has), so the translator's upload of it is accepted as it is. It
    used to be the file as stored, which the upload then refused."""
    lesson = courses.parents[1] / "modules/01-basics/01-welcome.md"
    old, new = "Palliative care improves quality of life.", "Palliative care improves life."
    lesson.write_text(lesson.read_text().replace(old, new))
    login(make_user(roles=[(Role.TRANSLATOR, "kk")]))
    text = client.get(f"{KAZAKH}.po").data.decode()
    assert f'msgid "{new}"' in text and f'#| msgid "{old}"' in text  # stale, kept
    assert f'\nmsgid "{old}"' not in text
    form = {
        "csrf_token": csrf_token(client, KAZAKH),
        "catalog": (io.BytesIO(text.encode()), "kk.po"),
    }
    response = client.post(f"{KAZAKH}.po", data=form, content_type="multipart/form-data")
    assert response.status_code == 200, text_of(response)
    assert "checked and saved" in text_of(response)
