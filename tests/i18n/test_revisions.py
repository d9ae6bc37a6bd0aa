"""Catalog revisions: an accepted upload is stored in the database (who, when, what
changed) and imported on the task queue; the importer prefers the latest revision to the
file; the course page lists revisions and restores one; ``flask translations export``
writes them back into courses/; every app server sees them."""

import io
import shutil
from contextlib import contextmanager

import pytest
from flask import request_finished
from sqlalchemy import select

from app import create_app
from app.auth.models import Role
from app.courses.importer import import_courses
from app.courses.models import Course, Lesson, LessonText
from app.extensions import db
from app.i18n import workflow
from app.i18n.models import CatalogRevision
from app.i18n.queries import EXPORT_MARK, latest_catalog_texts
from app.notifications.services import set_channels
from tests.conftest import FIXTURE_COURSES, _run_tasks_after_request
from tests.factories import make_user
from tests.helpers import count_statements, csrf_token, sign_in, text_of
from tests.i18n.conftest import COURSE, DOSE, DOSE_KK
from tests.tasks import run_queued_tasks


@pytest.fixture
def translator(client, login):
    user = make_user(roles=[(Role.TRANSLATOR, "kk")], name="Aigerim Translator")
    # Told of imports in the app only: the import is then the one task an upload queues
    # (tests/notifications/test_events.py tests the e-mail).
    set_channels(user, {"catalog_imported": "app"})
    login(user)
    return user


def _upload(client, text: str):
    form = {
        "csrf_token": csrf_token(client, COURSE),
        "catalog": (io.BytesIO(text.encode()), "kk.po"),
    }
    return client.post(f"{COURSE}.po", data=form, content_type="multipart/form-data")


def _revert(client, revision_id):
    form = {"csrf_token": csrf_token(client, COURSE), "revert": str(revision_id)}
    return client.post(f"{COURSE}.po", data=form)


def _revisions() -> list[CatalogRevision]:
    return list(db.session.scalars(select(CatalogRevision).order_by(CatalogRevision.id)))


def _welcome_in_kazakh() -> LessonText:
    lesson = db.session.scalar(select(Lesson).where(Lesson.key == "welcome"))
    db.session.expire_all()
    return db.session.get(LessonText, (lesson.id, "kk"))


def test_revisions_are_listed_newest_first_and_one_can_be_restored(courses, client, translator):
    original = courses.read_text(encoding="utf-8")
    fixed = original.replace(DOSE, DOSE_KK)
    assert _upload(client, fixed).status_code == 200
    assert _upload(client, original).status_code == 200  # the dose translation taken out
    first, second = _revisions()
    assert (first.translated, first.changed, first.removed) == (1, 0, 0)
    assert (second.translated, second.changed, second.removed) == (0, 0, 1)
    assert first.uploaded_by_id == translator.id and first.created_at is not None
    assert _welcome_in_kazakh().held_back_to == "ru"  # the second one was imported

    html = text_of(client.get(f"{COURSE}?lang=en"))
    history = html.split('id="revisions"', 1)[1]
    assert history.index(f"<td>{second.id} ") < history.index(f"<td>{first.id}</td>")
    assert "Aigerim Translator" in history and "1 removed" in history
    assert history.count('name="revert"') == 1  # every revision but the current one

    response = _revert(client, first.id)
    assert response.status_code == 200
    assert f"Revision {first.id} was restored as revision" in text_of(response)
    third = _revisions()[-1]
    assert (third.content, third.reverted_from_id, third.translated) == (fixed, first.id, 1)
    text = _welcome_in_kazakh()  # imported again by the queued task
    assert text.held_back_to is None and "Морфин 5 мг ішу арқылы" in text.html
    assert courses.read_text(encoding="utf-8") == original  # no file written on the server


def test_only_a_revision_of_this_catalog_can_be_restored(courses, client, translator):
    russian = CatalogRevision(course_key="sample-course", locale="ru", content="x")
    db.session.add(russian)
    db.session.commit()
    assert _revert(client, russian.id).status_code == 404
    assert _revert(client, 999_999).status_code == 404
    assert _revert(client, "").status_code == 404
    assert len(_revisions()) == 1


def test_restoring_is_for_the_languages_translators_only(courses, app, client, login):
    revision = CatalogRevision(course_key="sample-course", locale="kk", content="x")
    db.session.add(revision)
    db.session.commit()
    form = {"revert": str(revision.id)}
    assert client.post(f"{COURSE}.po", data=form).status_code == 302  # signed out: sign in
    assert "/login" in client.post(f"{COURSE}.po", data=form).headers["Location"]
    for user in (make_user(roles=[(Role.TRANSLATOR, "ru")]), make_user()):
        other = app.test_client()
        assert sign_in(other, user.email, "palliare-demo").status_code == 302
        token = csrf_token(other, "/profile")
        response = other.post(f"{COURSE}.po", data={**form, "csrf_token": token})
        assert response.status_code == 403
    assert len(_revisions()) == 1


def test_the_latest_revision_wins_over_the_file_in_one_query(courses):
    fixed = courses.read_text(encoding="utf-8").replace(DOSE, DOSE_KK)
    db.session.add(CatalogRevision(course_key="sample-course", locale="kk", content="old"))
    db.session.add(CatalogRevision(course_key="sample-course", locale="kk", content=fixed))
    db.session.flush()
    root = courses.parents[2]
    found = {}
    texts = lambda: found.update(latest_catalog_texts(root, ["en", "ru", "kk"]))  # noqa: E731
    assert count_statements(texts) == 1
    assert found == {"sample-course": {"kk": fixed}}
    assert latest_catalog_texts(root, ["en", "ru"]) == {}  # a language this server lacks
    report = import_courses(root)
    assert report.imported == 1
    assert _welcome_in_kazakh().held_back_to is None
    assert import_courses(root).unchanged == 1  # same revision: nothing to do again


def test_status_and_coverage_count_the_revision_not_the_file(courses, client, translator):
    def kazakh_course():
        _held, parts = workflow.coverage_report()
        return next(part for part in parts if part.locale == "kk/sample-course")

    before = kazakh_course()
    fixed = courses.read_text(encoding="utf-8").replace(DOSE, DOSE_KK)
    assert _upload(client, fixed).status_code == 200
    assert kazakh_course().translated == before.translated + 1
    held, _parts = workflow.coverage_report()
    assert not [item for item in held if item.locale == "kk" and item.lesson == "welcome"]
    html = text_of(client.get(f"{COURSE}?lang=en"))
    assert "Morphine 5 mg by mouth as needed." not in html.split("missing segment", 1)[1]
    assert client.get(f"{COURSE}.po").data.decode() == fixed


def _export(app, *options):
    return app.test_cli_runner().invoke(args=["translations", "export", *options])


def test_export_writes_the_latest_revisions_once_and_then_the_file_counts(
    courses, app, client, translator
):
    original = courses.read_text(encoding="utf-8")
    fixed = original.replace(DOSE, DOSE_KK)
    assert _upload(client, fixed).status_code == 200
    revision = _revisions()[-1]
    result = _export(app, "--course", "sample-course", "--locale", "kk")
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "sample-course/translations/kk.po" in result.output
    assert f"revision {revision.id}" in result.output
    written = courses.read_text(encoding="utf-8")
    assert f"{EXPORT_MARK}{revision.id}\n" in written
    assert written.replace(f"{EXPORT_MARK}{revision.id}\n", "") == fixed
    again = _export(app)
    assert "wrote" not in again.output and "up to date" in again.output
    assert courses.read_text(encoding="utf-8") == written  # idempotent
    assert "No catalog revisions" in _export(app, "--locale", "ru").output

    # Merged in the repository and edited there since: the file is as new as the revision.
    edited = written.replace("Морфин 5 мг ішу арқылы", "Морфин 5 мг ауыз арқылы")
    courses.write_text(edited, encoding="utf-8")
    import_courses(courses.parents[2])
    assert "Морфин 5 мг ауыз арқылы" in _welcome_in_kazakh().html
    # A newer upload wins over that file again.
    assert _upload(client, fixed).status_code == 200
    assert "Морфин 5 мг ішу арқылы" in _welcome_in_kazakh().html


def test_a_deploy_with_older_files_keeps_the_revision(courses, client, translator):
    fixed = courses.read_text(encoding="utf-8").replace(DOSE, DOSE_KK)
    assert _upload(client, fixed).status_code == 200
    # A deployment replaces courses/ with the repository's files (without the upload) and
    # runs `flask courses import`, as make run does.
    shutil.rmtree(courses.parents[1])
    shutil.copytree(FIXTURE_COURSES / "sample-course", courses.parents[1])
    import_courses(courses.parents[2])
    assert "Морфин 5 мг ішу арқылы" in _welcome_in_kazakh().html


def test_an_upload_through_one_server_shows_on_another(
    courses, app, client, translator, tmp_path, database_url
):
    """Two app servers on one database, each with its own checkout of courses/."""
    other_root = tmp_path / "server-b"
    shutil.copytree(FIXTURE_COURSES / "sample-course", other_root / "sample-course")
    server_b = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=database_url,
        COURSES_DIR=str(other_root),
        SERVER_NAME=app.config["SERVER_NAME"],
    )
    reader = server_b.test_client()
    assert sign_in(reader, translator.email, "palliare-demo").status_code == 302
    lesson_url = "/courses/sample-course/lessons/welcome?lang=kk"
    assert "Морфин 5 мг ішу арқылы" not in text_of(reader.get(lesson_url))

    fixed = courses.read_text(encoding="utf-8").replace(DOSE, DOSE_KK)
    token = csrf_token(client, COURSE)
    form = {"csrf_token": token, "catalog": (io.BytesIO(fixed.encode()), "kk.po")}
    with _tasks_held(app):
        response = client.post(f"{COURSE}.po", data=form, content_type="multipart/form-data")
    assert response.status_code == 200
    with server_b.app_context():  # server B's worker runs the import, on its own files
        assert run_queued_tasks() == 1
    assert "Морфин 5 мг ішу арқылы" in text_of(reader.get(lesson_url))
    assert "Морфин 5 мг ішу арқылы" in text_of(reader.get("/translate/kk/sample-course/welcome"))
    assert (other_root / "sample-course/translations/kk.po").read_text(encoding="utf-8") != fixed
    course = db.session.scalar(select(Course).where(Course.key == "sample-course"))
    assert course.retired_at is None


@contextmanager
def _tasks_held(app):
    """Leave what requests queue in the queue (the suite runs it after each request)."""
    request_finished.disconnect(_run_tasks_after_request, app)
    try:
        yield
    finally:
        request_finished.connect(_run_tasks_after_request, app)


def test_the_import_task_is_queued_only_after_the_commit(courses, client, translator, app):
    fixed = courses.read_text(encoding="utf-8").replace(DOSE, DOSE_KK)
    with _tasks_held(app):
        assert _upload(client, fixed).status_code == 200
    assert _welcome_in_kazakh().held_back_to == "ru"  # not imported yet: it is queued
    assert run_queued_tasks() == 1
    assert _welcome_in_kazakh().held_back_to is None


def test_a_refused_upload_queues_nothing(courses, client, translator, app):
    with _tasks_held(app):
        assert _upload(client, "not a catalog").status_code == 422
    assert run_queued_tasks() == 0


def test_a_revision_older_than_the_sources_is_offered_brought_up_to_date(
    courses, client, translator
):
    fixed = courses.read_text(encoding="utf-8").replace(DOSE, DOSE_KK)
    assert _upload(client, fixed).status_code == 200
    lesson = courses.parents[1] / "modules" / "01-basics" / "01-welcome.md"
    old, new = "Palliative care improves quality of life.", "Palliative care improves lives."
    lesson.write_text(lesson.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    html = text_of(client.get(f"{COURSE}?lang=en"))
    stale = html.split("stale segment", 1)[1].split("missing segment", 1)[0]
    assert f"<del>{old}</del>" in stale and f"<ins>{new}</ins>" in stale
    download = client.get(f"{COURSE}.po").data.decode()
    assert f'msgid "{new}"' in download and "Морфин 5 мг ішу арқылы" in download
    was = "Паллиативтік көмек өмір сапасын жақсартады."
    translated = download.replace(
        f'#, fuzzy\n#| msgid "{old}"\nmsgid "{new}"\nmsgstr "{was}"',
        f'msgid "{new}"\nmsgstr "Паллиативтік көмек өмірді жақсартады."',
    )
    assert translated != download
    response = _upload(client, translated)  # the downloaded catalog passes the checks
    assert response.status_code == 200, text_of(response)[-3000:]
    assert "Паллиативтік көмек өмірді жақсартады." in _welcome_in_kazakh().html


def test_export_writes_no_format_flags(courses, app, client, translator):
    """A translator's tool may flag entries python-format; content catalogs carry none."""
    flagged = courses.read_text(encoding="utf-8").replace(DOSE, "#, python-format\n" + DOSE_KK)
    source = 'msgid "Palliative care improves quality of life."'
    flagged = flagged.replace(source, f"#, fuzzy, python-format\n{source}")
    assert _upload(client, flagged).status_code == 200
    assert _export(app, "--locale", "kk").exit_code == 0
    written = courses.read_text(encoding="utf-8")
    assert "format" not in written
    assert f"#, fuzzy\n{source}" in written


def test_a_revision_saved_by_a_script_with_no_uploader_tells_nobody(app):
    """A revision with no uploader (a script, a restore from a backup) is imported and
    nobody is told: the import task must not fail looking for its uploader."""
    from app.i18n.tasks import _tell_uploader
    from app.notifications.models import Notification

    revision = CatalogRevision(course_key=COURSE, locale="kk", content="", uploaded_by_id=None)
    db.session.add(revision)
    db.session.flush()
    _tell_uploader(revision.id, "imported")
    assert db.session.scalar(select(Notification).limit(1)) is None
