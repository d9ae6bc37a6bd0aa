"""The Beijing programme's case conferences at size (app/demo/beijing.py): the demo's
series (app/demo/conferences.py) with the trainers and many learners taking part,
attendance at every session held, and more cases discussed (de-identified: they pass
the case form's guard)."""

from datetime import timedelta

from sqlalchemy import select

from app.cases import services as cases
from app.cases.models import ConferenceCase
from app.conferences.models import ConferenceAttendance, ConferenceSeries, SeriesParticipant
from app.conferences.recurrence import occurrences
from app.demo import conferences as demo_conferences
from app.demo.bulk import insert_rows
from app.extensions import db

CASES = [
    # age band, sex, texts, recommendation
    (
        "70-79",
        "male",
        (
            "Advanced chronic obstructive pulmonary disease, on home oxygen.",
            "Breathless on minimal exertion, anxious at night; salbutamol, tiotropium.",
            "Lives with his wife, who has early dementia; a daughter visits at weekends.",
            "Stay at home; avoid another admission to intensive care.",
            "How can we relieve his breathlessness and plan care for his wife?",
        ),
        "Low-dose oral morphine for breathlessness (check your local formulary and renal "
        "function), a fan and breathing techniques; involve the community team and arrange "
        "respite and an assessment for his wife.",
    ),
    (
        "50-59",
        "female",
        (
            "Metastatic breast cancer with spinal metastases.",
            "Back pain worse at night, new leg weakness over two days.",
            "Teacher, two teenage children; her husband works away during the week.",
            "Keep walking and keep working as long as she can.",
            "Could this be spinal cord compression, and how do we talk about it with her?",
        ),
        "Treat as suspected spinal cord compression: dexamethasone and urgent imaging the "
        "same day; explain the plan honestly and offer a family meeting with the children.",
    ),
    (
        "80-89",
        "female",
        (
            "Advanced dementia, recurrent aspiration pneumonia.",
            "Not eating, drowsy; on antibiotics for the third time this year.",
            "Her son wants everything done; the other children disagree.",
            "Not yet agreed within the family.",
            "How do we lead a family meeting about feeding and antibiotics?",
        ),
        "Hold a family meeting with the whole family, start from what she would have "
        "wanted, offer careful hand feeding for comfort and agree a plan for the next "
        "infection in advance.",
    ),
]


def add_to_series(build) -> None:
    """The programme's case-conference series, as a busy one: the trainers and many
    learners take part, attendance at every session held, more cases discussed."""
    series = db.session.scalar(
        select(ConferenceSeries).where(ConferenceSeries.title == demo_conferences.TITLE)
    )
    if series is None:
        return
    rng, now = build.rng, build.now
    people = build.first + build.second + rng.sample(build.learners, len(build.learners) // 6)
    insert_rows(
        SeriesParticipant,
        [
            {
                "series_id": series.id,
                "user_id": u,
                "panel": False,
                "joined_at": now - timedelta(weeks=11),
            }
            for u in people
        ],
        build.world,
    )
    held = [o for o in occurrences(series, now - timedelta(weeks=12), now) if o.end < now]
    rows = [
        {
            "series_id": series.id,
            "occurrence_start": occurrence.original_start,
            "user_id": user_id,
            "present": rng.random() < 0.7,
            "minutes": series.duration_minutes,
            "recorded_at": occurrence.end + timedelta(hours=1),
        }
        for occurrence in held
        for user_id in people
    ]
    insert_rows(ConferenceAttendance, rows, build.world)
    _cases(build, series, held[:-1])


def _cases(build, series, held) -> None:
    """More cases discussed at the earlier sessions, with the panel's recommendation."""
    for (age, sex, texts, recommendation), occurrence, submitter in zip(
        CASES, held, build.first, strict=False
    ):
        stored = cases.checked_texts(dict(zip(cases.TEXT_FIELDS, texts, strict=True)))
        case = ConferenceCase(
            series_id=series.id,
            occurrence_start=occurrence.original_start,
            submitter_id=submitter,
            status="accepted",
            position=1,
            age_band=age,
            sex=sex,
            recommendation=recommendation,
            recommended_at=occurrence.end,
            **stored,
        )
        case.created_at = occurrence.original_start - timedelta(days=6)
        db.session.add(case)
    db.session.flush()
