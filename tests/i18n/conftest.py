"""A writable copy of the sample course for the translator's pages and revisions."""

import shutil

import pytest

from app.courses.importer import import_courses
from app.extensions import db
from tests.conftest import FIXTURE_COURSES

COURSE = "/translate/kk/sample-course"
DOSE = 'msgid "Morphine 5 mg by mouth as needed."\nmsgstr ""'
DOSE_KK = (
    'msgid "Morphine 5 mg by mouth as needed."\nmsgstr "Морфин 5 мг ішу арқылы, қажет болғанда."'
)


@pytest.fixture
def courses(app, tmp_path, monkeypatch):
    """A writable copy of the sample course, imported; returns its Kazakh catalog."""
    shutil.copytree(FIXTURE_COURSES / "sample-course", tmp_path / "sample-course")
    monkeypatch.setitem(app.config, "COURSES_DIR", str(tmp_path))
    import_courses(tmp_path)
    db.session.commit()
    return tmp_path / "sample-course" / "translations" / "kk.po"
