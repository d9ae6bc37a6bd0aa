"""The demo's observerships (issue 18), at every size, dated from today:

- a Beijing doctor (``doctor@example.org``) in the fourth week of four at the Singapore
  centre: objectives agreed, the mid-point assessment done, a logbook submitted for most
  working days (the last two still drafts), supervisor's comments, weekly check-ins;
- an Almaty nurse (``learner@example.org``) who spent two weeks at the Luleå hospice
  some six months ago: assessed, completed, certified, what the host team learned
  recorded, an adaptation plan shared whose 3-month follow-up is answered and whose
  6-month one is due and asked, not answered;
- an open offer at the Singapore centre (its window ahead) with a pending nomination of
  another Beijing doctor, and a declined application.

Offers and the steps up to acceptance go through app/placements/services.py, so their
states, history, notifications and e-mails are real (dated to when they happened, the
e-mails settled as sent). What follows acceptance is written as rows, dated to when it
happened, by the small ``write_*``/``record_*`` functions of app/demo/placement_rows.py
(one per service of the later parts); completion goes through completion.complete(), so
the certificate is the one the service issues. tests/test_demo_placements.py checks the
demo's texts against the de-identification guard the services apply. The texts are in
app/demo/placement_texts.py.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from app.auth import services as auth
from app.auth.models import User
from app.db_types import utcnow
from app.demo import placement_texts as texts
from app.demo.people import PROGRAMMES
from app.demo.placement_rows import (
    at,
    dated,
    record_agreement,
    record_completion,
    record_follow_up_answers,
    record_host_learning,
    write_adaptation_plan,
    write_assessment,
    write_check_in,
    write_follow_up,
    write_logbook_comment,
    write_logbook_entry,
)
from app.extensions import db
from app.institutions.models import Institution, Programme
from app.placements import services
from app.placements.models import LogbookEntry, Placement, PlacementOffer, Stage

SINGAPORE, LULEA = "Singapore Palliative Care Centre", "Luleå Hospice Team"
IN_WEEK_FOUR = "Four weeks with the inpatient palliative care service"
BACK_HOME = "Two weeks with the Luleå hospice team"
OPEN = "Palliative medicine observership: next intake"
STARTED_DAYS_AGO = 25  # the doctor's first day: today is day 26 of 28, in week four
SIX_MONTHS_DUE_DAYS_AGO = 4  # the nurse's 6-month follow-up fell due this many days ago
# title: programme (index in PROGRAMMES), host, length in days, activities, fixed dates
OFFERS = {
    IN_WEEK_FOUR: (
        0, SINGAPORE, 28,
        ["ward_rounds", "team_meetings", "family_meetings", "home_visits", "hospice",
         "outpatient_clinics", "video_consultations"],
        False,
    ),
    BACK_HOME: (1, LULEA, 14, ["hospice", "home_visits", "team_meetings", "family_meetings"], True),
    OPEN: (0, SINGAPORE, 28, ["ward_rounds", "team_meetings", "family_meetings",
                              "outpatient_clinics"], False),
}  # fmt: skip


@dataclass
class Cast:
    admin: User
    beijing: User  # the Beijing University Hospital coordinator
    almaty: User  # the Almaty Regional Hospital coordinator
    host: User  # the Singapore centre's coordinator
    singapore_supervisor: User
    lulea_supervisor: User
    trainer: User  # the Singapore master trainer, a supervisor of the open offer
    doctor: User  # four weeks in Singapore
    nurse: User  # two weeks in Luleå
    nominee: User  # nominated for the open offer
    applicant: User  # applied for it, declined


CAST = {
    "admin": "admin@example.org",
    "beijing": "coordinator@example.org",
    "almaty": "gulnar.akhmetova@example.org",
    "host": "host@example.org",
    "singapore_supervisor": "hannah.koh@example.org",
    "lulea_supervisor": "karin.lind@example.org",
    "trainer": "trainer@example.org",
    "doctor": "doctor@example.org",
    "nurse": "learner@example.org",
    "nominee": "ma.jun@example.org",
    "applicant": "gao.yan@example.org",
}


def ensure_placements(today: date | None = None) -> None:
    """The three scenarios, once (flushes, does not commit)."""
    if db.session.scalar(select(PlacementOffer.id).where(PlacementOffer.title == IN_WEEK_FOUR)):
        return
    cast = Cast(**{role: auth.get_user_by_email(email) for role, email in CAST.items()})
    today = today or utcnow().date()
    _doctor_in_week_four(cast, today)
    _nurse_back_home(cast, today)
    _open_offer(cast, today)


def _doctor_in_week_four(cast: Cast, today: date) -> Placement:
    """Nominated, selected, accepted; 25 days in: agreed, assessed at mid-point, a logbook."""
    starts, supervisor = _plus(today, -STARTED_DAYS_AGO), cast.singapore_supervisor
    window = (_plus(starts, -14), _plus(today, 60))
    offer = _offer(cast.host, IN_WEEK_FOUR, window, [supervisor], _plus(starts, -90))
    with dated(at(_plus(starts, -70), 2)):
        placement = services.nominate(cast.beijing, offer, cast.doctor)
    with dated(at(_plus(starts, -62), 6)):
        services.select_placement(cast.admin, placement)
    with dated(at(_plus(starts, -55), 3)):
        services.accept(cast.host, placement, starts, supervisor)
    record_agreement(placement, texts.SINGAPORE_OBJECTIVES, supervisor, at(_plus(starts, 1), 8))
    so_far = [_plus(starts, k) for k in range(STARTED_DAYS_AGO)]
    days = [day for day in so_far if day.weekday() < 5]  # Monday to Friday
    entries = _keep_logbook(placement, days, texts.SINGAPORE_LOGBOOK, texts.DRAFTS, 13)
    _comment(entries, texts.SINGAPORE_COMMENTS, supervisor, 16)
    for week, note in enumerate(texts.SINGAPORE_CHECK_INS):
        by = cast.doctor if week == len(texts.SINGAPORE_CHECK_INS) - 1 else supervisor
        written = min(_plus(starts, 7 * week + 4), _plus(today, -1))
        write_check_in(placement, _plus(starts, 7 * week), note, by, at(written, 9))
    mid = _plus(starts, 13)
    present = sum(1 for day in days if day <= mid)
    write_assessment(placement, Stage.MID, present, *texts.SINGAPORE_MID, supervisor, at(mid, 8))
    return placement


def _nurse_back_home(cast: Cast, today: date) -> Placement:
    """Applied, endorsed, selected, accepted; fourteen days; completed and certified; the
    host's learning; the plan; the 3-month follow-up answered, the 6-month one due."""
    ends = _plus(today, -SIX_MONTHS_DUE_DAYS_AGO) - relativedelta(months=6)
    starts, supervisor = _plus(ends, -13), cast.lulea_supervisor
    offer = _offer(cast.admin, BACK_HOME, (starts, ends), [supervisor], _plus(starts, -120))
    with dated(at(_plus(starts, -100), 5)):
        placement = services.apply(cast.nurse, offer)
    with dated(at(_plus(starts, -97), 4)):
        services.endorse(cast.almaty, placement)
    with dated(at(_plus(starts, -90), 6)):
        services.select_placement(cast.admin, placement)
    with dated(at(_plus(starts, -84), 8)):
        services.accept(cast.admin, placement, starts, supervisor)
    record_agreement(placement, texts.LULEA_OBJECTIVES, supervisor, at(_plus(starts, -10), 9))
    days = [_plus(starts, k) for k in range(14)]  # a hospice: weekends too
    entries = _keep_logbook(placement, days, texts.LULEA_LOGBOOK, 0, 18)
    _comment(entries, texts.LULEA_COMMENTS, supervisor, 14)
    for week, note in enumerate(texts.LULEA_CHECK_INS):
        monday = _plus(starts, 7 * week)
        write_check_in(placement, monday, note, supervisor, at(_plus(monday, 5), 14))
    write_assessment(placement, Stage.MID, 7, *texts.LULEA_MID, supervisor, at(days[6], 13))
    finished = at(ends, 12)
    write_assessment(placement, Stage.FINAL, 14, *texts.LULEA_FINAL, supervisor, finished)
    with dated(finished):  # the certificate is issued and its notices read, back then
        record_completion(placement, supervisor, finished)
    learned_at = at(_plus(ends, 6), 9)
    record_host_learning(placement, texts.LULEA_HOST_LEARNING, supervisor, learned_at)
    write_adaptation_plan(placement, ends, texts.LULEA_PLAN, at(ends, 16))
    three = write_follow_up(placement, 3, ends + relativedelta(months=3))
    answered = at(_plus(three.due_on, 5), 10)
    record_follow_up_answers(three, texts.LULEA_THREE_MONTHS, cast.nurse, answered)
    write_follow_up(placement, 6, ends + relativedelta(months=6))
    return placement


def _open_offer(cast: Cast, today: date) -> PlacementOffer:
    """An offer whose window is ahead: one application declined, one nomination waiting."""
    window = (_plus(today, 45), _plus(today, 135))
    supervisors = [cast.singapore_supervisor, cast.trainer]
    offer = _offer(cast.host, OPEN, window, supervisors, _plus(today, -20))
    with dated(at(_plus(today, -12), 7)):
        applied = services.apply(cast.applicant, offer)
    with dated(at(_plus(today, -10), 2)):
        services.decline(cast.beijing, applied, texts.DECLINED_REASON)
    with dated(at(_plus(today, -3), 3), unread_by=(cast.nominee,)):
        services.nominate(cast.beijing, offer, cast.nominee)
    return offer


def _offer(actor: User, title: str, window, supervisors, created: date) -> PlacementOffer:
    programme, host, length, activities, fixed = OFFERS[title]
    details = services.OfferDetails(
        programme=db.session.scalar(
            select(Programme).where(Programme.name == PROGRAMMES[programme][0])
        ),
        host=db.session.scalar(select(Institution).where(Institution.name == host)),
        title=title,
        window_starts_on=window[0],
        window_ends_on=window[1],
        length_days=length,
        places=2,
        supervision_locale="en",
        activities=activities,
        supervisor_emails=[s.email for s in supervisors],
        fixed_dates=fixed,
    )
    offer = services.create_offer(actor, details)
    offer.created_at = at(created, 4)
    # Checking the offer loaded the programme's institutions; the programme at size then
    # adds its own in bulk, past the session: read them again when next asked.
    db.session.expire(details.programme, ["institutions"])
    return offer


def _keep_logbook(placement, days, book, drafts: int, hour: int) -> list[LogbookEntry]:
    """An entry for each of ``days`` from ``book`` in order, the last ``drafts`` unsent."""
    entries = []
    for k, (day, (activities, saw, learned, adapt)) in enumerate(zip(days, book, strict=False)):
        submitted = at(day, hour) if k < len(days) - drafts else None
        entry = write_logbook_entry(placement, day, activities, saw, learned, adapt, submitted)
        entries.append(entry)
    return entries


def _comment(entries: list[LogbookEntry], comments, supervisor: User, hours: int) -> None:
    """The supervisor's comments on submitted entries, ``hours`` after each was sent."""
    for number, body in comments:
        if number < len(entries) and entries[number].submitted_at is not None:
            when = entries[number].submitted_at + timedelta(hours=hours)
            write_logbook_comment(entries[number], supervisor, body, when)


def _plus(day: date, days: int) -> date:
    return day + timedelta(days=days)
