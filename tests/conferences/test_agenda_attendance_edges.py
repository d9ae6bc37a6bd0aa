"""Rough edges of the agenda and attendance (issue 16): "Put on the agenda" is gone once a
case is on it (and a second acceptance is refused, saying why); attendance is neither
offered nor taken before a session has started."""

from datetime import timedelta

import pytest

from app.cases import services as cases
from app.cases.models import ConferenceCase
from app.conferences.models import ConferenceAttendance
from app.conferences.recurrence import occurrences
from app.conferences.stamps import stamp_of
from app.exceptions import ValidationFailed
from app.extensions import db
from tests.conferences.test_views import CASE
from tests.helpers import post_form, text_of


def _case(world, accepted=False) -> ConferenceCase:
    start = occurrences(world["series"])[0].original_start
    case = cases.submit_case(world["clinician"], world["series"], start, cases.CaseText(**CASE), [])
    if accepted:
        cases.accept_case(world["organiser"], case)
    db.session.commit()
    return case


def test_put_on_the_agenda_is_offered_until_the_case_is_on_it(world, client, login):
    case = _case(world)
    login(world["organiser"])
    page = f"/conferences/cases/{case.id}"
    assert "Put on the agenda" in text_of(client.get(page))
    response = post_form(client, f"{page}/accept", {}, form_page=page)
    assert response.status_code == 303
    html = text_of(client.get(page))
    assert "Put on the agenda" not in html and f"/cases/{case.id}/accept" not in html
    assert "Take off the agenda" in html  # declining stays possible


def test_accepting_twice_is_refused_with_a_clear_message(world, client, login):
    case = _case(world, accepted=True)
    with pytest.raises(ValidationFailed, match="already on the agenda"):
        cases.accept_case(world["organiser"], case)
    login(world["organiser"])
    page = f"/conferences/cases/{case.id}"
    response = post_form(client, f"{page}/accept", {}, form_page=page, follow_redirects=True)
    assert "This case is already on the agenda (#1)." in text_of(response)
    assert db.session.get(ConferenceCase, case.id).position == 1


def test_a_participant_still_cannot_accept(world, client, login):
    case = _case(world, accepted=True)
    login(world["clinician"])  # the presenter sees the case, but is no organiser
    page = f"/conferences/cases/{case.id}"
    html = text_of(client.get(page))
    assert "Put on the agenda" not in html and "Take off the agenda" not in html
    assert post_form(client, f"{page}/decline", {}, form_page=page).status_code == 403
    assert db.session.get(ConferenceCase, case.id).status == "accepted"


def _session_url(world) -> str:
    start = occurrences(world["series"])[0].original_start
    return f"/conferences/{world['series'].id}/sessions/{stamp_of(start)}"


def test_no_attendance_form_before_the_session_and_the_service_refuses(world, client, login):
    login(world["organiser"])
    url = _session_url(world)
    html = text_of(client.get(url))
    assert "Save attendance" not in html and "once the session has started" in html
    response = post_form(client, f"{url}/attendance", {"present": [world["clinician"].id]}, url)
    assert response.status_code == 400
    assert "Attendance can be recorded once the session has started." in text_of(response)
    assert db.session.query(ConferenceAttendance).count() == 0


def test_the_attendance_form_once_the_session_has_started(world, client, login, monkeypatch):
    start = occurrences(world["series"])[0].start
    later = lambda: start + timedelta(minutes=5)  # noqa: E731
    monkeypatch.setattr("app.conferences.views.utcnow", later)
    monkeypatch.setattr("app.conferences.attendance.utcnow", later)
    login(world["organiser"])
    url = _session_url(world)
    assert "Save attendance" in text_of(client.get(url))
    response = post_form(client, f"{url}/attendance", {"present": [world["clinician"].id]}, url)
    assert response.status_code == 303
    present = {a.user_id for a in db.session.query(ConferenceAttendance) if a.present}
    assert present == {world["clinician"].id}


def test_a_participant_cannot_record_attendance(world, client, login):
    login(world["colleague"])
    url = _session_url(world)
    token_page = "/conferences/"
    assert post_form(client, f"{url}/attendance", {}, form_page=token_page).status_code == 403
