"""The home by role: each role's section with real data, and none of the others'; each
read in a bounded number of queries."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from flask import render_template
from sqlalchemy import update

from app.auth.models import Role
from app.cohorts.models import CohortMember
from app.courses import queries as course_queries
from app.db_types import utcnow
from app.demo import DEMO_PASSWORD
from app.extensions import db
from app.learning.progress import complete_lesson, record_lesson_visit
from app.learning.queries import get_enrolment
from app.notifications.models import OutboxMessage
from tests.factories import (
    make_certificate,
    make_cohort,
    make_completion,
    make_institution,
    make_programme,
    make_user,
)
from tests.helpers import count_statements, sign_in, text_of
from tests.quizzes.helpers import complete_lessons, enrol, take

LEARNING, TEACHING = "Your learning", "Your teaching"
ADMINISTRATION, LANGUAGES = "Administration", "Your languages"


@pytest.fixture
def hospital():
    return make_institution(name="Almaty Regional Hospital", default_locale="en")


def _home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return text_of(response)


def _stuck(cohort, user, days=30):
    """``user`` joined ``cohort`` ``days`` ago and has done nothing since."""
    db.session.execute(
        update(CohortMember)
        .where(CohortMember.cohort_id == cohort.id, CohortMember.user_id == user.id)
        .values(joined_at=utcnow() - timedelta(days=days))
    )
    db.session.commit()


# -- The learner --------------------------------------------------------------------


def test_a_learner_continues_where_they_left_off(sample_course, client, login):
    learner = make_user(locale="en")
    enrolment = enrol(learner, sample_course)
    first, second, *_ = [
        s.lesson for s in course_queries.get_course_outline(learner, sample_course).states()
    ]
    complete_lesson(learner, enrolment, first)
    record_lesson_visit(enrolment, second)
    db.session.commit()
    login(learner)
    html = _home(client)
    assert LEARNING in html and "Continue the lesson" in html
    lesson_url = f"/courses/sample-course/lessons/{second.key}"
    assert f'class="button primary-action" href="{lesson_url}"' in html
    assert TEACHING not in html and ADMINISTRATION not in html and LANGUAGES not in html


def test_a_lesson_done_sends_the_learner_to_the_next_one(sample_course, client, login):
    learner = make_user(locale="en")
    enrolment = enrol(learner, sample_course)
    first, second, *_ = [
        s.lesson for s in course_queries.get_course_outline(learner, sample_course).states()
    ]
    complete_lesson(learner, enrolment, first)
    db.session.commit()
    login(learner)
    assert f"/courses/sample-course/lessons/{second.key}" in _home(client)


def test_a_new_learner_is_sent_to_the_catalog(client, login):
    login(make_user(locale="en"))
    html = _home(client)
    assert LEARNING in html and "You are not enrolled in a course yet." in html
    assert 'class="button primary-action" href="/courses/"' in html


def test_the_learner_sees_deadlines_certificates_and_gain(
    sample_course, quiz_course, hospital, client, login
):
    trainer = make_user(roles=[Role.TRAINER], institution=hospital)
    learner = make_user(locale="en", institution=hospital)
    late = make_cohort(
        trainer,
        [sample_course],
        members=[learner],
        name="Spring cohort",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 6, 30),
    )
    make_cohort(
        trainer,
        [sample_course],
        members=[learner],
        name="Autumn cohort",
        ends_on=date(2099, 12, 31),
    )
    done = make_cohort(trainer, [quiz_course], members=[learner], name="Finished cohort")
    enrol(learner, quiz_course)
    take(learner, quiz_course, "knowledge", right=False)
    complete_lessons(learner, quiz_course)
    take(learner, quiz_course, "knowledge", right=True)
    take(learner, quiz_course, "check", right=True)
    db.session.commit()
    login(learner)
    html = _home(client)
    assert html.index("Spring cohort") < html.index("Autumn cohort")  # soonest first
    assert f'href="/cohorts/{late.id}">Spring cohort</a><br>\n      <strong>Overdue' in html
    assert "Finished cohort" not in html and f"/cohorts/{done.id}" not in html  # all done
    assert "Certificates earned" in html and "/certificates/" in html
    assert "Your latest knowledge gain" in html and "0% → 100%" in html


def test_a_revoked_certificate_is_not_listed(sample_course, client, login):
    learner = make_user(locale="en")
    certificate = make_certificate(learner, sample_course)
    certificate.revoked_at = utcnow()
    db.session.commit()
    login(learner)
    assert certificate.code not in _home(client)


# -- The trainer --------------------------------------------------------------------


def test_a_trainer_sees_their_cohorts_and_who_is_stuck(sample_course, hospital, client, login):
    trainer = make_user(roles=[Role.TRAINER], institution=hospital, locale="en")
    stuck, moving = make_user(name="Stuck Learner"), make_user(name="Moving Learner")
    cohort = make_cohort(trainer, [sample_course], members=[stuck, moving], name="Beijing TOT")
    _stuck(cohort, stuck)
    enrol(moving, sample_course)
    record_lesson_visit(
        get_enrolment(moving, sample_course),
        course_queries.get_course_outline(moving, sample_course).states()[0].lesson,
    )
    db.session.commit()
    login(trainer)
    html = _home(client)
    assert TEACHING in html and "Beijing TOT" in html
    assert f"/cohorts/{cohort.id}?status=inactive&amp;q=Stuck+Learner#progress" in html
    assert "Moving Learner" not in html
    assert LEARNING not in html  # a trainer who does not learn has no learning section


def test_a_trainer_sees_only_their_own_cohorts_stuck_members(
    sample_course, hospital, client, login
):
    mine = make_user(roles=[Role.TRAINER], institution=hospital, locale="en")
    other = make_user(roles=[Role.TRAINER], institution=hospital)
    theirs = make_user(name="Somebody Else's Learner")
    cohort = make_cohort(other, [sample_course], members=[theirs], name="Other cohort")
    _stuck(cohort, theirs)
    login(mine)
    html = _home(client)
    assert "Other cohort" not in html and "Somebody Else" not in html
    assert "You do not train a cohort yet." in html


def test_a_former_co_trainer_no_longer_sees_the_cohort(sample_course, hospital, client, login):
    from app.cohorts.services import add_trainer, remove_trainer

    lead = make_user(roles=[Role.TRAINER], institution=hospital)
    former = make_user(roles=[Role.TRAINER], institution=hospital, locale="en")
    learner = make_user(name="Quiet Learner")
    cohort = make_cohort(lead, [sample_course], members=[learner], name="Shared cohort")
    _stuck(cohort, learner)
    add_trainer(lead, cohort, former)
    db.session.commit()
    login(former)
    assert "Quiet Learner" in _home(client)  # while a co-trainer
    remove_trainer(lead, cohort, former.id)
    db.session.commit()
    html = _home(client)
    assert "Shared cohort" not in html and "Quiet Learner" not in html


def test_a_learner_without_the_trainer_role_sees_no_teaching(sample_course, client, login):
    login(make_user(locale="en"))
    html = _home(client)
    assert TEACHING not in html and "Who is stuck" not in html


def test_the_trainer_home_reads_the_same_number_of_queries_for_more_cohorts(
    sample_course, hospital, client, login
):
    trainer = make_user(roles=[Role.TRAINER], institution=hospital, locale="en")
    make_cohort(trainer, [sample_course], members=[make_user()])
    login(trainer)
    client.get("/")
    few = count_statements(lambda: client.get("/"))
    for _ in range(3):
        members = [make_user(), make_user()]
        cohort = make_cohort(trainer, [sample_course], members=members)
        _stuck(cohort, members[0])
    assert count_statements(lambda: client.get("/")) == few


# -- The coordinator and the funder ---------------------------------------------------


def test_a_coordinator_who_does_not_learn_sees_the_headline_not_learning(
    sample_course, hospital, client, login
):
    coordinator = make_user(roles=[(Role.COORDINATOR, hospital)], institution=hospital, locale="en")
    trainer = make_user(roles=[Role.TRAINER], institution=hospital)
    learners = [make_user(institution=hospital) for _ in range(3)]
    make_cohort(trainer, [sample_course], members=learners)
    make_completion(learners[0].id, sample_course.id)
    db.session.commit()
    login(coordinator)
    html = _home(client)
    assert LEARNING not in html and TEACHING not in html
    assert "Almaty Regional Hospital" in html
    assert "1 person has finished a course." in html
    assert "3 learners in cohorts:" in html
    assert "1 completed, 0 in progress, 2 not started, 0 inactive." in html
    assert f'href="/dashboards/institutions/{hospital.id}"' in html


def test_a_funder_sees_only_aggregates(sample_course, hospital, client, login):
    programme = make_programme(
        institutions=[hospital], name="Beijing programme", target_trainees=1000
    )
    funder = make_user(roles=[(Role.FUNDER, programme)], locale="en")
    finished = [make_user(institution=hospital, name=f"Finisher {i}") for i in range(3)]
    for person in finished:
        make_completion(person.id, sample_course.id)
    db.session.commit()
    login(funder)
    html = _home(client)
    assert "&lt;5 of 1,000 trainees have finished." in html  # suppressed, as published
    assert "Target: 1,000 trainees" in html
    assert f'href="/dashboards/programmes/{programme.id}"' in html
    assert "Finisher" not in html and LEARNING not in html and TEACHING not in html
    assert "Almaty Regional Hospital" not in html


# -- The translator and the administrator ----------------------------------------------


def test_a_translator_sees_coverage_and_held_back_lessons(sample_course, client, login):
    login(make_user(roles=[(Role.TRANSLATOR, "kk")], locale="en"))
    html = _home(client)
    assert LANGUAGES in html and "of the interface translated" in html
    assert "Lessons: " in html and "of their text read in this language" in html
    assert "Lessons held back" in html
    assert 'href="/translate/kk/sample-course"' in html  # the sample's kk lesson is held back
    assert LEARNING not in html


def test_an_administrator_sees_queue_health_and_the_last_week(sample_course, client, login):
    admin = make_user(roles=[Role.ADMIN], locale="en")
    db.session.add(
        OutboxMessage(
            recipient="x@example.org",
            subject="s",
            message_id="<t1@example.org>",
            template="test",
            raw=b"",
            reference="test:1",
            status=OutboxMessage.FAILED,
            next_attempt_at=utcnow(),
        )
    )
    make_certificate(make_user(), sample_course)
    db.session.commit()
    login(admin)
    html = _home(client)
    assert ADMINISTRATION in html and "E-mail outbox" in html
    assert 'href="/admin/queue"' in html
    assert "Certificates issued</dt><dd>1</dd>" in html
    assert "<dt>Failed</dt><dd><strong>1</strong></dd>" in html
    assert LEARNING not in html and "x@example.org" not in html


# -- Query counts and the upcoming sessions ---------------------------------------------


@pytest.mark.parametrize(
    "roles",
    [
        [Role.LEARNER],
        [Role.TRAINER],
        [Role.ADMIN],
        [Role.LEARNER, Role.TRAINER, Role.ADMIN],
    ],
)
def test_each_home_makes_a_bounded_number_of_queries(roles, sample_course, hospital, client, login):
    user = make_user(roles=roles, institution=hospital, locale="en")
    login(user)
    client.get("/")
    assert count_statements(lambda: client.get("/")) <= 30


def _entry(status, **fields):
    """A stand-in for app/calendar's CalendarEntry."""
    start = datetime(2030, 3, 4, 9, 30, tzinfo=UTC)
    values = {
        "kind": "workshop",
        "title": "Pain workshop",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "url": "/workshops/1",
        "status": status,
        "place": "Room 3",
        "moved_from": None,
    }
    return SimpleNamespace(**(values | fields))


def test_the_upcoming_partial_shows_times_in_the_viewers_zone_and_says_moved_or_cancelled(
    app, client, login
):
    login(make_user(locale="en", timezone="Asia/Shanghai"))
    moved_from = datetime(2030, 3, 3, 9, 30, tzinfo=UTC)
    entries = [
        _entry("scheduled"),
        _entry("moved", kind="conference", title="Case conference", moved_from=moved_from),
        _entry("cancelled", title="Cancelled workshop"),
    ]
    with client:
        client.get("/")  # a request of the signed-in viewer: their zone and language
        html = render_template("main/_upcoming.html", upcoming=entries)
    assert "Pain workshop" in html and "Room 3" in html
    assert "17:30" in html  # 09:30 UTC in Shanghai
    assert "Case conference" in html and "Moved from" in html
    assert "<s>Cancelled workshop</s>" in html and "Cancelled</strong>" in html
    assert 'href="/workshops/1"' in html


def test_the_upcoming_partial_has_an_empty_state(app, client, login):
    login(make_user(locale="en"))
    with client:
        client.get("/")
        html = render_template("main/_upcoming.html", upcoming=[])
    assert "No session coming up." in html


def test_the_learners_and_trainers_homes_list_their_next_workshop_session(
    app, sample_course, hospital
):
    from app.workshops.services import create_workshop, save_session

    trainer = make_user(roles=[Role.TRAINER], institution=hospital, name="Tara Trainer")
    learner = make_user(institution=hospital, name="Lena Learner", locale="en")
    outsider = make_user(institution=hospital, name="Olive Outsider", locale="en")
    enrol(outsider, sample_course)
    cohort = make_cohort(trainer, [sample_course], hospital, members=[learner])
    workshop = create_workshop(trainer, cohort, "Breaking bad news workshop", None)
    next_year = utcnow().year + 1
    save_session(trainer, workshop, None, datetime(next_year, 3, 4, 9, 30), 90, "Room 3", "", [])
    db.session.commit()

    for person, sees_it in ((learner, True), (trainer, True), (outsider, False)):
        client = app.test_client()  # one browser each
        sign_in(client, person.email, DEMO_PASSWORD)
        assert ("Breaking bad news workshop" in _home(client)) is sees_it, person.name
