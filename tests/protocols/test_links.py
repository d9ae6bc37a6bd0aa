"""Lessons linked to protocols: the front matter's ``protocols:`` written by the import
(replaced per lesson), refused when not ids; the lesson page's links; ``/current``
(the version adopted at the reader's institution, else the latest); the protocol page's
list of the lessons that teach it."""

import shutil
from datetime import date

import pytest
from sqlalchemy import select

from app.courses.content.problems import CourseFilesInvalid
from app.courses.importer import import_courses
from app.courses.models import LessonProtocol
from app.extensions import db
from app.protocols import links, panels
from app.protocols.models import ProtocolAdoption
from tests.conftest import FIXTURE_COURSES
from tests.factories import make_institution, make_user
from tests.helpers import post_form, text_of
from tests.protocols.factories_translation import make_protocol, make_version

SLUG = "pain-at-home"
LESSON = "/courses/sample-course/lessons/welcome"


def _course(tmp_path, front_matter: str):
    shutil.copytree(FIXTURE_COURSES / "sample-course", tmp_path / "sample-course")
    path = tmp_path / "sample-course" / "modules" / "01-basics" / "01-welcome.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    end = lines.index("---", 1)
    lines[end:end] = front_matter.strip("\n").split("\n")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def linked(app, db, tmp_path, monkeypatch):
    """The sample course with its first lesson teaching ``SLUG``, imported."""
    path = _course(tmp_path, f"protocols:\n  - {SLUG}\n  - {SLUG}")
    monkeypatch.setitem(app.config, "COURSES_DIR", str(tmp_path))
    import_courses(tmp_path)
    db.session.commit()
    return path


def _links():
    return db.session.execute(select(LessonProtocol.protocol_slug)).scalars().all()


def test_the_import_writes_a_lessons_links_and_replaces_them(linked, tmp_path):
    assert _links() == [SLUG]  # listed twice, linked once
    text = linked.read_text(encoding="utf-8").replace(f"  - {SLUG}\n  - {SLUG}", "  - other")
    linked.write_text(text, encoding="utf-8")
    import_courses(tmp_path)
    assert _links() == ["other"]


def test_a_protocol_that_is_not_an_id_is_refused_with_its_line(app, db, tmp_path):
    _course(tmp_path, "protocols:\n  - Not An Id")
    with pytest.raises(CourseFilesInvalid) as refused:
        import_courses(tmp_path)
    [problem] = refused.value.problems
    assert "protocol id must be lowercase" in problem.message
    assert problem.file.endswith("01-welcome.md") and problem.line > 1


def test_the_lesson_page_links_to_the_protocol_and_current_opens_the_adopted_version(
    linked, client, login
):
    protocol = make_protocol(slug=SLUG)
    first = make_version(protocol, title="Pain at home")
    make_version(protocol, number=2, title="Pain at home, revised")
    home = make_institution()
    contact = make_user(institution_id=home.id)
    db.session.add(
        ProtocolAdoption(
            protocol_id=protocol.id,
            institution_id=home.id,
            version_id=first.id,
            adopted_on=date(2026, 2, 1),
            contact_id=contact.id,
        )
    )
    db.session.commit()
    reader = make_user(institution_id=home.id, locale="en")
    login(reader)
    post_form(client, "/courses/sample-course/enrol", {}, form_page="/courses/sample-course")
    page = text_of(client.get(LESSON))
    assert "Protocols this lesson teaches" in page
    assert f"/protocols/{SLUG}/current" in page and "Pain at home, revised" in page
    shown = text_of(client.get(f"/protocols/{SLUG}/current", follow_redirects=True))
    assert "Version 1" in shown  # the adopted one, not the latest
    assert "Adopted by" in shown and "Lessons that teach it" in shown  # the panels
    assert links.version_for_reader(protocol, [], reader).number == 1


def test_current_opens_the_latest_without_an_adoption_and_404s_clearly(client, login, db):
    protocol = make_protocol(slug=SLUG)
    make_version(protocol)
    make_version(protocol, number=2)
    make_version(protocol, number=None)  # a draft is never opened
    db.session.commit()
    login(make_user(locale="en"))
    assert "Version 2" in text_of(client.get(f"/protocols/{SLUG}/current", follow_redirects=True))
    missing = client.get("/protocols/subcutaneous-opioids-last-days/current")
    assert missing.status_code == 404
    assert "subcutaneous-opioids-last-days" in text_of(missing)


def test_current_is_for_signed_in_people_only(client, db):
    make_version(make_protocol(slug=SLUG))
    db.session.commit()
    assert client.get(f"/protocols/{SLUG}/current").status_code in (302, 401)


def test_the_protocol_lists_the_lessons_that_teach_it(linked, app):
    version = make_version(make_protocol(slug=SLUG))
    with app.test_request_context():
        found = dict(panels.version_panels(version, make_user()))
    lessons = found["protocols/_lessons_panel.html"]["lessons"]
    assert [(item["course"], item["lesson"]) for item in lessons] == [("Sample course", "Welcome")]


def test_a_version_published_after_the_lesson_was_kept_shows_at_once(linked, client, login):
    """The lesson page keeps its content per content version (app/courses/content_cache.py):
    publishing a protocol is part of that version, so its latest title shows at once."""
    protocol = make_protocol(slug=SLUG)
    make_version(protocol, title="Pain at home")
    db.session.commit()
    login(make_user(locale="en"))
    post_form(client, "/courses/sample-course/enrol", {}, form_page="/courses/sample-course")
    assert "Pain at home" in text_of(client.get(LESSON))
    etag = client.get(LESSON).headers["ETag"]
    make_version(protocol, number=2, title="Pain at home, revised")
    db.session.commit()
    response = client.get(LESSON, headers={"If-None-Match": etag})
    assert response.status_code == 200 and "Pain at home, revised" in text_of(response)
