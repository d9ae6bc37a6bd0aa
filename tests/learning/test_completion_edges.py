"""Rough edges of completion (issue 16): the course page says what completing it takes
(generated from the rule, so every course says it), and completing a course leads to the
certificate and the knowledge gained."""

from pathlib import Path

import yaml

from app.auth.models import Profession
from app.courses import queries as course_queries
from app.courses.queries import get_course
from app.extensions import db
from app.learning import completion
from app.learning.enrolment import enrol_learner
from app.learning.models import Certificate
from app.learning.progress import complete_lesson
from app.learning.queries import get_enrolment
from tests.factories import make_user
from tests.helpers import post_form, text_of
from tests.quizzes.helpers import complete_lessons, take

COURSES = Path(__file__).resolve().parents[2] / "courses"


# --- 9. What completing a course takes, from its rule ---------------------------------


def test_every_clause_of_every_real_course_describes_itself(app):
    for course_yaml in sorted(COURSES.glob("*/course.yaml")):
        rule = yaml.safe_load(course_yaml.read_text())["completion"]
        clauses = set(rule) - completion.RULE_KEYS_NOT_CLAUSES
        for path in (rule.get("paths") or {}).values():
            clauses |= set(path)
        assert clauses <= set(completion._DESCRIBERS), course_yaml


def test_the_rule_in_words_lessons_quizzes_and_paths(app, quiz_course):
    quiz_course.completion_rule = quiz_course.completion_rule | {
        "paths": {"social_worker": {"quizzes": []}, "doctor": {"quizzes": ["check", "knowledge"]}}
    }
    described = completion.describe_rule(quiz_course, "en")
    assert described.steps == [
        "Complete the required lesson",
        "Pass 1 quiz: Check your understanding",
    ]
    paths = {path.profession: path for path in described.paths}
    assert paths["social_worker"].label == "Social worker"
    assert paths["doctor"].steps == [
        "Pass these 2 quizzes: Check your understanding; Knowledge test"
    ]
    db.session.rollback()


def test_the_trainer_course_says_it_needs_workshop_sessions(client, login, app):
    from app.courses.importer import import_courses
    from tests.conftest import FIXTURE_COURSES

    import_courses(FIXTURE_COURSES)
    db.session.commit()
    course = get_course("trainer-course")
    course.completion_rule = course.completion_rule | {"workshop_sessions": 2}
    db.session.commit()
    login(make_user())
    html = text_of(client.get("/courses/trainer-course"))
    assert "To complete this course" in html
    assert "Attend 2 sessions of the course&#39;s on-site workshop" in html


def test_the_course_page_names_the_viewers_own_path(client, login, quiz_course):
    quiz_course.completion_rule = quiz_course.completion_rule | {
        "paths": {"social_worker": {"quizzes": []}}
    }
    db.session.commit()
    login(make_user(profession=Profession.SOCIAL_WORKER))
    html = text_of(client.get("/courses/quiz-course"))
    assert "Pass 1 quiz: Check your understanding" in html
    assert "“Social worker”" in html and "(your path)" in html


def test_the_page_is_the_same_in_another_language(client, login, quiz_course):
    login(make_user(locale="ru"))
    response = client.get("/courses/quiz-course?lang=ru")
    assert response.status_code == 200  # the clause words go through gettext


# --- 5. Completing a course leads to the certificate and the gain ----------------------


def test_the_completed_course_links_the_certificate_and_shows_the_gain(client, login, quiz_course):
    user = make_user(locale="en")
    enrol_learner(user, quiz_course)
    take(user, quiz_course, "knowledge", right=False)  # pre-test: 0%
    complete_lessons(user, quiz_course)
    take(user, quiz_course, "check", right=True)  # completes the course
    take(user, quiz_course, "knowledge", right=True)  # post-test: 100%
    db.session.commit()
    login(user)
    html = text_of(client.get("/courses/quiz-course"))
    certificate = db.session.query(Certificate).one()
    assert f"/certificates/{certificate.code}" in html
    assert (
        "Your knowledge test: 0% before the course, 100% after it" in html
        and "0%" in html
        and "100%" in html
    )


def test_a_revoked_certificate_is_marked_on_the_course_page(client, login, quiz_course):
    from app.db_types import utcnow

    user = make_user(locale="en")
    enrol_learner(user, quiz_course)
    take(user, quiz_course, "knowledge", right=False)
    complete_lessons(user, quiz_course)
    take(user, quiz_course, "check", right=True)
    db.session.query(Certificate).one().revoked_at = utcnow()
    db.session.commit()
    login(user)
    assert "(revoked)" in text_of(client.get("/courses/quiz-course"))


def test_no_gain_no_completion_no_banner(client, login, quiz_course):
    user = make_user(locale="en")
    enrol_learner(user, quiz_course)
    db.session.commit()
    login(user)
    html = text_of(client.get("/courses/quiz-course"))
    assert "Your knowledge test" not in html and "See your certificate" not in html


def test_the_lesson_that_completes_the_course_leads_to_the_course_page(
    client, login, sample_course
):
    user = make_user(locale="en")
    enrolment = enrol_learner(user, sample_course)
    outline = course_queries.get_course_outline(user, sample_course)
    states = outline.states()
    first = states[0].lesson
    for state in states[1:]:  # every other lesson first: the first one is the last step
        complete_lesson(user, enrolment, state.lesson)
    db.session.commit()
    login(user)
    url = f"/courses/sample-course/lessons/{first.key}"
    response = post_form(client, f"{url}/complete", {}, form_page=url)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/courses/sample-course")
    page = text_of(client.get("/courses/sample-course"))
    assert "You completed the course" in page and "See your certificate" in page
    assert get_enrolment(user, sample_course) is not None
