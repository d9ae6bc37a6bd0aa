"""Workshop attendance (issue 16): no sheet to tick before a session has started, and the
service refuses it with a 400 and a message."""

from datetime import datetime, timedelta

from app.db_types import utcnow
from app.extensions import db
from app.workshops import services as workshops
from app.workshops.models import Attendance
from tests.helpers import post_form, sign_in, text_of


def _session(world, starts: datetime):
    workshop = workshops.create_workshop(world["trainer"], world["cohort"], "Day one", None)
    session = workshops.save_session(world["trainer"], workshop, None, starts, 60, "Room 1", "", [])
    db.session.commit()
    return session


def test_a_future_session_shows_no_sheet_and_refuses_attendance(world, client, login):
    soon = (utcnow() + timedelta(days=30)).replace(tzinfo=None, microsecond=0)
    session = _session(world, soon)
    url = f"/workshops/sessions/{session.id}/attendance"
    login(world["trainer"])
    html = text_of(client.get(url))
    assert "Save attendance" not in html and 'name="present"' not in html
    assert "once the session has started" in html and "Lena Learner" in html
    data = {"shown": [world["learner"].id], "present": [world["learner"].id]}
    response = post_form(client, url, data, form_page="/cohorts/")
    assert response.status_code == 400
    assert "Attendance can be recorded once the session has started." in text_of(response)
    assert db.session.query(Attendance).count() == 0


def test_a_past_session_shows_the_sheet(world, client, login):
    session = _session(world, datetime(2026, 4, 1, 9))
    url = f"/workshops/sessions/{session.id}/attendance"
    login(world["trainer"])
    assert "Save attendance" in text_of(client.get(url))
    data = {"shown": [world["learner"].id], "present": [world["learner"].id]}
    assert post_form(client, url, data).status_code == 303


def test_people_who_do_not_run_the_cohort_record_nothing(world, app):
    session = _session(world, datetime(2026, 4, 1, 9))
    url = f"/workshops/sessions/{session.id}/attendance"
    for who in ("learner", "other_trainer", "other_coordinator"):
        client = app.test_client()
        sign_in(client, world[who].email, "palliare-demo")
        data = {"shown": [world["learner"].id], "present": [world["learner"].id]}
        status = post_form(client, url, data, form_page="/profile").status_code
        assert status in (403, 404), who
    assert db.session.query(Attendance).count() == 0
