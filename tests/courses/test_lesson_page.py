"""The lesson page's floor (issue 21): few queries, content kept per content version (an
import shows at once), and an ETag that changes with everything the page shows."""

import dataclasses
import shutil

from sqlalchemy import select

from app.auth.models import Role
from app.courses import content_cache
from app.courses.importer import import_courses
from app.courses.models import Enrolment, Lesson
from app.extensions import db
from app.notifications.models import Notification
from app.outbox import SIGNED_OUT_MARK
from tests.conftest import FIXTURE_COURSES
from tests.factories import make_user
from tests.helpers import count_statements, csrf_token, post_form, text_of

COURSE = "/courses/sample-course"
WELCOME = f"{COURSE}/lessons/welcome"
SECOND = f"{COURSE}/lessons/second"


def enrol(client):
    return post_form(client, f"{COURSE}/enrol", {}, form_page=COURSE)


def etag_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-cache"
    return response.headers["ETag"]


def again(client, url, etag):
    return client.get(url, headers={"If-None-Match": etag})


def copied_course(tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(FIXTURE_COURSES / "sample-course", root / "sample-course")
    import_courses(root)
    db.session.commit()
    return root


def test_a_warm_lesson_request_takes_at_most_4_queries(client, login, tmp_path):
    root = copied_course(tmp_path)
    login(make_user(locale="en"))
    enrol(client)
    client.get(WELCOME)  # after a commit, the first request reloads the signed-in user
    few = count_statements(lambda: client.get(WELCOME))
    assert few <= 4
    basics = root / "sample-course/modules/01-basics"
    for n in range(3, 23):
        (basics / f"{n:02d}-extra.md").write_text(
            f"---\nid: extra-{n}\ntitle: Extra {n}\n---\n\nText {n}.\n"
        )
    import_courses(root)
    db.session.commit()
    client.get(WELCOME)  # the new version is read once (outline, text), then kept
    assert count_statements(lambda: client.get(WELCOME)) == few


def test_an_import_shows_at_once_though_the_old_content_was_kept(client, login, tmp_path):
    root = copied_course(tmp_path)
    login(make_user(locale="en"))
    enrol(client)
    page = text_of(client.get(WELCOME))
    assert "Start early." in page and "Second lesson" in page  # the pager
    assert len(content_cache.rendered_lessons) >= 1
    welcome = root / "sample-course/modules/01-basics/01-welcome.md"
    welcome.write_text(welcome.read_text().replace("Start early.", "Start very early."))
    second = root / "sample-course/modules/01-basics/02-second.md"
    second.write_text(second.read_text().replace("title: Second lesson", "title: Lesson two"))
    import_courses(root)
    db.session.commit()
    page = text_of(client.get(WELCOME))
    assert "Start very early." in page and "Start early." not in page
    assert "Lesson two" in page and "Second lesson" not in page
    second.unlink()  # retired by the next import: gone from the pager, and 404
    import_courses(root)
    db.session.commit()
    assert "Lesson two" not in text_of(client.get(WELCOME))
    assert client.get(SECOND).status_code == 404


def test_the_cache_is_keyed_by_the_version_in_the_database(client, login, sample_course):
    """Another worker's cache never serves old content: what a process keeps is found by
    the version it reads on each request, so a stale entry is simply never asked for."""
    login(make_user(locale="en"))
    enrol(client)
    client.get(WELCOME)
    for key in list(content_cache.rendered_lessons._items):
        stale = content_cache.rendered_lessons._items[key]
        content_cache.rendered_lessons._items[key] = dataclasses.replace(
            stale, article=stale.article.replace("Start early.", "STALE")
        )
    assert "STALE" in text_of(client.get(WELCOME))  # the same version: kept
    sample_course.imported_at = sample_course.imported_at.replace(microsecond=1)  # re-imported
    db.session.commit()
    page = text_of(client.get(WELCOME))
    assert "STALE" not in page and "Start early." in page


def test_a_repeat_view_is_a_304_and_still_records_the_visit(client, login, sample_course):
    learner = make_user(locale="en")
    login(learner)
    enrol(client)
    etag = etag_of(client, WELCOME)
    client.get(SECOND)
    response = again(client, WELCOME, etag)
    assert response.status_code == 304 and response.data == b""
    assert response.headers["ETag"] == etag
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == learner.id))
    db.session.refresh(enrolment)
    welcome = db.session.scalar(select(Lesson).where(Lesson.key == "welcome"))
    assert enrolment.last_lesson_id == welcome.id
    assert again(client, WELCOME, '"something-else"').status_code == 200


def test_progress_changes_the_etag(client, login, sample_course):
    login(make_user(locale="en"))
    enrol(client)
    before = etag_of(client, SECOND)
    post_form(client, f"{COURSE}/lessons/welcome/complete", {}, form_page=WELCOME)
    client.get(SECOND)  # shows the flash "Lesson marked as complete."
    response = again(client, SECOND, before)
    assert response.status_code == 200 and 'value="33"' in text_of(response)
    assert response.headers["ETag"] != before


def test_the_language_changes_the_etag(client, login, sample_course):
    learner = make_user(locale="en")
    login(learner)
    enrol(client)
    english = etag_of(client, WELCOME)
    learner.locale = "ru"
    db.session.commit()
    response = again(client, WELCOME, english)
    assert response.status_code == 200 and 'lang="ru"' in text_of(response)
    assert response.headers["ETag"] != english


def test_new_content_changes_the_etag(client, login, tmp_path):
    root = copied_course(tmp_path)
    login(make_user(locale="en"))
    enrol(client)
    before = etag_of(client, WELCOME)
    welcome = root / "sample-course/modules/01-basics/01-welcome.md"
    welcome.write_text(welcome.read_text().replace("Start early.", "Start very early."))
    import_courses(root)
    db.session.commit()
    response = again(client, WELCOME, before)
    assert response.status_code == 200 and "Start very early." in text_of(response)


def test_a_flash_message_is_never_hidden_behind_a_304(client, login, sample_course):
    login(make_user(locale="en"))
    enrol(client)
    etag = etag_of(client, WELCOME)
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "A message shown once.")]
    response = again(client, WELCOME, etag)
    assert response.status_code == 200 and "A message shown once." in text_of(response)
    assert "ETag" not in response.headers
    assert again(client, WELCOME, etag).status_code == 304  # shown: the page is as before


def test_the_signed_out_mark_is_never_hidden_behind_a_304(client, login, sample_course):
    # Someone signed out on this browser: the next page tells the device to forget their
    # stored pages (data-signed-out), once; a 304 would keep the copy without the mark.
    learner = make_user(locale="en")
    login(learner)
    enrol(client)
    etag = etag_of(client, WELCOME)
    with client.session_transaction() as session:
        session[SIGNED_OUT_MARK] = "12345"
    response = again(client, WELCOME, etag)
    assert response.status_code == 200 and 'data-signed-out="12345"' in text_of(response)
    assert "ETag" not in response.headers
    assert again(client, WELCOME, etag).status_code == 304  # shown: the page is as before


def test_an_unread_notification_changes_the_etag(client, login, sample_course):
    learner = make_user(locale="en")
    login(learner)
    enrol(client)
    etag = etag_of(client, WELCOME)
    db.session.add(Notification(recipient_id=learner.id, kind="test", params={}))
    db.session.commit()
    response = again(client, WELCOME, etag)
    assert response.status_code == 200 and 'class="count"' in text_of(response)


def test_another_person_never_gets_a_304_for_my_page(app, client, login, sample_course):
    login(make_user(locale="en"))
    enrol(client)
    mine = etag_of(client, WELCOME)
    other = app.test_client()
    from tests.helpers import sign_in

    trainer = make_user(locale="en", roles=[Role.TRAINER])  # reads without enrolling
    sign_in(other, trainer.email, "palliare-demo")
    assert again(other, WELCOME, mine).status_code == 200
    learner, third = make_user(locale="en"), app.test_client()
    sign_in(third, learner.email, "palliare-demo")
    response = again(third, WELCOME, mine)  # not enrolled: sent to the course page
    assert response.status_code == 302 and response.headers["Location"].endswith(COURSE)


def test_signed_out_with_an_etag_is_sent_to_sign_in(app, client, login, sample_course):
    login(make_user(locale="en"))
    enrol(client)
    etag = etag_of(client, WELCOME)
    response = app.test_client().get(WELCOME, headers={"If-None-Match": etag})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_kept_progress_and_button_are_each_learners_own(app, client, login, sample_course):
    """The progress line and the complete button are kept per language and percent or
    title (templating.cached_fragment): a learner further on sees their own figure."""
    ahead, behind = make_user(locale="en"), make_user(locale="en")
    login(ahead)
    enrol(client)
    post_form(client, f"{WELCOME}/complete", {}, form_page=WELCOME)
    ahead_page = text_of(client.get(SECOND))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/profile")})
    login(behind)
    enrol(client)
    behind_page = text_of(client.get(SECOND))
    assert "0% of the course complete" in behind_page
    assert "0% of the course complete" not in ahead_page
    assert "% of the course complete" in ahead_page
    for page in (ahead_page, behind_page):
        assert 'value="Lesson completed: Second' in page and ">Mark as complete</button>" in page
    in_russian = text_of(client.get(f"{SECOND}?lang=ru"))
    assert ">Mark as complete</button>" not in in_russian
