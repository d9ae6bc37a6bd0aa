"""The demo's case conferences: a fortnightly series of the Beijing programme, hosted
from Singapore, with past and future sessions, one cancelled, cases discussed and to
come, and attendance."""

from datetime import datetime, timedelta

from sqlalchemy import select

from app.auth import services as auth
from app.cases import services as cases
from app.cases.models import ConferenceCase
from app.conferences import queries as conference_queries
from app.conferences import services
from app.conferences.attendance import record_attendance
from app.conferences.models import ConferenceSeries
from app.conferences.recurrence import build_rule, occurrences
from app.db_types import utcnow
from app.extensions import db
from app.institutions.models import Programme

TITLE = "Beijing–Singapore complex case conference"
PARTICIPANTS = [
    "liu.yang@example.org",
    "wu.hong@example.org",
    "doctor@example.org",
    "zhang.min@example.org",
    "coordinator@example.org",
]

CASES = [
    # submitter, session (0 = the last one held, 1 = the next), status, sex, texts,
    # recommendation
    (
        "doctor@example.org",
        0,
        "accepted",
        "female",
        (
            "Metastatic pancreatic cancer, liver metastases.",
            "Epigastric and back pain NRS 7/10 despite oxycodone 20 mg every 12 hours; nausea; "
            "constipation for 4 days.",
            "Lives with her daughter, who works nights; the family asks us not to tell her the "
            "prognosis.",
            "Comfort at home; she has said she does not want to go back to intensive care.",
            "How do we manage her pain and the family's request for non-disclosure?",
        ),
        "Rotate or titrate the opioid with breakthrough doses (check your local formulary and "
        "renal function); start a laxative regimen; explore with the daughter what she fears "
        "the truth would do, and ask the patient how much she wants to know.",
    ),
    (
        "liu.yang@example.org",
        1,
        "accepted",
        "male",
        (
            "Advanced heart failure (NYHA IV), chronic kidney disease stage 4.",
            "Breathlessness at rest, oedema; furosemide, bisoprolol.",
            "Widower, two sons abroad; a neighbour helps.",
            "Avoid readmission; stay at home if possible.",
            "When should we stop the diuretic escalation and focus on comfort?",
        ),
        None,
    ),
    (
        "zhang.min@example.org",
        1,
        "submitted",
        "female",
        (
            "Motor neurone disease, bulbar onset.",
            "Drooling, choking episodes, anxiety at night.",
            "Husband is the only carer and is exhausted.",
            "Decide about a feeding tube and non-invasive ventilation in advance.",
            "How do we start an advance care planning conversation with the couple?",
        ),
        None,
    ),
]


def ensure_conferences() -> None:
    """The demo series and its history (once)."""
    if db.session.scalar(select(ConferenceSeries.id).where(ConferenceSeries.title == TITLE)):
        return
    organiser = auth.get_user_by_email("trainer@example.org")
    programme = db.session.scalar(select(Programme).order_by(Programme.id))
    first = (utcnow() - timedelta(weeks=10)).date()
    first -= timedelta(days=(first.weekday() - 3) % 7)  # a Thursday
    details = services.SeriesDetails(
        title=TITLE,
        description="Fortnightly. A panel from Singapore with palliative-care physicians, a "
        "nurse specialist and a medical social worker; clinicians from Beijing present cases.",
        owner=("programme", programme.id),
        timezone="Asia/Singapore",
        starts_local=datetime(first.year, first.month, first.day, 14, 0),
        duration_minutes=90,
        rrule=build_rule("weekly", 2, first, 26, None, "Asia/Singapore"),
        meeting_url="https://meet.jit.si/palliare-beijing-singapore-echo",
    )
    series = services.create_series(organiser, details)
    for email in PARTICIPANTS:
        services.join_series(auth.get_user_by_email(email), series)
    now = utcnow()
    held = [o for o in occurrences(series, now - timedelta(weeks=12), now) if o.end < now]
    coming = occurrences(series, now, now + timedelta(weeks=12))
    services.change_occurrence(
        organiser, series, coming[2].original_start, True, None, "Public holiday in Beijing."
    )
    _history(series, organiser, held)
    _cases(series, organiser, held[-1], coming[0])


def _history(series, organiser, held) -> None:
    everyone = {p.user_id for p in conference_queries.participants(series)}
    for index, occurrence in enumerate(held):
        present = {uid for n, uid in enumerate(sorted(everyone)) if (n + index) % 4}
        _record(organiser, series, occurrence, present)


def _record(organiser, series, occurrence, present) -> None:
    """Attendance as the organiser records it after a session (its start is in the past)."""
    record_attendance(organiser, series, occurrence.original_start, present)


def _cases(series, organiser, last_held, next_one) -> None:
    for email, which, status, sex, texts, recommendation in CASES:
        occurrence = last_held if which == 0 else next_one
        # Made directly (a past session takes no new case), through the same checks.
        stored = cases.checked_texts(dict(zip(cases.TEXT_FIELDS, texts, strict=True)))
        case = ConferenceCase(
            series_id=series.id,
            occurrence_start=occurrence.original_start,
            submitter_id=auth.get_user_by_email(email).id,
            status="submitted",
            age_band="60-69",
            sex=sex,
            **stored,
        )
        case.created_at = occurrence.original_start - timedelta(days=5)
        db.session.add(case)
        db.session.flush()
        if status == "accepted" and which == 0:
            case.status, case.position = "accepted", 1  # accepted back before that session
        elif status == "accepted":
            cases.accept_case(organiser, case)
        if recommendation:
            cases.record_recommendation(organiser, case, recommendation)
    db.session.flush()
