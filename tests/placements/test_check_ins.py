"""Weekly check-ins: one shared note per week of the placement, written or edited by the
observer or the supervisor from the week's first day, with the other one told."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.notifications.models import Notification
from app.placements import days, logbook
from app.placements.models import CheckIn
from tests.helpers import csrf_token, text_of
from tests.placements.conftest import finish_placement

WEEK_2 = date(2030, 3, 9)  # the placement runs 2–15 March 2030


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(CheckIn))


def _told(user) -> list[dict]:
    rows = db.session.scalars(
        select(Notification).where(
            Notification.recipient_id == user.id, Notification.kind == "placement_logbook"
        )
    )
    return [r.params for r in rows if r.params.get("variant") == "check_in"]


def _week(placement, number=1):
    return logbook.week_numbered(placement, number)


def test_observer_and_supervisor_share_one_note_a_week(pw, accepted):
    week = _week(accepted)
    first = logbook.save_check_in(pw.observer, accepted, week, "Settling in well.", week.starts_on)
    assert first.updated_by_id == pw.observer.id
    assert [n["week"] for n in _told(pw.supervisor)] == [1]
    edited = logbook.save_check_in(
        pw.supervisor, accepted, week, "Settling in well. Next: home visits.", WEEK_2
    )
    assert edited.id == first.id and edited.updated_by_id == pw.supervisor.id
    assert edited.note == "Settling in well. Next: home visits."
    assert len(_told(pw.observer)) == 1 and _count() == 1


def test_a_week_is_written_from_its_first_day_only(pw, accepted):
    week = _week(accepted, 2)
    with pytest.raises(ValidationFailed) as refused:
        logbook.save_check_in(pw.observer, accepted, week, "Too early", date(2030, 3, 8))
    assert refused.value.field == "note" and _count() == 0
    logbook.save_check_in(pw.observer, accepted, week, "On time", WEEK_2)
    assert _count() == 1


@pytest.mark.parametrize("note", ["", "   ", "x" * 2001])
def test_an_empty_or_long_note_is_refused(pw, accepted, note):
    with pytest.raises(ValidationFailed):
        logbook.save_check_in(pw.observer, accepted, _week(accepted), note, WEEK_2)
    assert _count() == 0


def test_identifiers_in_a_note_are_refused_and_nothing_is_stored(pw, accepted):
    week = _week(accepted)
    logbook.save_check_in(pw.observer, accepted, week, "A clean note.", WEEK_2)
    db.session.commit()
    with pytest.raises(logbook.IdentifiersFound) as refused:
        logbook.save_check_in(
            pw.supervisor, accepted, week, "Phone Mrs Ivanova on +46 70 123 45 67", WEEK_2
        )
    db.session.rollback()
    assert {f.kind for f in refused.value.findings} == {"name", "phone"}
    assert logbook.get_check_in(accepted, week).note == "A clean note."
    assert _told(pw.observer) == []


def test_only_the_observer_and_the_supervisor_write_and_only_while_accepted(pw, accepted):
    week = _week(accepted)
    for other in (pw.home_coordinator, pw.host_coordinator, pw.admin, pw.stranger):
        with pytest.raises(PermissionDenied):
            logbook.save_check_in(other, accepted, week, "Not ours", WEEK_2)
    finish_placement(pw, accepted)
    with pytest.raises(ValidationFailed):
        logbook.save_check_in(pw.observer, accepted, week, "After the end", WEEK_2)
    assert _count() == 0


# --- Pages --------------------------------------------------------------------------


@pytest.fixture
def english(pw):
    for person in (pw.observer, pw.supervisor, pw.home_coordinator):
        person.locale = "en"
    db.session.commit()


@pytest.fixture
def in_week_2(monkeypatch):
    monkeypatch.setattr(days, "host_today", lambda placement, now=None: WEEK_2)


def _as(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


def _post(client, url, note):
    return client.post(url, data={"csrf_token": csrf_token(client, url), "note": note})


def test_the_check_in_page(english, pw, accepted, app, in_week_2):
    url = f"/placements/{accepted.id}/check-ins/1"
    observer = _as(app, pw.observer)
    assert observer.get(url).status_code == 200
    response = _post(observer, url, "Week one: rounds and a family meeting.")
    assert response.status_code == 303 and _count() == 1
    supervisor = _as(app, pw.supervisor)
    page = text_of(supervisor.get(url))
    assert "Week one: rounds and a family meeting.</textarea>" in page
    assert "Last edited by Olga Observer" in page
    logbook_page = text_of(supervisor.get(f"/placements/{accepted.id}/logbook"))
    assert "Week one: rounds and a family meeting." in logbook_page
    panel = text_of(supervisor.get(f"/placements/{accepted.id}"))
    assert "Latest check-in" in panel and "Week one: rounds" in panel


def test_identifiers_on_the_check_in_form_are_refused_with_the_text_kept(
    english, pw, accepted, app, in_week_2
):
    url = f"/placements/{accepted.id}/check-ins/2"
    response = _post(_as(app, pw.supervisor), url, "Her IIN is 850101300123")
    assert response.status_code == 400
    assert "Kazakhstan IIN" in text_of(response) and "Note" in text_of(response)
    assert "Her IIN is 850101300123</textarea>" in text_of(response)
    assert _count() == 0


def test_who_reaches_the_check_ins(pw, accepted, app, client, in_week_2):
    url = f"/placements/{accepted.id}/check-ins/1"
    assert client.get(url).status_code == 302
    assert _as(app, pw.stranger).get(url).status_code == 404
    coordinator = _as(app, pw.home_coordinator)
    assert coordinator.get(url).status_code == 200  # reads
    token = csrf_token(coordinator, f"/placements/{accepted.id}")
    response = coordinator.post(url, data={"csrf_token": token, "note": "Mine"})
    assert response.status_code == 403 and _count() == 0
    observer = _as(app, pw.observer)
    for number in (0, 3, 99):
        assert observer.get(f"/placements/{accepted.id}/check-ins/{number}").status_code == 404


def test_a_week_still_to_come_offers_no_form(english, pw, accepted, app, monkeypatch):
    monkeypatch.setattr(days, "host_today", lambda placement, now=None: date(2030, 3, 5))
    url = f"/placements/{accepted.id}/check-ins/2"
    observer = _as(app, pw.observer)
    assert 'name="note"' not in text_of(observer.get(url))
    token = csrf_token(observer, f"/placements/{accepted.id}")
    response = observer.post(url, data={"csrf_token": token, "note": "Early"})
    assert response.status_code == 400 and "starts on" in text_of(response)
    assert _count() == 0
