"""`flask demo`'s observerships (issue 18): a Beijing doctor in week four of four in
Singapore with a filled logbook; an Almaty nurse back from two weeks at the Luleå hospice,
certified, whose 3-month follow-up is answered and 6-month one due; an open offer with a
pending nomination. Dated from today, made through the placement services, and free of
anything the de-identification guard refuses."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.auth import services as auth
from app.auth.models import Role
from app.auth.permissions import VIEW, can
from app.cases.deidentify import scan
from app.db_types import utcnow
from app.demo import ACCOUNTS, placement_texts, seed_demo
from app.demo.people import ensure_people
from app.demo.placements import BACK_HOME, IN_WEEK_FOUR, OPEN, ensure_placements
from app.extensions import db
from app.notifications.models import Notification, OutboxMessage
from app.placements.models import (
    AdaptationChange,
    Assessment,
    ChangeStatus,
    CheckIn,
    FollowUp,
    FollowUpAnswer,
    LogbookComment,
    LogbookEntry,
    Objective,
    ObjectiveRating,
    ObservershipCertificate,
    Placement,
    PlacementOffer,
    PlacementStep,
    Stage,
    State,
)
from tests.helpers import sign_in, text_of


def _count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def _offer(title: str) -> PlacementOffer:
    return db.session.scalar(select(PlacementOffer).where(PlacementOffer.title == title))


def _placements(title: str) -> list[Placement]:
    query = select(Placement).join(PlacementOffer).where(PlacementOffer.title == title)
    return list(db.session.scalars(query.order_by(Placement.id)))


def _steps(placement: Placement) -> list[tuple[str, str]]:
    return [(step.state.value, step.actor.email) for step in placement.steps]


def _entries(placement: Placement) -> list[LogbookEntry]:
    query = select(LogbookEntry).where(LogbookEntry.placement_id == placement.id)
    return list(db.session.scalars(query.order_by(LogbookEntry.day)))


def _assessments(placement: Placement) -> dict[Stage, Assessment]:
    query = select(Assessment).where(Assessment.placement_id == placement.id)
    return {assessment.stage: assessment for assessment in db.session.scalars(query)}


def _follow_ups(placement: Placement) -> dict[int, FollowUp]:
    query = select(FollowUp).where(FollowUp.placement_id == placement.id)
    return {follow_up.months: follow_up for follow_up in db.session.scalars(query)}


def _doctor_in_week_four(today: date) -> None:
    [placement] = _placements(IN_WEEK_FOUR)
    assert placement.observer.email == "doctor@example.org"
    assert placement.offer.host.name == "Singapore Palliative Care Centre"
    assert placement.state == State.ACCEPTED
    assert _steps(placement) == [
        ("nominated", "coordinator@example.org"),
        ("selected", "admin@example.org"),
        ("accepted", "host@example.org"),
    ]
    assert [step.at for step in placement.steps] == sorted(step.at for step in placement.steps)
    assert placement.steps[-1].at.date() < placement.starts_on
    assert placement.starts_on == today - timedelta(days=25)
    assert (placement.ends_on - placement.starts_on).days + 1 == 28
    assert (today - placement.starts_on).days // 7 == 3  # in week four
    assert placement.supervisor.email == "hannah.koh@example.org"
    assert placement.supervisor.institution_id == placement.offer.host_institution_id
    # The learning agreement, agreed; the mid-point assessment, not the final one.
    assert len(placement.objectives) == 4 and all(o.text for o in placement.objectives)
    assert placement.agreed_at is not None and placement.agreed_by_id == placement.supervisor_id
    assessments = _assessments(placement)
    assert set(assessments) == {Stage.MID}
    assert assessments[Stage.MID].days_present == 10  # two weeks, Monday to Friday
    assert len(assessments[Stage.MID].ratings) == 4
    # A logbook for every working day so far, the last two still drafts.
    entries = _entries(placement)
    working = [
        placement.starts_on + timedelta(days=k)
        for k in range(25)
        if (placement.starts_on + timedelta(days=k)).weekday() < 5
    ]
    assert [entry.day for entry in entries] == working
    assert all(entry.day < today for entry in entries)
    assert [entry.submitted_at is None for entry in entries] == [False] * (len(working) - 2) + [
        True,
        True,
    ]
    for entry in entries:
        assert entry.saw and entry.activities
        assert all(a["kind"] and a["hours"] > 0 for a in entry.activities)
    comments = [comment for entry in entries for comment in entry.comments]
    assert len(comments) >= 2
    assert {comment.author_id for comment in comments} == {placement.supervisor_id}
    assert all(c.entry.submitted_at is not None and c.at > c.entry.submitted_at for c in comments)
    check_ins = db.session.scalars(select(CheckIn).where(CheckIn.placement_id == placement.id))
    assert sorted((c.week_starts_on - placement.starts_on).days for c in check_ins) == [
        0,
        7,
        14,
        21,
    ]


def _nurse_back_home(today: date) -> None:
    [placement] = _placements(BACK_HOME)
    assert placement.observer.email == "learner@example.org"
    assert placement.offer.host.name == "Luleå Hospice Team"
    assert placement.offer.programme.name == "Kazakhstan–Sweden Hospice Partnership"
    assert placement.state == State.COMPLETED
    assert _steps(placement) == [
        ("applied", "learner@example.org"),
        ("endorsed", "gulnar.akhmetova@example.org"),
        ("selected", "admin@example.org"),
        ("accepted", "admin@example.org"),
        ("completed", "karin.lind@example.org"),
    ]
    assert (placement.ends_on - placement.starts_on).days + 1 == 14
    assert 180 <= (today - placement.ends_on).days <= 200  # six months and a few days ago
    assert placement.completed_at.date() == placement.ends_on
    final = _assessments(placement)[Stage.FINAL]
    assert final.days_present == 14 and len(final.ratings) == len(placement.objectives)
    entries = _entries(placement)
    assert len(entries) == 14 and all(entry.submitted_at for entry in entries)
    hours = sum(Decimal(str(a["hours"])) for entry in entries for a in entry.activities)
    # The certificate, found by its code as /verify finds it, says what was done.
    code = db.session.scalar(
        select(ObservershipCertificate.code).where(
            ObservershipCertificate.placement_id == placement.id
        )
    )
    certificate = db.session.scalar(
        select(ObservershipCertificate).where(ObservershipCertificate.code == code)
    )
    assert code.startswith("PAL-") and certificate.revoked_at is None
    assert certificate.placement_id == placement.id
    assert (certificate.holder_name, certificate.host_name) == (
        "Aigerim Nurlanovna",
        "Luleå Hospice Team",
    )
    assert certificate.days_present == 14 and certificate.hours == hours > 0
    assert (certificate.starts_on, certificate.ends_on) == (placement.starts_on, placement.ends_on)
    # The exchange runs both ways; the plan is shared.
    assert placement.host_learning and placement.host_learning_by_id == placement.supervisor_id
    assert 3 <= len(placement.changes) <= 4 and placement.plan_shared_at is not None
    assert "ESAS-r" in placement.changes[0].description
    follow_ups = _follow_ups(placement)
    three, six = follow_ups[3], follow_ups[6]
    assert three.due_on < three.answered_at.date() < six.due_on
    assert three.answered_by.email == "learner@example.org"
    statuses = {answer.status for answer in three.answers}
    assert len(three.answers) == len(placement.changes)
    assert {ChangeStatus.DONE, ChangeStatus.IN_PROGRESS} <= statuses
    assert 0 < (today - six.due_on).days <= 10  # due a few days ago
    assert six.asked_at is not None and six.answered_at is None and six.answers == []


def _open_offer(today: date) -> None:
    offer = _offer(OPEN)
    assert offer.window_starts_on > today and offer.host.name == "Singapore Palliative Care Centre"
    declined, nominated = _placements(OPEN)
    assert nominated.state == State.NOMINATED and nominated.observer.email == "ma.jun@example.org"
    assert _steps(nominated) == [("nominated", "coordinator@example.org")]
    assert declined.state == State.DECLINED and declined.steps[-1].reason


def test_the_three_observerships_are_in_the_demo_dated_from_today_and_added_once(app):
    seed_demo("small")
    today = utcnow().date()
    _doctor_in_week_four(today)
    _nurse_back_home(today)
    _open_offer(today)
    # Dated when they happened: the e-mails sent then; only the nominee has not read theirs.
    assert db.session.scalar(select(func.max(PlacementStep.at))).date() < today
    placement_kinds = ("placement", "placement_outcome")  # steps, and the completion
    notices = db.session.scalars(select(Notification).where(Notification.kind.in_(placement_kinds)))
    notices = list(notices)
    assert len(notices) >= 17 and all(n.created_at.date() < today for n in notices)
    sent = select(func.count(OutboxMessage.id)).where(
        OutboxMessage.template == "notification", OutboxMessage.status == OutboxMessage.SENT
    )
    assert db.session.scalar(sent) == len(notices)  # each one's e-mail, sent back then
    nominee = auth.get_user_by_email("ma.jun@example.org")
    assert [n.recipient_id for n in notices if n.read_at is None] == [nominee.id]
    # Added once.
    counts = [_count(model) for model in (PlacementOffer, Placement, LogbookEntry, FollowUp)]
    seed_demo("small")
    assert counts[:2] == [3, 4] and counts == [
        _count(model) for model in (PlacementOffer, Placement, LogbookEntry, FollowUp)
    ]


def test_the_demo_signs_in_a_host_coordinator_and_each_host_has_a_supervisor(app, client):
    seed_demo("small")
    db.session.commit()
    accounts = {row[0]: row for row in ACCOUNTS}
    host = auth.get_user_by_email("host@example.org")
    assert "host@example.org" in accounts and Role.COORDINATOR in host.roles
    assert host.institution.name == "Singapore Palliative Care Centre"
    assert host.coordinated_institution_ids == {host.institution_id}
    for title in (IN_WEEK_FOUR, BACK_HOME):
        [placement] = _placements(title)
        assert placement.supervisor.email in accounts
        assert can(placement.supervisor, VIEW, placement)
    [doctor_placement] = _placements(IN_WEEK_FOUR)
    assert can(host, VIEW, doctor_placement)
    # What the demo's sign-ins see (the placement pages in English).
    for email, path in [
        ("doctor@example.org", "/placements/mine"),
        ("host@example.org", f"/placements/{doctor_placement.id}"),
        ("learner@example.org", "/placements/mine"),
    ]:
        client = app.test_client()
        assert sign_in(client, email, "palliare-demo").status_code == 302, email
        auth.get_user_by_email(email).locale = "en"
        db.session.commit()
        page = text_of(client.get(path))
        assert IN_WEEK_FOUR in page or BACK_HOME in page, email


def _free_texts() -> dict[str, str]:
    """Every free text of the demo's placements, named by where it is."""
    columns = [
        (LogbookEntry, ("saw", "learned", "adapt")),
        (LogbookComment, ("body",)),
        (CheckIn, ("note",)),
        (Objective, ("text",)),
        (Assessment, ("comment",)),
        (ObjectiveRating, ("comment",)),
        (AdaptationChange, ("description", "owner")),
        (FollowUpAnswer, ("note",)),
        (Placement, ("host_learning",)),
        (PlacementStep, ("reason",)),
        (PlacementOffer, ("title",)),
    ]
    texts = {}
    for model, names in columns:
        for row in db.session.scalars(select(model)):
            for name in names:
                texts[f"{model.__tablename__}.{name}.{row.id}"] = getattr(row, name) or ""
    return texts


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def test_no_free_text_of_the_demo_trips_the_de_identification_guard(app):
    seed_demo("small")
    texts = _free_texts()
    assert sum(1 for text in texts.values() if text) >= 120  # the guard reads real texts
    assert scan(texts) == []
    # The texts not used today (the doctor's logbook has a day for each working day).
    written = {
        f"{name}.{k}": text
        for name, value in vars(placement_texts).items()
        if name.isupper()
        for k, text in enumerate(_strings(value))
    }
    assert len(written) >= 200 and scan(written) == []


def test_the_guard_would_refuse_a_logbook_that_named_its_patient():
    """The scan above can fail: the same guard refuses an identifying reflection."""
    findings = scan({"saw": "Family meeting for Mrs Wong Mei Ling, MRN 4471203."})
    assert {finding.kind for finding in findings} == {"name", "mrn"}


@pytest.mark.parametrize(
    "today",
    [date(2031, 9, 3), date(2032, 2, 29)],
    ids=["a-wednesday-six-months-after-a-31st", "a-sunday-leap-day"],
)
def test_the_scenarios_hold_whatever_day_today_is(app, today):
    ensure_people()
    ensure_placements(today)
    _doctor_in_week_four(today)
    _nurse_back_home(today)
    _open_offer(today)
