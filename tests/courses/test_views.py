"""Catalog, course and lesson pages, enrolment and progress, through HTTP."""

import shutil

from sqlalchemy import select

from app.auth.models import Profession, Role
from app.courses.importer import import_courses
from app.courses.models import Course, LessonProgress
from app.extensions import db
from tests.conftest import FIXTURE_COURSES
from tests.factories import make_user
from tests.helpers import count_statements, post_form, text_of

COURSE = "/courses/sample-course"


def enrol(client):
    return post_form(client, f"{COURSE}/enrol", {}, form_page=COURSE)


def test_catalog_shows_courses_for_my_profession_unless_i_ask_for_all(client, login, sample_course):
    login(make_user(profession=Profession.SOCIAL_WORKER, locale="en"))
    assert "Sample course" not in text_of(client.get("/courses/"))
    assert "Sample course" in text_of(client.get("/courses/?audience=all"))


def test_enrol_read_complete_and_resume(client, login, sample_course):
    learner = make_user(locale="en")
    login(learner)
    response = enrol(client)
    assert response.headers["Location"].endswith(f"{COURSE}/lessons/welcome")
    page = text_of(client.get(f"{COURSE}/lessons/welcome"))
    assert "Key point" in page and "Start early." in page
    assert 'value="0"' in page  # the progress bar starts empty
    response = post_form(
        client, f"{COURSE}/lessons/welcome/complete", {}, form_page=f"{COURSE}/lessons/welcome"
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{COURSE}/lessons/second")
    page = text_of(client.get(COURSE))
    assert 'value="33"' in page  # one of three lessons
    assert "Continue: Second lesson" in page  # resume where I left off
    done = db.session.scalars(select(LessonProgress).where(LessonProgress.user_id == learner.id))
    assert sum(p.completed_at is not None for p in done) == 1


def test_completing_twice_counts_once(client, login, sample_course):
    login(make_user(locale="en"))
    enrol(client)
    for _ in range(2):
        post_form(
            client, f"{COURSE}/lessons/welcome/complete", {}, form_page=f"{COURSE}/lessons/welcome"
        )
    assert (
        db.session.query(LessonProgress).filter(LessonProgress.completed_at.is_not(None)).count()
        == 1
    )


def test_a_learner_must_enrol_before_reading(client, login, sample_course):
    login(make_user(locale="en"))
    response = client.get(f"{COURSE}/lessons/welcome")
    assert response.status_code == 302 and response.headers["Location"].endswith(COURSE)
    assert client.post(f"{COURSE}/lessons/welcome/complete").status_code in (400, 403)


def test_trainers_preview_without_progress(client, login, sample_course):
    login(make_user(roles=[Role.TRAINER], locale="en"))
    page = text_of(client.get(f"{COURSE}/lessons/welcome"))
    assert "Preview" in page
    assert db.session.query(LessonProgress).count() == 0


def test_cohort_only_courses_cannot_be_self_enrolled(client, login, sample_course):
    sample_course.enrolment = "cohort"
    db.session.commit()
    login(make_user(locale="en"))
    assert "Enrol and start" not in text_of(client.get(COURSE))
    response = enrol(client)
    assert response.status_code == 303
    assert "open only to the members of a cohort" in text_of(client.get(COURSE))


def test_russian_lesson_and_kazakh_partly_untranslated_note(client, login, sample_course):
    login(make_user(locale="ru"))
    enrol(client)
    russian = text_of(client.get(f"{COURSE}/lessons/welcome"))
    assert "Почему это важно" in russian and "Добро пожаловать" in russian
    kazakh = text_of(client.get(f"{COURSE}/lessons/welcome?lang=kk"))
    assert "Қош келдіңіз" in kazakh
    assert 'class="note untranslated"' in kazakh
    english = text_of(client.get(f"{COURSE}/lessons/welcome?lang=en"))
    assert 'class="note untranslated"' not in english


def test_dose_callout_carries_the_formulary_reminder_in_the_viewers_language(
    client, login, sample_course
):
    login(make_user(locale="en"))
    enrol(client)
    page = text_of(client.get(f"{COURSE}/lessons/welcome"))
    assert "Safety-critical: dose, conversion or route" in page
    assert "national or local formulary" in page


def test_video_with_captions_files_and_sources(client, login, sample_course):
    login(make_user(locale="en"))
    enrol(client)
    page = text_of(client.get(f"{COURSE}/lessons/welcome"))
    assert '<video controls preload="none" src="/courses/sample-course/files/intro.mp4">' in page
    assert 'src="/courses/sample-course/files/intro.en.vtt" srclang="en"' in page
    assert 'href="/courses/sample-course/files/diary.txt"' in page
    assert "Test source one." in page
    download = client.get("/courses/sample-course/files/diary.txt")
    assert download.status_code == 200 and b"Pain 0-10" in download.data
    assert client.get("/courses/sample-course/files/../course.yaml").status_code == 404


def test_unknown_course_and_lesson_are_404(client, login, sample_course):
    login(make_user())
    assert client.get("/courses/nope").status_code == 404
    assert client.get(f"{COURSE}/lessons/nope").status_code == 404


def _queries_for(client, url) -> int:
    """SQL statements one request runs, once warm."""
    client.get(url)  # after a commit, the first request reloads the signed-in user

    def visit():
        assert client.get(url).status_code == 200

    return count_statements(visit)


def test_course_page_queries_do_not_grow_with_its_lessons(client, login, tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(FIXTURE_COURSES / "sample-course", root / "sample-course")
    import_courses(root)
    db.session.commit()
    login(make_user(locale="en"))
    enrol(client)
    small = _queries_for(client, COURSE)
    basics = root / "sample-course/modules/01-basics"
    for n in range(3, 23):
        (basics / f"{n:02d}-extra.md").write_text(
            f"---\nid: extra-{n}\ntitle: Extra {n}\n---\n\nText {n}.\n"
        )
    import_courses(root)
    db.session.commit()
    assert db.session.scalar(select(Course)).key == "sample-course"
    assert _queries_for(client, COURSE) == small
    assert _queries_for(client, "/courses/") == _queries_for(client, "/courses/?audience=all")


def test_a_cohort_courses_files_are_for_its_readers(client, login, sample_course):
    sample_course.enrolment = "cohort"
    db.session.commit()
    login(make_user(locale="en"))
    assert client.get("/courses/sample-course/files/diary.txt").status_code == 403


def test_a_language_added_after_the_import_shows_the_source_text(client, login, sample_course):
    from app.courses.models import LessonText

    db.session.query(LessonText).filter(LessonText.locale == "sv").delete()
    db.session.commit()
    login(make_user(locale="sv"))
    enrol(client)
    assert "Start early." in text_of(client.get(f"{COURSE}/lessons/welcome"))


def test_a_lesson_held_back_for_its_dose_line_says_so(client, login, sample_course):
    """The fixture's Kazakh catalog lacks the welcome lesson's dose line: Kazakh readers
    get the whole lesson in Russian (the next language in their chain), with a note."""
    login(make_user(locale="kk"))
    enrol(client)
    page = text_of(client.get(f"{COURSE}/lessons/welcome"))
    assert '<article class="lesson" lang="ru">' in page
    assert "Морфин 5 мг внутрь по необходимости." in page
    assert "Русский" in page.split('role="note"', 1)[1].split("</p>", 1)[0]
