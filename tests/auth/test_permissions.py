"""The object-permission matrix: every person's relation to every object, every action.

``ALLOWED`` is the rule written out by hand for one small world: for each resource and
action, who may. Three things are checked against it, for every person:

1. ``permissions.can`` (the rule itself);
2. ``permissions.scope`` (the same rule as a filter: a list never shows what the
   object's own page refuses);
3. every object route over HTTP: refused people get 404 when they may not know the
   object exists and 403 when they may; signed-out visitors are sent to sign in; and the
   allowed get through. A route that takes an object and is missing from ``ROUTES``
   fails the test, so new routes cannot skip it.

Relations covered: own (the cohort's trainer, the series' organiser, the certificate's
holder), member, former member (left the cohort), outsider (same institution, not in
it), other institution, the roles without a relation (funder, translator), administrator,
and signed out.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.auth import permissions
from app.auth.models import Invitation, Role
from app.auth.permissions import (
    CASCADE,
    INVITE,
    JOIN,
    MANAGE,
    READ,
    REPORT,
    REVOKE,
    SEE_MEMBERS,
    STAFF,
    SUBMIT,
    TRANSLATE,
    VIEW,
)
from app.auth.services import invite_person
from app.cases.attachments import CheckedFile
from app.cases.models import ConferenceCase
from app.cases.services import CaseText, accept_case, submit_case
from app.cohorts.models import Cohort
from app.cohorts.services import CohortDetails, add_members, create_cohort, remove_members
from app.conferences.models import ConferenceSeries
from app.conferences.recurrence import occurrences
from app.conferences.services import SeriesDetails, create_series, join_series
from app.conferences.stamps import stamp_of
from app.courses.models import Course
from app.courses.queries import get_course
from app.dashboards.models import ApiToken
from app.dashboards.tokens import create_token
from app.extensions import db
from app.i18n.access import Catalog
from app.i18n.models import CatalogRevision
from app.institutions.models import Institution, Programme
from app.learning.enrolment import enrol_learner
from app.learning.models import Certificate
from app.placements.access import KEEP_LOGBOOK, LETTER, SUPERVISE
from app.placements.models import Placement, PlacementOffer
from app.placements.services import (
    OfferDetails,
    accept,
    create_offer,
    nominate,
    select_placement,
)
from app.protocols import publishing as protocol_publishing
from app.protocols import review as protocol_review
from app.protocols import services as protocol_services
from app.protocols.access import EDIT, REVIEW
from app.protocols.adoption_access import ADOPT
from app.protocols.models import Protocol, ProtocolAdoption, ProtocolVersion
from app.protocols.queries import draft_of
from app.quizzes.models import Attempt
from app.quizzes.queries import get_quiz
from app.quizzes.services import start_attempt
from app.trainers.models import TrainerCertification
from app.workshops.models import Workshop, WorkshopSession
from app.workshops.services import create_workshop, save_session
from tests.factories import make_certificate, make_institution, make_programme, make_user
from tests.protocols.factories_translation import matrix_protocol

STAFF_OF_COURSES = {"admin", "trainer", "certifier", "other_trainer", "coordinator",
                    "other_coordinator", "translator", "host_coordinator"}  # fmt: skip
SIGNED_IN = {"admin", "trainer", "certifier", "other_trainer", "coordinator",
             "other_coordinator", "member", "former_member", "outsider", "other_learner",
             "funder", "other_funder", "translator", "host_coordinator", "supervisor"}  # fmt: skip
PEOPLE = sorted(SIGNED_IN) + ["signed_out"]

# Who may do what: (resource, action) -> the people allowed.
ALLOWED = {
    ("cohort", VIEW): {"admin", "trainer", "coordinator", "member"},
    ("cohort", MANAGE): {"admin", "trainer", "coordinator"},
    ("cohort", SEE_MEMBERS): {"admin", "trainer", "coordinator", "member"},
    ("workshop", VIEW): {"admin", "trainer", "coordinator", "member"},
    ("workshop", MANAGE): {"admin", "trainer", "coordinator"},
    ("session", VIEW): {"admin", "trainer", "coordinator", "member"},
    ("session", MANAGE): {"admin", "trainer", "coordinator"},
    ("certification", VIEW): {"admin", "trainer", "certifier", "coordinator"},
    ("certification", REVOKE): {"admin", "certifier", "coordinator"},
    ("series", VIEW): {"admin", "trainer", "member"},
    ("series", JOIN): {"admin", "trainer", "member"},
    ("series", SUBMIT): {"trainer", "member"},
    ("series", MANAGE): {"admin", "trainer"},
    ("case", VIEW): {"admin", "trainer", "member"},
    ("case", MANAGE): {"admin", "trainer"},
    ("course", VIEW): SIGNED_IN,
    ("course", READ): STAFF_OF_COURSES | {"member", "former_member"},  # enrolments stay
    ("course", STAFF): STAFF_OF_COURSES,
    ("attempt", VIEW): {"member"},
    ("certificate", VIEW): {"admin", "member"},
    ("certificate", REVOKE): {"admin"},
    ("programme", VIEW): {"admin", "funder"},
    ("programme", REPORT): {"admin", "funder"},
    ("programme", CASCADE): {"admin", "funder", "trainer", "certifier", "coordinator"},
    ("programme", MANAGE): {"admin"},
    ("institution", VIEW): {"admin", "coordinator"},
    ("institution", MANAGE): {"admin", "coordinator"},
    ("institution", REPORT): {"admin", "coordinator"},
    ("institution", INVITE): {"admin", "coordinator", "trainer", "certifier"},
    ("catalog", TRANSLATE): {"admin", "translator"},
    ("revision", TRANSLATE): {"admin", "translator"},
    ("invitation", VIEW): {"admin", "trainer"},
    ("invitation", REVOKE): {"admin", "trainer"},
    ("token", VIEW): {"coordinator"},
    ("token", REVOKE): {"coordinator"},
    # An offer at the host, in a programme the home institution takes part in too; the
    # member is the accepted observer, supervised by the supervisor. Funders see none.
    ("offer", VIEW): {
        "admin",
        "host_coordinator",
        "supervisor",
        "trainer",
        "certifier",
        "coordinator",
        "member",
        "former_member",
        "outsider",
    },  # fmt: skip
    ("offer", MANAGE): {"admin", "host_coordinator"},
    ("placement", VIEW): {"admin", "member", "coordinator", "host_coordinator", "supervisor"},
    ("placement", LETTER): {"admin", "member", "host_coordinator"},
    ("placement", KEEP_LOGBOOK): {"member"},
    ("placement", SUPERVISE): {"supervisor"},
    ("adoption", VIEW): SIGNED_IN,  # listed on the protocol page, with whom to ask
    ("adoption", ADOPT): {"admin", "coordinator"},  # the adopting institution's
    # A protocol of the exchange programme written by the trainer: version 1 published
    # (reviewed by the certifier and the supervisor), a draft of version 2 reviewed by
    # the supervisor only (the certifier is a former reviewer); and a protocol with only
    # a draft. Published versions are read by all signed in; drafts by their people.
    ("protocol", VIEW): SIGNED_IN,
    ("protocol", EDIT): {"admin", "trainer"},
    ("version", VIEW): SIGNED_IN,
    ("version", EDIT): set(),  # published: immutable
    ("version", REVIEW): set(),
    ("draft", VIEW): {"admin", "trainer", "supervisor"},
    ("draft", EDIT): {"admin", "trainer"},
    ("draft", REVIEW): {"supervisor"},
    ("unpublished", VIEW): {"admin", "trainer", "supervisor"},
    ("unpublished", EDIT): {"admin", "trainer"},
}
MODELS = {
    "cohort": Cohort, "workshop": Workshop, "session": WorkshopSession,
    "certification": TrainerCertification, "series": ConferenceSeries, "case": ConferenceCase,
    "course": Course, "attempt": Attempt, "certificate": Certificate, "programme": Programme,
    "institution": Institution, "catalog": Catalog, "revision": CatalogRevision,
    "invitation": Invitation, "token": ApiToken, "offer": PlacementOffer, "placement": Placement,
    "adoption": ProtocolAdoption,
    "protocol": Protocol, "version": ProtocolVersion, "draft": ProtocolVersion,
    "unpublished": Protocol,
}  # fmt: skip


@dataclass
class World:
    people: dict
    objects: dict
    urls: dict


@pytest.fixture
def world(app, sample_course) -> World:
    """Institution A (with programme P) and institution B; a cohort at A led by the trainer
    with one member and one former member; its workshop; a series the cohort owns,
    organised by the trainer, with the former member's accepted case; the trainer's
    certification signed off by the certifier; the member's quiz attempt and certificate."""
    home, away = make_institution(), make_institution()
    programme, other_programme = make_programme([home]), make_programme([away])
    people = {
        "admin": make_user(roles=[Role.ADMIN]),
        "trainer": make_user(roles=[Role.TRAINER], institution=home),
        "certifier": make_user(roles=[Role.TRAINER], institution=home),
        "other_trainer": make_user(roles=[Role.TRAINER], institution=away),
        "coordinator": make_user(roles=[(Role.COORDINATOR, home)], institution=home),
        "other_coordinator": make_user(roles=[(Role.COORDINATOR, away)], institution=away),
        "member": make_user(institution=home),
        "former_member": make_user(institution=home),
        "outsider": make_user(institution=home),
        "other_learner": make_user(institution=away),
        "funder": make_user(roles=[(Role.FUNDER, programme)]),
        "other_funder": make_user(roles=[(Role.FUNDER, other_programme)]),
        "translator": make_user(roles=[(Role.TRANSLATOR, "kk")]),
    }
    offer, placement = _placement(people, home)
    course, quiz_course = get_course("sample-course"), get_course("quiz-course")
    cohort = create_cohort(people["trainer"], CohortDetails(
        "Cohort", home, [course, quiz_course], "en", date(2026, 1, 1), date(2027, 1, 1), 10,
        members_visible=True,
    ))  # fmt: skip
    add_members(cohort, [people["member"], people["former_member"]], "code")
    workshop = create_workshop(people["trainer"], cohort, "Workshop", None)
    session = save_session(
        people["trainer"], workshop, None, datetime(2030, 3, 1, 9), 60, "Room 1", "", []
    )
    series = create_series(people["trainer"], SeriesDetails(
        "Series", "", ("cohort", cohort.id), "Asia/Almaty", datetime(2030, 1, 10, 9, 0), 60,
        "FREQ=WEEKLY;INTERVAL=2;COUNT=5", "https://meet.jit.si/x",
    ))  # fmt: skip
    join_series(people["member"], series)
    join_series(people["former_member"], series)
    occurrence = occurrences(series)[0]
    case = submit_case(
        people["former_member"], series, occurrence.original_start,
        CaseText("70-79", "female", "Cancer", "Pain", "Alone", "Home", "How?"),
        [CheckedFile("a.pdf", "application/pdf", b"%PDF-1.4")],
    )  # fmt: skip
    accept_case(people["trainer"], case)
    remove_members(people["trainer"], cohort, [people["former_member"].id])
    certification = _certify(people["certifier"], people["trainer"])
    attempt = start_attempt(
        people["member"], get_quiz(quiz_course.id, "check"),
        enrol_learner(people["member"], quiz_course), "en",
    )  # fmt: skip
    certificate = make_certificate(people["member"], course)
    invitation, _token = invite_person(people["trainer"], "new@example.org", Role.LEARNER, home)
    token, _secret = create_token(people["coordinator"], "Monthly report")
    protocols = _protocols(people, offer.programme)
    revision = CatalogRevision(course_key="sample-course", locale="kk", content="")
    protocol_version, adoption = matrix_protocol(home, people["member"])
    db.session.add(revision)
    db.session.commit()
    objects = {
        "cohort": cohort, "workshop": workshop, "session": session,
        "certification": certification, "series": series, "case": case, "course": course,
        "attempt": attempt, "certificate": certificate, "programme": programme,
        "institution": home, "catalog": Catalog("kk", "sample-course"), "revision": revision,
        "invitation": invitation, "token": token, "offer": offer, "placement": placement,
        "adoption": adoption,
        **protocols,
    }  # fmt: skip
    urls = {
        "cohort_id": cohort.id, "workshop_id": workshop.id, "session_id": session.id,
        "certification_id": certification.id, "series_id": series.id,
        "stamp": stamp_of(occurrence.original_start), "case_id": case.id,
        "file_id": case.attachments[0].id, "action": "accept", "course_key": course.key,
        "quiz_key": "check", "lesson_key": "welcome", "filename": "none.pdf",
        "attempt_id": attempt.id, "code": certificate.code, "programme_id": programme.id,
        "institution_id": home.id, "locale": "kk", "invitation_id": invitation.id,
        "token_id": token.id, "user_id": people["member"].id, "key": "professions",
        "offer_id": offer.id, "placement_id": placement.id, "step": "withdraw",
        "day": "2030-03-02", "number": 1, "slug": protocols["protocol"].slug,
        "section": "assessment", "reviewer_id": protocols["reviewer"].id,
        "requirement_id": protocols["requirement"].id, "proposal_id": protocols["proposal"].id,
        "document_id": f"protocol:{protocol_version.id}",
    }  # fmt: skip
    return World(people, objects, urls)


def _placement(people, home):
    """A host institution with its coordinator and a supervisor, in an exchange programme
    with ``home``; an offer there, and the member's placement on it, accepted."""
    host = make_institution()
    people["host_coordinator"] = make_user(roles=[(Role.COORDINATOR, host)], institution=host)
    people["supervisor"] = make_user(institution=host)
    offer = create_offer(people["host_coordinator"], OfferDetails(
        make_programme([home, host]), host, "Observership", date(2030, 3, 1),
        date(2030, 4, 30), 14, 2, "en", ["ward_rounds"], [people["supervisor"].email],
    ))  # fmt: skip
    placement = nominate(people["coordinator"], offer, people["member"])
    select_placement(people["admin"], placement)
    accept(people["host_coordinator"], placement, date(2030, 3, 2), people["supervisor"])
    return offer, placement


def _protocols(people, programme) -> dict:
    """The trainer's protocol (v1 published, a v2 draft under review with an open
    proposal and a required approval) and a draft-only one (see ALLOWED)."""
    trainer, supervisor = people["trainer"], people["supervisor"]
    details = protocol_services.ProtocolDetails("Mouth care", programme, date(2030, 1, 1))
    protocol = protocol_services.create_protocol(trainer, details)
    first = draft_of(protocol)
    protocol_services.add_section(trainer, first, "Assessment", "Look at the mouth.")
    for reviewer in (people["certifier"], supervisor):
        protocol_review.add_reviewer(trainer, first, reviewer)
    version = protocol_publishing.publish(trainer, first)
    requirement = protocol_publishing.add_requirement(trainer, protocol, country="KZ")
    draft = protocol_publishing.start_next_draft(trainer, protocol)
    reviewer = protocol_review.add_reviewer(trainer, draft, supervisor)
    proposal = protocol_review.propose(
        supervisor, draft, "assessment", "Look at the mouth.", "Look at the mouth daily."
    )
    details = protocol_services.ProtocolDetails("Breathlessness", programme, date(2030, 1, 1))
    unpublished = protocol_services.create_protocol(trainer, details)
    protocol_review.add_reviewer(trainer, draft_of(unpublished), supervisor)
    return {
        "protocol": protocol, "version": version, "draft": draft, "unpublished": unpublished,
        "reviewer": reviewer, "requirement": requirement, "proposal": proposal,
    }  # fmt: skip


def _certify(certifier, trainer) -> TrainerCertification:
    """The certifier as a master trainer, and the trainer one generation after them (rows
    made directly: the sign-off rules are tested in tests/cohorts/)."""
    now = datetime.now(UTC)
    master = TrainerCertification(user_id=certifier.id, generation=0, certified_at=now)
    record = TrainerCertification(
        user_id=trainer.id, certified_by_id=certifier.id, generation=1, certified_at=now
    )
    db.session.add_all([master, record])
    db.session.flush()
    return record


def test_rule_and_its_filter_match_the_matrix(world):
    """One world for every (resource, action): each mismatch is listed."""
    wrong = []
    for (resource, action), expected in sorted(ALLOWED.items()):
        obj = world.objects[resource]
        people = {name: world.people[name] for name in SIGNED_IN}
        allowed = {name for name, user in people.items() if permissions.can(user, action, obj)}
        if allowed != expected:
            wrong.append((resource, action, "can", allowed ^ expected))
        if resource == "catalog":
            continue
        model = MODELS[resource]
        query = select(model.id).where(model.id == obj.id)
        listed = {
            name for name, user in people.items()
            if db.session.scalar(permissions.scope(user, query, model, action)) is not None
        }  # fmt: skip
        if listed != expected:
            wrong.append((resource, action, "scope", listed ^ expected))
    assert wrong == []


def test_signed_out_and_deactivated_people_may_do_nothing(world):
    from flask_login import AnonymousUserMixin

    trainer = world.people["trainer"]
    trainer.active = False
    for (resource, action), _allowed in ALLOWED.items():
        assert not permissions.can(AnonymousUserMixin(), action, world.objects[resource])
        assert not permissions.can(trainer, action, world.objects[resource])


def test_losing_a_role_or_leaving_takes_effect_at_once(world):
    """Rules read roles and memberships as they are now: nothing is cached."""
    trainer, member = world.people["trainer"], world.people["member"]
    cohort, series = world.objects["cohort"], world.objects["series"]
    assert permissions.can(trainer, MANAGE, cohort) and permissions.can(trainer, MANAGE, series)
    trainer.role_assignments = [a for a in trainer.role_assignments if a.role != Role.TRAINER]
    db.session.flush()
    assert not permissions.can(trainer, MANAGE, cohort)
    assert not permissions.can(trainer, MANAGE, series)
    assert permissions.can(member, VIEW, world.objects["case"])
    remove_members(world.people["admin"], cohort, [member.id])
    assert not permissions.can(member, VIEW, cohort)
    assert not permissions.can(member, VIEW, world.objects["case"])
    assert not permissions.can(member, SUBMIT, series)


# --- Every object route over HTTP ------------------------------------------------------

# endpoint -> (resource, action): the rule its loader applies.
ROUTES = {
    "cohorts.cohort": ("cohort", VIEW),
    "cohorts.edit_cohort": ("cohort", MANAGE),
    "cohorts.renew_code": ("cohort", MANAGE),
    "cohorts.remove_members": ("cohort", MANAGE),
    "cohorts.undo_removal": ("cohort", MANAGE),
    "cohorts.send_reminders": ("cohort", MANAGE),
    "cohorts.preview_reminders": ("cohort", MANAGE),
    "cohorts.roster": ("cohort", MANAGE),
    "cohorts.roster_sample": ("cohort", MANAGE),
    "cohorts.add_trainer": ("cohort", MANAGE),
    "cohorts.remove_trainer": ("cohort", MANAGE),
    "workshops.new_workshop": ("cohort", MANAGE),
    "workshops.workshop": ("workshop", VIEW),
    "workshops.new_session": ("workshop", MANAGE),
    "workshops.edit_session": ("session", MANAGE),
    "workshops.delete_session": ("session", MANAGE),
    "workshops.attendance": ("session", MANAGE),
    "trainers.revoke": ("certification", REVOKE),
    "conferences.series": ("series", VIEW),
    "conferences.session": ("series", VIEW),
    "cases.new_case": ("series", VIEW),
    "conferences.join": ("series", JOIN),
    "conferences.leave": ("series", VIEW),
    "conferences.edit_series": ("series", MANAGE),
    "conferences.toggle_panel": ("series", MANAGE),
    "conferences.change_session": ("series", MANAGE),
    "conferences.attendance": ("series", MANAGE),
    "conferences.series_calendar": ("series", MANAGE),
    "conferences.new_series_calendar": ("series", MANAGE),
    "conferences.revoke_series_calendar": ("series", MANAGE),
    "cases.case": ("case", VIEW),
    "cases.attachment": ("case", VIEW),
    "cases.case_action": ("case", MANAGE),  # accept: the organisers' agenda
    "study.course": ("course", VIEW),
    "study.enrol": ("course", VIEW),
    "study.complete": ("course", READ),
    "quizzes.quiz": ("course", VIEW),
    "quizzes.start": ("course", VIEW),
    "quizzes.statistics": ("course", STAFF),
    "quizzes.preview": ("course", STAFF),
    "quizzes.attempt": ("attempt", VIEW),
    "quizzes.submit": ("attempt", VIEW),
    "learning.certificate": ("certificate", VIEW),
    "learning.certificate_download": ("certificate", VIEW),
    "learning.revoke": ("certificate", REVOKE),
    "learning.reinstate": ("certificate", REVOKE),
    "dashboards.programme": ("programme", REPORT),
    "dashboards.programme_csv": ("programme", REPORT),
    "dashboards.programme_xlsx": ("programme", REPORT),
    "dashboards.institution": ("institution", REPORT),
    "dashboards.institution_csv": ("institution", REPORT),
    "dashboards.institution_xlsx": ("institution", REPORT),
    "dashboards.revoke_api_token": ("token", REVOKE),
    "institutions.show_institution": ("institution", VIEW),
    "institutions.edit_institution": ("institution", MANAGE),
    "institutions.show_programme": ("programme", VIEW),
    "institutions.edit_programme": ("programme", MANAGE),
    "auth.revoke_invitation": ("invitation", REVOKE),
    "translate.course": ("catalog", TRANSLATE),
    "translate.download": ("catalog", TRANSLATE),
    "translate.upload": ("catalog", TRANSLATE),
    "translate.preview": ("catalog", TRANSLATE),
    "translate.document": ("catalog", TRANSLATE),
    "translate.document_download": ("catalog", TRANSLATE),
    "translate.document_upload": ("catalog", TRANSLATE),
    "placements.offer": ("offer", VIEW),
    "placements.edit_offer": ("offer", MANAGE),
    "placements.apply": ("offer", VIEW),
    "placements.nominate": ("offer", VIEW),
    "placements.placement": ("placement", VIEW),
    "placements.step": ("placement", VIEW),  # the service refuses a step not theirs
    "placements.letter": ("placement", LETTER),
    # the observer or the supervisor sets objectives; the page refuses other viewers (403)
    "placements.objectives": ("placement", VIEW),
    "placements.agree_objectives": ("placement", SUPERVISE),
    "placements.reopen_objectives": ("placement", SUPERVISE),
    "placements.assessment_form": ("placement", SUPERVISE),
    # What a placement leads to: the pages show it to all who see the placement; the
    # services refuse a write not theirs (tests/placements/test_outcomes.py, test_follow_ups.py).
    "placements.host_learning": ("placement", VIEW),
    "placements.plan": ("placement", VIEW),
    "placements.share_plan": ("placement", VIEW),
    "placements.follow_up": ("placement", VIEW),
    "placements.logbook_page": ("placement", VIEW),
    "placements.logbook_entry": ("placement", KEEP_LOGBOOK),
    "placements.logbook_comment": ("placement", SUPERVISE),
    "placements.check_in": ("placement", VIEW),  # writing: observer and supervisor only
    # Protocols: reading a published version; then the draft's pages (app/protocols/).
    "protocols.protocol": ("protocol", VIEW),
    "protocols.version": ("protocol", VIEW),
    "protocols.version_pdf_download": ("protocol", VIEW),
    "protocols.compare": ("protocol", VIEW),
    "protocols.adapt": ("protocol", VIEW),  # administrators, coordinators, trainers (policy)
    "protocols.next_draft": ("protocol", EDIT),
    "protocols.draft": ("draft", VIEW),
    "protocols.comment": ("draft", VIEW),  # the service refuses all but authors, reviewers
    "protocols.edit_details": ("draft", EDIT),
    "protocols.new_section": ("draft", EDIT),
    "protocols.edit_section": ("draft", EDIT),
    "protocols.move_section": ("draft", EDIT),
    "protocols.remove_section": ("draft", EDIT),
    "protocols.record_difference": ("draft", EDIT),
    "protocols.add_reviewer": ("draft", EDIT),
    "protocols.remove_reviewer": ("draft", EDIT),
    "protocols.add_author": ("draft", EDIT),
    "protocols.add_requirement": ("draft", EDIT),
    "protocols.remove_requirement": ("draft", EDIT),
    "protocols.publish": ("draft", EDIT),
    "protocols.accept_proposal": ("draft", EDIT),
    "protocols.reject_proposal": ("draft", EDIT),
    "protocols.propose": ("draft", REVIEW),
    "protocols.mark_reviewed": ("draft", REVIEW),
    "protocols.approve": ("draft", REVIEW),
}
# Routes with a value in their address that is not an object under a rule, and why.
NOT_OBJECTS = {
    "static": "a file of the application",
    "auth.join": "a secret invitation token", "auth.reset_password": "a secret reset token",
    "cohorts.join_link": "a cohort's join code: whoever holds it may join",
    "conferences.feed": "a secret calendar token",
    "dashboards.api_programme": "a bearer token (tests/dashboards/test_api.py)",
    "dashboards.api_institution": "a bearer token (tests/dashboards/test_api.py)",
    "learning.verify": "public verification of a certificate by its code",
    "study.lesson": "refused readers are sent to the course page to enrol",
    "study.course_file": "an open course's files are for all who may enrol",
    "offline.course_manifest": "a course (VIEW) whose manifest lists nothing unless the "
    "person is enrolled and past the pre-test: tests/test_offline_manifest.py",
    "courses.cover": "a course's cover picture, on the catalog's cards for all signed in",
    "trainers.certify": "a trainee of one's own cohorts who is ready (certification rules)",
    "admin.edit_user": "administrators only (route policy)",
    "admin.grant_role": "administrators only (route policy)",
    "admin.revoke_role": "administrators only (route policy)",
    "admin.sign_out_everywhere": "administrators only (route policy)",
    "admin.retry_message": "administrators only (route policy)",
    "notifications.open_notification": "one's own only (tests/notifications/test_inbox.py)",
    "notifications.mark_read": "one's own only (tests/notifications/test_inbox.py)",
    "placements.observership_certificate": "a certificate of observership by its code: "
    "tests/placements/test_observership_certificates.py",
    "placements.observership_certificate_pdf_download": "the same, as a PDF",
    "placements.revoke_observership_certificate": "administrators only (route policy)",
    "placements.reinstate_observership_certificate": "administrators only (route policy)",
    "library.video": "a published video: public (tests/library/test_pages.py)",
    "library.media": "a published video's files: public (tests/library/test_ranges.py)",
    "library.manage_video": "administrators only (route policy)",
    "library.video_action": "administrators only (route policy)",
    "library.delete_video": "administrators only (route policy)",
    "library.preview": "administrators only (route policy)",
    "library.captions_page": "administrators only (route policy)",
    "library.caption_track": "a published video's public captions: "
    "tests/library/test_caption_views.py",
    "protocols.current": "a published protocol, for all signed in: tests/protocols/test_links.py",
    "protocols.adoption_page": "coordinators (route policy) record for their own institutions "
    "only (the ADOPT rule, in the service): tests/protocols/test_adoption.py",
}  # fmt: skip


def test_every_object_route_is_in_the_matrix(app):
    with_values = {rule.endpoint for rule in app.url_map.iter_rules() if rule.arguments}
    assert with_values - set(ROUTES) - set(NOT_OBJECTS) == set()
    assert set(ROUTES) | set(NOT_OBJECTS) <= with_values  # no stale entries


# The quiz routes go to the course with the quiz (the member is enrolled in both).
QUIZ_COURSE = {"course_key": "quiz-course"}
URL_VALUES = {"quizzes.quiz": QUIZ_COURSE, "quizzes.start": QUIZ_COURSE,
              "quizzes.statistics": QUIZ_COURSE, "quizzes.preview": QUIZ_COURSE,
              "placements.assessment_form": {"stage": "mid"},
              "placements.follow_up": {"months": 3}}  # fmt: skip
# Whom to try first among the allowed: the people for whom the action makes sense (a
# quiz is started by an enrolled learner, not by an administrator previewing it).
PREFERRED = ["member", "trainer", "coordinator", "certifier", "funder", "translator", "admin"]


def _url(app, endpoint: str, values: dict) -> tuple[str, str]:
    from flask import url_for

    values = values | URL_VALUES.get(endpoint, {})
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    method = "GET" if "GET" in rule.methods else "POST"
    with app.test_request_context():
        return method, url_for(endpoint, **{k: values[k] for k in rule.arguments})


def _signed_in(app, user):
    client = app.test_client()
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    return client


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_every_object_route_follows_its_rule(app, world, endpoint, monkeypatch):
    """Refused people first (they must change nothing), then one allowed person."""
    from app.auth.policies import policy_of

    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)  # to reach the rule
    resource, action = ROUTES[endpoint]
    allowed = ALLOWED[resource, action]
    visible = ALLOWED.get((resource, VIEW), allowed)
    private = permissions.rule_for(MODELS[resource]).private
    method, url = _url(app, endpoint, world.urls)
    with app.test_request_context():
        policy = policy_of(endpoint)
    for name in PEOPLE:
        if name in allowed:
            continue
        user = world.people.get(name)
        if user is None:
            expected = {302}
        elif not policy.allows(user):
            expected = {403}
        else:
            expected = {404} if private and name not in visible else {403}
        status = _signed_in(app, user).open(url, method=method).status_code
        assert status in expected, (name, method, url, status)
    for name in sorted(allowed, key=lambda n: PREFERRED.index(n) if n in PREFERRED else 99):
        if policy.allows(world.people[name]):
            status = _signed_in(app, world.people[name]).open(url, method=method).status_code
            assert status not in (403, 404) and status < 500, (name, method, url, status)
            break
