"""Cohort rules: who may run a cohort where, joining, rosters, reminders, workshops."""

from datetime import UTC, date, datetime, timedelta

import pytest

from app.auth.models import Invitation, Role
from app.auth.services import accept_invitation
from app.cohorts import access as cohort_rule
from app.cohorts import queries as cohort_queries
from app.cohorts import reminders, roster, services
from app.cohorts.roster_csv import read_roster
from app.courses.models import Enrolment, Lesson
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.learning.progress import complete_lesson
from app.learning.queries import get_completion, get_enrolment
from app.workshops import queries as workshop_queries
from app.workshops import services as workshops
from tests.factories import make_user


def _details(world, **overrides):
    fields = {
        "name": "Spring cohort",
        "institution": world["here"],
        "courses": world["cohort"].courses,
        "locale": "en",
        "starts_on": date(2026, 3, 1),
        "ends_on": date(2026, 6, 30),
        "capacity": 3,
    }
    fields.update(overrides)
    return services.CohortDetails(**fields)


def test_trainers_run_cohorts_at_home_and_at_partner_institutions_only(world):
    cohort = services.create_cohort(world["co_trainer"], _details(world))
    assert cohort.trainer_ids == {world["co_trainer"].id}  # the creator leads it
    with pytest.raises(PermissionDenied):
        services.create_cohort(world["other_trainer"], _details(world))
    with pytest.raises(PermissionDenied):
        services.create_cohort(world["other_coordinator"], _details(world))
    coordinated = services.create_cohort(world["coordinator"], _details(world))
    assert coordinated.trainer_ids == set()  # coordinators add trainers; they do not lead


def test_cohort_details_are_checked(world):
    with pytest.raises(ValidationFailed):
        services.create_cohort(world["trainer"], _details(world, courses=[]))
    with pytest.raises(ValidationFailed):
        services.create_cohort(world["trainer"], _details(world, ends_on=date(2026, 1, 1)))
    with pytest.raises(ValidationFailed):  # two members already
        services.update_cohort(world["trainer"], world["cohort"], _details(world, capacity=1))


def test_members_are_enrolled_in_the_cohort_courses_even_if_closed(world, trainer_course):
    assert trainer_course.enrolment == "cohort"
    assert get_enrolment(world["learner"], trainer_course) is not None


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def test_join_by_code_once_within_capacity_and_dates(world):
    cohort = services.create_cohort(world["trainer"], _details(world, capacity=1))
    found = services.find_cohort_by_code(
        " " + cohort.join_code[:4].lower() + "-" + cohort.join_code[4:]
    )
    assert found is cohort
    assert services.join_cohort(world["outsider"], cohort, _at(date(2026, 3, 2))) is True
    assert services.join_cohort(world["outsider"], cohort, _at(date(2026, 3, 2))) is False
    with pytest.raises(ValidationFailed, match="full"):
        services.join_cohort(world["classmate"], cohort, _at(date(2026, 3, 2)))
    cohort.capacity = 5
    with pytest.raises(ValidationFailed, match="ended"):
        services.join_cohort(world["classmate"], cohort, _at(date(2026, 7, 1)))
    # The last day is the institution's (Almaty, UTC+5): 21:00 UTC on 30 June is 1 July there.
    with pytest.raises(ValidationFailed, match="ended"):
        services.join_cohort(world["classmate"], cohort, datetime(2026, 6, 30, 21, tzinfo=UTC))


def test_an_open_invitation_holds_its_place(world):
    cohort = services.create_cohort(world["trainer"], _details(world, capacity=1))
    rows = _roster(world, "email,name,profession,institution\nnew@example.org,New,nurse,\n", cohort)
    roster.enrol_roster(world["trainer"], cohort, rows)
    with pytest.raises(ValidationFailed, match="full"):
        services.join_cohort(world["outsider"], cohort, _at(date(2026, 3, 2)))


def test_a_renewed_code_stops_the_old_one(world):
    cohort = world["cohort"]
    old = cohort.join_code
    services.renew_join_code(world["trainer"], cohort)
    assert services.find_cohort_by_code(old) is None
    with pytest.raises(PermissionDenied):
        services.renew_join_code(world["other_trainer"], cohort)


def _roster(world, text, cohort=None):
    names = set(roster.roster_institutions(world["trainer"], cohort or world["cohort"]))
    rows, problems = read_roster(text.encode(), names)
    assert problems == []
    return rows


def test_roster_enrols_known_people_and_invites_new_ones(world):
    known = make_user(institution=world["here"])
    elsewhere = make_user(institution=world["elsewhere"])  # has an account, not "ours"
    rows = _roster(
        world,
        "email,name,profession,institution\n"
        f"{known.email},Known,nurse,\n"
        f"new.person@example.org,New Person,doctor,{world['there'].name}\n"
        f"{world['learner'].email},Already In,nurse,\n"
        f"{elsewhere.email},Elsewhere,nurse,\n",
    )
    outcome = roster.enrol_roster(world["trainer"], world["cohort"], rows)
    assert [u.id for u in outcome.enrolled] == [known.id]
    assert outcome.unchanged == 1  # the learner was already in
    # Nobody is put into a cohort (and shown to its trainers) without choosing to join.
    assert [u.id for u in outcome.asked_to_join] == [elsewhere.id]
    assert not cohort_rule.is_member(elsewhere, world["cohort"])
    ((invitation, token),) = outcome.invited
    assert invitation.cohort_id == world["cohort"].id and invitation.institution == world["there"]
    assert (invitation.role, invitation.name, invitation.profession) == (
        Role.LEARNER, "New Person", "doctor"
    )  # fmt: skip
    user = accept_invitation(token, "New Person", "a long enough password", "doctor", None, None)
    services.join_after_invitation(user, invitation)  # as the join page does
    assert cohort_rule.is_member(user, world["cohort"])
    assert get_enrolment(user, world["cohort"].courses[0]) is not None


def test_roster_over_capacity_changes_nothing(world):
    world["cohort"].capacity = 3
    rows = _roster(
        world,
        "email,name,profession,institution\na@example.org,A,nurse,\nb@example.org,B,nurse,\n",
    )
    before = db.session.query(Invitation).count(), cohort_queries.count_members(world["cohort"])
    with pytest.raises(ValidationFailed, match="1 places left"):
        roster.enrol_roster(world["trainer"], world["cohort"], rows)
    assert (
        db.session.query(Invitation).count(),
        cohort_queries.count_members(world["cohort"]),
    ) == before


def test_only_the_cohort_staff_enrol_a_roster(world):
    rows = _roster(world, "email,name,profession,institution\nx@example.org,X,nurse,\n")
    for who in ("other_trainer", "other_coordinator", "learner", "co_trainer"):
        with pytest.raises(PermissionDenied):
            roster.enrol_roster(world[who], world["cohort"], rows)
    services.add_trainer(world["trainer"], world["cohort"], world["co_trainer"])
    assert roster.enrol_roster(world["co_trainer"], world["cohort"], rows).invited


def test_co_trainers_come_from_the_cohort_institution_or_its_partners(world):
    cohort = world["cohort"]
    for person in (world["other_trainer"], world["learner"], None):  # elsewhere, no role, unknown
        with pytest.raises(ValidationFailed, match="No trainer at this or a partner"):
            services.add_trainer(world["trainer"], cohort, person)
    services.add_trainer(world["trainer"], cohort, world["co_trainer"])
    assert world["co_trainer"].id in cohort.trainer_ids


def test_a_trainer_without_the_trainer_role_no_longer_runs_the_cohort(world):
    from app.auth.permissions import MANAGE, can

    trainer = world["trainer"]
    assert can(trainer, MANAGE, world["cohort"])
    trainer.role_assignments.clear()
    db.session.flush()
    assert not can(trainer, MANAGE, world["cohort"])


def test_roster_institutions_are_limited_to_where_the_trainer_works(world):
    names = set(roster.roster_institutions(world["trainer"], world["cohort"]))
    assert world["there"].name in names and world["elsewhere"].name not in names


def test_a_learner_is_reminded_at_most_once_a_day(world):
    ids = [world["learner"].id, world["classmate"].id, world["outsider"].id]
    first = reminders.record_reminders(world["trainer"], world["cohort"], ids, date(2026, 5, 1))
    assert {u.id for u, _reminder in first.reminded} == {world["learner"].id, world["classmate"].id}
    again = reminders.record_reminders(world["trainer"], world["cohort"], ids, date(2026, 5, 1))
    assert again.reminded == [] and len(again.already_today) == 2
    next_day = reminders.record_reminders(
        world["trainer"], world["cohort"], ids[:1], date(2026, 5, 2)
    )
    assert len(next_day.reminded) == 1
    assert len(cohort_queries.list_reminders(world["cohort"])) == 3
    with pytest.raises(PermissionDenied):
        reminders.record_reminders(world["other_trainer"], world["cohort"], ids, date(2026, 5, 3))


def test_session_times_are_local_to_the_institution(world):
    workshop = workshops.create_workshop(world["trainer"], world["cohort"], "Day one", None)
    session = workshops.save_session(
        world["trainer"], workshop, None, datetime(2026, 3, 29, 9, 0), 90, "Room", "", []
    )
    assert world["here"].timezone == "Asia/Almaty"  # UTC+5 all year
    assert session.starts_at.hour == 4 and session.ends_at - session.starts_at == timedelta(
        minutes=90
    )
    with pytest.raises(ValidationFailed):  # facilitators come from the cohort's trainers
        workshops.save_session(
            world["trainer"], workshop, session, datetime(2026, 3, 29, 9), 90, "Room", "",
            [world["other_trainer"]],
        )  # fmt: skip


def test_workshop_attendance_completes_the_course_that_asks_for_it(world, trainer_course):
    learner = world["learner"]
    enrolment = db.session.scalar(
        db.select(Enrolment).filter_by(user_id=learner.id, course_id=trainer_course.id)
    )
    for lesson in db.session.scalars(db.select(Lesson).filter_by(course_id=trainer_course.id)):
        complete_lesson(learner, enrolment, lesson)
    workshop = workshops.create_workshop(world["trainer"], world["cohort"], "Day", trainer_course)
    session = workshops.save_session(
        world["trainer"], workshop, None, datetime(2026, 3, 1, 9), 60, "Room", "", []
    )
    outsider = world["outsider"].id  # not a member: ignored
    shown = {learner.id, world["classmate"].id, outsider}
    result = workshops.record_attendance(
        world["trainer"], session, shown, {world["classmate"].id, outsider}
    )
    assert (result.recorded, result.completions) == (1, ())
    assert get_completion(learner, trainer_course) is None  # absent: lessons are not enough
    result = workshops.record_attendance(world["trainer"], session, shown, {learner.id})
    assert (result.recorded, len(result.completions)) == (1, 1)
    assert get_completion(learner, trainer_course) is not None
    sheet = {u.id: present for u, present in workshop_queries.attendance_sheet(session)}
    assert sheet == {learner.id: True, world["classmate"].id: False}


def test_a_second_tablet_writes_only_the_rows_it_shows(world):
    workshop = workshops.create_workshop(world["trainer"], world["cohort"], "Day", None)
    session = workshops.save_session(
        world["trainer"], workshop, None, datetime(2026, 3, 1, 9), 60, "Hall", "", []
    )
    learner, classmate = world["learner"].id, world["classmate"].id
    workshops.record_attendance(world["trainer"], session, {learner}, {learner})
    workshops.record_attendance(world["trainer"], session, {classmate}, set())
    sheet = {u.id: present for u, present in workshop_queries.attendance_sheet(session)}
    assert sheet == {learner: True, classmate: False}


def test_attendance_waits_for_the_session_to_start(world):
    workshop = workshops.create_workshop(world["trainer"], world["cohort"], "Day", None)
    later = datetime.now() + timedelta(days=3)
    session = workshops.save_session(world["trainer"], workshop, None, later, 60, "Hall", "", [])
    with pytest.raises(ValidationFailed, match="once the session has started"):
        workshops.record_attendance(world["trainer"], session, {world["learner"].id}, set())
