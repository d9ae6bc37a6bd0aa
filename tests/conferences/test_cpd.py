"""Case conferences attended are on the learner's certificates page as CPD hours: the
conference package registers them with learning's CPD statement."""

from app.conferences.models import ConferenceAttendance
from app.conferences.recurrence import occurrences
from app.extensions import db
from app.learning.cpd import cpd_statement
from tests.helpers import text_of


def _attended(world, person: str, present: bool = True) -> None:
    series = world["series"]
    occurrence = occurrences(series)[0]
    db.session.add(
        ConferenceAttendance(
            series_id=series.id,
            occurrence_start=occurrence.original_start,
            user_id=world[person].id,
            present=present,
            minutes=90,
        )
    )
    db.session.commit()


def test_attended_sessions_are_cpd_hours_on_the_certificates_page(world, client, login):
    _attended(world, "clinician")
    _attended(world, "colleague", present=False)
    [section] = cpd_statement(world["clinician"])
    assert [(a.title, a.sessions, a.minutes) for a in section.activities] == [
        (world["series"].title, 1, 90)
    ]
    assert section.hours == 1.5 and cpd_statement(world["colleague"]) == []
    login(world["clinician"])
    page = text_of(client.get("/certificates/"))
    assert "Case conferences attended" in page and world["series"].title in page
    assert "1.5 CPD hours in all" in page
