"""Every route, for every role and for a signed-out visitor, against its declared policy."""

from datetime import date, datetime
from pathlib import Path

import pytest
from flask import url_for

from app.auth.models import Role
from app.auth.policies import policy_of
from app.auth.services import invite_person
from app.cases.attachments import CheckedFile
from app.cases.services import CaseText, submit_case
from app.cohorts.services import CohortDetails, add_members, create_cohort
from app.conferences.recurrence import occurrences
from app.conferences.services import SeriesDetails, create_series, join_series
from app.conferences.stamps import stamp_of
from app.courses.queries import get_course
from app.extensions import db
from app.learning.enrolment import enrol_learner
from app.placements.services import OfferDetails, accept, create_offer, nominate, select_placement
from app.quizzes.queries import get_quiz
from app.quizzes.services import start_attempt
from app.trainers.certification import certify_master_trainer
from app.workshops.services import create_workshop, save_session
from tests.auth.test_permissions import ROUTES
from tests.factories import make_certificate, make_institution, make_programme, make_user
from tests.helpers import sign_in
from tests.library.conftest import stored_video

ENDPOINT_VALUES = {
    "static": {"filename": "css/app.css"},
    "quizzes.quiz": {"course_key": "quiz-course"},
    "quizzes.start": {"course_key": "quiz-course"},
    "quizzes.statistics": {"course_key": "quiz-course"},
    "dashboards.programme_csv": {"key": "institutions"},
    "dashboards.institution_csv": {"key": "professions"},
    "translate.course": {"locale": "kk", "course_key": "sample-course"},
    "translate.download": {"locale": "kk", "course_key": "sample-course"},
    "translate.upload": {"locale": "kk", "course_key": "sample-course"},
    "translate.preview": {"locale": "kk", "course_key": "sample-course"},
    "placements.assessment_form": {"stage": "mid"},
    "placements.follow_up": {"months": 3},
    "library.media": {"slug": "policy-walk", "kind": "poster"},
    "library.video": {"slug": "policy-walk"},
    "library.preview": {"kind": "poster"},
    "library.video_action": {"action": "unpublish"},
    "library.caption_track": {"slug": "policy-walk", "locale": "en"},
    "library.captions_page": {"slug": "policy-walk"},
    "translate.document": {"locale": "kk", "document_id": "protocol:1"},
    "translate.document_download": {"locale": "kk", "document_id": "protocol:1"},
    "translate.document_upload": {"locale": "kk", "document_id": "protocol:1"},
    "protocols.current": {"slug": "subcutaneous-opioids-last-days"},
    "protocols.adoption_page": {"slug": "subcutaneous-opioids-last-days"},
}
# Views that, past their policy, apply an object's rule: the permission matrix
# (tests/auth/test_permissions.py) tests each of them for every relation to the object;
# here they only have to let the policy's people through to that rule.
OBJECT_RULES = set(ROUTES) | {
    "trainers.certify",
    "conferences.feed",
    "notifications.open_notification",  # one's own only: tests/notifications/test_inbox.py
    # a certificate of observership by its code: tests/placements/test_observership_certificates.py
    "placements.observership_certificate",
    "placements.observership_certificate_pdf_download",
    # a protocol by its slug (404 until one is published): tests/protocols/test_links.py,
    # test_adoption.py
    "protocols.current",
    "protocols.adoption_page",
}
# The reporting API is public to the policy and authenticated by a bearer token, which
# these requests do not carry (tests/dashboards/test_api.py tests it with tokens).
BEARER_TOKEN = {"dashboards.api_programme", "dashboards.api_institution"}
# Pages that exist only in development (the tests run the testing configuration).
DEVELOPMENT_ONLY = {"admin.dev_mail"}
# Asked for by a script, not a person: signed out, they answer 401 in JSON (app/outbox.py),
# not with the sign-in page.
JSON_WHEN_SIGNED_OUT = {"offline.token", "offline.course_manifest"}
SERVICE_WORKER = Path(__file__).resolve().parents[2] / "app" / "static" / "js" / "sw.js"
ROLE_NAMES = ["anonymous", "learner", "trainer", "coordinator", "funder", "translator", "admin"]


@pytest.fixture
def world(app, sample_course):
    """One user per role (each enrolled in the sample course), and what URLs point at."""
    institution = make_institution()
    programme = make_programme([institution])
    users = {
        "learner": make_user(institution=institution),
        "trainer": make_user(roles=[Role.TRAINER], institution=institution),
        "coordinator": make_user(roles=[(Role.COORDINATOR, institution)], institution=institution),
        "funder": make_user(roles=[(Role.FUNDER, programme)]),
        "translator": make_user(roles=[(Role.TRANSLATOR, "kk")]),
        "admin": make_user(roles=[Role.ADMIN]),
    }
    invitation, _token = invite_person(users["admin"], "new@example.org", Role.LEARNER, institution)
    quiz_course = get_course("quiz-course")
    owned = {}
    for role, user in users.items():
        enrol_learner(user, sample_course)
        enrolment = enrol_learner(user, quiz_course)
        attempt = start_attempt(user, get_quiz(quiz_course.id, "check"), enrolment, "en")
        certificate = make_certificate(user, quiz_course)
        owned[role] = {"attempt_id": attempt.id, "code": certificate.code}
    owned["anonymous"] = owned["learner"]
    cohort_values = _cohort_world(users, institution, sample_course)
    cohort_values |= _conference_world(users, programme)
    cohort_values |= _placement_world(users, institution)
    cohort_values["video_id"] = stored_video(slug="policy-walk").id  # a published video
    cohort_values |= _library_world(cohort_values["video_id"])
    db.session.commit()
    learner = users["learner"]
    values = {
        "institution_id": institution.id,
        "programme_id": programme.id,
        "user_id": learner.id,
        "assignment_id": learner.role_assignments[0].id,
        "invitation_id": invitation.id,
        "token": "not-a-real-token",
        "filename": "diary.txt",
        "course_key": "sample-course",
        "lesson_key": "welcome",
        "quiz_key": "check",
        "message_id": 1,
        "notification_id": 10**9,  # nobody's: 404 (each one's own: tests/notifications)
        **cohort_values,
    }
    return users, values, owned


def _conference_world(users, programme) -> dict:
    """A series of the programme organised by the trainer, which the learner attends, with
    the learner's case and its attachment: what the conference URLs point at."""
    first = datetime(2030, 1, 10, 15, 0)
    details = SeriesDetails(
        "Series", "", ("programme", programme.id), "Europe/Stockholm", first, 60,
        "FREQ=WEEKLY;INTERVAL=2;COUNT=5", "https://meet.jit.si/x",
    )  # fmt: skip
    series = create_series(users["trainer"], details)
    join_series(users["learner"], series)
    occurrence = occurrences(series)[0]
    case = submit_case(
        users["learner"], series, occurrence.original_start,
        CaseText("70-79", "female", "Cancer", "Pain", "Alone", "Home", "How?"),
        [CheckedFile("a.pdf", "application/pdf", b"%PDF-1.4")],
    )  # fmt: skip
    return {
        "series_id": series.id,
        "stamp": stamp_of(occurrence.original_start),
        "case_id": case.id,
        "file_id": case.attachments[0].id,
        "action": "accept",
        "token_id": 1,
    }


def _placement_world(users, institution) -> dict:
    """An offer at a host taking part with ``institution``; the learner's placement on it,
    accepted (what the placement URLs point at)."""
    host = make_institution()
    supervisor = make_user(institution=host)
    details = OfferDetails(
        make_programme([institution, host]), host, "Observership", date(2030, 3, 1),
        date(2030, 4, 30), 14, 2, "en", ["ward_rounds"], [supervisor.email],
    )  # fmt: skip
    offer = create_offer(users["admin"], details)
    placement = nominate(users["coordinator"], offer, users["learner"])
    select_placement(users["admin"], placement)
    accept(users["admin"], placement, date(2030, 3, 2), supervisor)
    return {
        "offer_id": offer.id, "placement_id": placement.id, "step": "withdraw",
        "day": "2030-03-02", "number": 1,
        # protocols: no such protocol (its rules: tests/auth/test_permissions.py)
        "slug": "no-such-protocol", "section": "none", "reviewer_id": 1,
        "requirement_id": 1, "proposal_id": 1,
    }  # fmt: skip


def _library_world(video_id: int) -> dict:
    """Captions on the published video the library's URLs point at."""
    from app.library import captions
    from app.library.models import Video
    from tests.library.caption_fixtures import CUES

    captions.set_cues(db.session.get(Video, video_id), list(CUES))
    return {}


def _cohort_world(users, institution, course) -> dict:
    """A cohort led by the trainer with the learner in it, a workshop session, and the
    trainer's master certification: what the cohort URLs point at."""
    details = CohortDetails(
        "Cohort", institution, [course], "en", date(2026, 1, 1), date(2027, 1, 1), 10
    )
    cohort = create_cohort(users["trainer"], details)
    add_members(cohort, [users["learner"]], "code")
    workshop = create_workshop(users["trainer"], cohort, "Workshop", None)
    session = save_session(
        users["trainer"], workshop, None, datetime(2026, 3, 1, 9), 60, "Room 1", "", []
    )
    certification = certify_master_trainer(users["admin"], users["trainer"])
    return {
        "cohort_id": cohort.id,
        "join_code": cohort.join_code,
        "workshop_id": workshop.id,
        "session_id": session.id,
        "certification_id": certification.id,
    }


def routes(app):
    """(endpoint, rule) for every route."""
    return [(rule.endpoint, rule) for rule in app.url_map.iter_rules()]


def test_every_view_declares_a_policy(app):
    with app.test_request_context():
        undeclared = [endpoint for endpoint, _rule in routes(app) if policy_of(endpoint) is None]
    assert undeclared == []


def _client_for(app, role, users):
    client = app.test_client()
    if role != "anonymous":
        assert sign_in(client, users[role].email, "palliare-demo").status_code == 302
    return client


# Pages a signed-in person is sent on from (the sign-in page sends them home).
REDIRECTS_WHEN_SIGNED_IN = {"auth.login"}


def _expected(endpoint, policy, user, method):
    """The status a request should get under ``policy``."""
    if user is not None and endpoint in REDIRECTS_WHEN_SIGNED_IN:
        return {302}
    if endpoint in BEARER_TOKEN:
        return {401}
    if user is None and endpoint in JSON_WHEN_SIGNED_OUT:
        return {401}
    if user is None and not policy.public:
        return {302}  # to the sign-in page
    if endpoint == "offline.service_worker" and not SERVICE_WORKER.is_file():
        return {404}  # app/static/js/sw.js, written by the offline client half
    if not policy.allows(user):
        return {403}
    if method == "POST":
        return {400}  # allowed through the policy, then refused for lack of a CSRF token
    if endpoint in OBJECT_RULES:
        return {200, 403, 404}
    if endpoint in DEVELOPMENT_ONLY:
        return {404}
    return {200, 400}  # 400: a token page given a fake token


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_each_route_answers_each_role_as_its_policy_says(app, world, role):
    users, shared, owned = world
    values = {**shared, **owned[role]}
    client = _client_for(app, role, users)
    user = users.get(role)
    failures = []
    for endpoint, rule in routes(app):
        with app.test_request_context():
            own = ENDPOINT_VALUES.get(endpoint, {})
            url = url_for(
                endpoint, **{arg: own.get(arg, values.get(arg)) for arg in rule.arguments}
            )
            policy = policy_of(endpoint)
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method)
        expected = _expected(endpoint, policy, user, method)
        if response.status_code not in expected:
            failures.append(f"{method} {url}: {response.status_code}, expected {expected}")
        if response.status_code == 302 and user is None:
            assert "/login" in response.headers["Location"]
    assert failures == []


def test_coordinator_cannot_see_another_institution(client, login):
    mine, other = make_institution(), make_institution()
    coordinator = make_user(roles=[(Role.COORDINATOR, mine)], institution=mine)
    login(coordinator)
    assert client.get(f"/institutions/{mine.id}").status_code == 200
    assert client.get(f"/institutions/{other.id}").status_code == 404  # not even named


def test_funder_cannot_see_another_programme(client, login):
    mine, other = make_programme(), make_programme()
    funder = make_user(roles=[(Role.FUNDER, mine)])
    login(funder)
    assert client.get(f"/programmes/{mine.id}").status_code == 200
    assert client.get(f"/programmes/{other.id}").status_code == 404


def test_menu_shows_only_what_the_role_may_do(client, login):
    login(make_user())
    html = client.get("/").get_data(as_text=True)
    assert "/admin/users" not in html and "/invitations" not in html
    assert "/profile" in html
