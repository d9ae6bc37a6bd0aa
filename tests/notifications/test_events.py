"""Each event the app tells people of reaches the right person only, in their list and
(as they chose) by e-mail: reminders, session changes, case decisions, recommendations,
certificates, catalog imports."""

from datetime import datetime, timedelta

import pytest

from app.auth.models import Role
from app.cases.services import (
    CaseText,
    accept_case,
    decline_case,
    record_recommendation,
    submit_case,
)
from app.conferences import services as conferences
from app.conferences.recurrence import build_rule, occurrences
from app.conferences.reminders import send_reminders
from app.conferences.stamps import stamp_of
from app.courses.content.problems import CourseFilesInvalid
from app.db_types import utcnow
from app.extensions import db
from app.i18n import tasks as i18n_tasks
from app.i18n.models import CatalogRevision
from app.learning.certificates import revoke_certificate
from app.notifications.models import Notification, OutboxMessage
from app.notifications.services import set_channels
from tests.factories import (
    make_certificate,
    make_cohort,
    make_institution,
    make_programme,
    make_user,
)
from tests.helpers import post_form, sign_in


def _told(person, kind: str) -> list[Notification]:
    return list(db.session.query(Notification).filter_by(recipient_id=person.id, kind=kind))


def _mailed(person) -> int:
    return db.session.query(OutboxMessage).filter_by(recipient=person.email).count()


@pytest.fixture
def conference(app):
    """A series starting tomorrow, organised by a trainer; two participants; an outsider."""
    here = make_institution(default_locale="en", timezone="Asia/Almaty")
    programme = make_programme([here])
    people = {
        "organiser": make_user(roles=[Role.TRAINER], institution=here),
        "clinician": make_user(institution=here),
        "colleague": make_user(institution=here),
        "outsider": make_user(institution=make_institution()),
    }
    tomorrow = (utcnow() + timedelta(days=1)).replace(tzinfo=None)
    first = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 15, 0)
    details = conferences.SeriesDetails(
        title="Almaty ECHO",
        description="",
        owner=("programme", programme.id),
        timezone="Asia/Almaty",
        starts_local=first,
        duration_minutes=60,
        rrule=build_rule("weekly", 1, first.date(), 4, None, "Asia/Almaty"),
        meeting_url="https://meet.jit.si/x",
    )
    series = conferences.create_series(people["organiser"], details)
    conferences.join_series(people["clinician"], series)
    conferences.join_series(people["colleague"], series)
    db.session.commit()
    return {"series": series, **people}


def _case(conference):
    series = conference["series"]
    occurrence = occurrences(series)[0]
    text = CaseText("70-79", "female", "Cancer", "Pain", "Alone", "Home", "How?")
    case = submit_case(conference["clinician"], series, occurrence.original_start, text, [])
    db.session.commit()
    return case


def test_a_cohort_reminder_tells_the_chosen_learner_only(app, client, login, sample_course):
    institution = make_institution()
    trainer = make_user(roles=[Role.TRAINER], institution=institution, name="Tanya Trainer")
    learner, classmate = make_user(institution=institution), make_user(institution=institution)
    cohort = make_cohort(trainer, [sample_course], members=[learner, classmate])
    login(trainer)
    url = f"/cohorts/{cohort.id}"
    post_form(client, f"{url}/reminders", {"learner": [learner.id]}, form_page=url)
    [notice] = _told(learner, "cohort_reminder")
    assert notice.params["name"] == cohort.name and notice.params["trainer"] == "Tanya Trainer"
    assert _mailed(learner) == 1  # the reminder's own e-mail, once
    assert _told(classmate, "cohort_reminder") == [] and _told(trainer, "cohort_reminder") == []


def test_a_cancelled_session_tells_each_participant(app, client, login, conference):
    set_channels(conference["colleague"], {"session_changed": "app"})
    db.session.commit()
    series = conference["series"]
    stamp = stamp_of(occurrences(series)[1].original_start)
    login(conference["organiser"])
    page = f"/conferences/{series.id}/sessions/{stamp}"
    response = post_form(
        client, f"{page}/change", {"cancelled": "y", "note": "Holiday"}, form_page=page
    )
    assert response.status_code == 303
    for person in (conference["clinician"], conference["colleague"]):
        [notice] = _told(person, "session_changed")
        assert notice.params["variant"] == "cancelled" and notice.params["note"] == "Holiday"
    assert _mailed(conference["clinician"]) == 1 and _mailed(conference["colleague"]) == 0
    assert _told(conference["outsider"], "session_changed") == []


def test_a_moved_session_says_where_it_went(app, client, login, conference):
    series = conference["series"]
    original = occurrences(series)[1].original_start
    stamp = stamp_of(original)
    login(conference["organiser"])
    page = f"/conferences/{series.id}/sessions/{stamp}"
    new_start = (original + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    post_form(client, f"{page}/change", {"new_start": new_start}, form_page=page)
    [notice] = _told(conference["clinician"], "session_changed")
    assert notice.params["variant"] == "moved" and notice.params["new_at"]
    reader = app.test_client()
    sign_in(reader, conference["clinician"].email, "palliare-demo")
    assert "moves to" in reader.get("/notifications/").get_data(as_text=True)


def test_a_conference_reminder_tells_each_participant_once(app, conference):
    with app.test_request_context():
        assert send_reminders(timedelta(days=2)) == 3  # the organiser takes part too
        assert send_reminders(timedelta(days=2)) == 0
    for person in ("clinician", "colleague", "organiser"):
        assert len(_told(conference[person], "session_reminder")) == 1
    assert _told(conference["outsider"], "session_reminder") == []


@pytest.mark.parametrize("decide", [accept_case, decline_case])
def test_a_decision_on_a_case_tells_its_submitter_only(app, conference, decide):
    case = _case(conference)
    with app.test_request_context():
        decide(conference["organiser"], case)
    db.session.commit()
    [notice] = _told(conference["clinician"], "case_decided")
    assert notice.params["variant"] == case.status and notice.params["case_id"] == case.id
    assert _told(conference["colleague"], "case_decided") == []
    assert _told(conference["organiser"], "case_decided") == []


def test_a_recommendation_tells_the_submitter(app, conference):
    case = _case(conference)
    with app.test_request_context():
        accept_case(conference["organiser"], case)
        record_recommendation(conference["organiser"], case, "Start a low-dose opioid.")
    db.session.commit()
    [notice] = _told(conference["clinician"], "case_recommendation")
    assert "opioid" not in str(notice.params)  # the list says where to read it, not what
    assert _told(conference["colleague"], "case_recommendation") == []


def test_certificates_issued_and_revoked_tell_their_holder(app, sample_course):
    holder, admin = make_user(), make_user(roles=[Role.ADMIN])
    with app.test_request_context():
        certificate = make_certificate(holder, sample_course)
        revoke_certificate(admin, certificate, "Completed by someone else")
        revoke_certificate(admin, certificate, "Again")  # already revoked: not told twice
    db.session.commit()
    variants = [n.params["variant"] for n in _told(holder, "certificate")]
    assert sorted(variants) == ["issued", "revoked"]
    assert _told(admin, "certificate") == []


@pytest.mark.parametrize(("fails", "variant"), [(False, "imported"), (True, "failed")])
def test_a_catalog_import_tells_the_translator_who_uploaded(app, monkeypatch, fails, variant):
    translator, other = make_user(roles=[(Role.TRANSLATOR, "kk")]), make_user()
    revision = CatalogRevision(
        course_key="sample-course", locale="kk", content="", uploaded_by_id=translator.id
    )
    db.session.add(revision)
    db.session.commit()

    def import_courses(root):
        if fails:
            raise CourseFilesInvalid([])

    monkeypatch.setattr(i18n_tasks, "import_courses", import_courses)
    with app.test_request_context():
        i18n_tasks.import_courses_again.call_local(revision.id)
    [notice] = _told(translator, "catalog_imported")
    assert notice.params["variant"] == variant and notice.params["locale"] == "kk"
    assert _mailed(translator) == 1  # "e-mail" is a real choice for every kind
    assert _told(other, "catalog_imported") == []
