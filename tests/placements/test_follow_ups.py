"""The 3- and 6-month follow-ups: asked exactly once when due (the task, the command, two
runs at once), answered by the observer or their institution's coordinators only, every
change at once (a bad answer writes nothing), shown on the placement page."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.placements import outcomes
from app.placements.models import ChangeStatus, FollowUp, FollowUpAnswer, Placement
from app.placements.outcome_queries import follow_ups_of
from app.placements.outcomes import Answer, ChangeRow
from app.placements.tasks import ask_follow_ups
from tests.factories import make_user
from tests.helpers import post_form, text_of
from tests.placements.conftest import accept_placement
from tests.placements.outcome_fixtures import complete_placement, english, notices, signed_in

DUE_3, DUE_6 = date(2030, 6, 15), date(2030, 9, 15)  # the placement ends on 15 March 2030
NOW = datetime(2030, 6, 15, 7, tzinfo=UTC)


@pytest.fixture
def shared(pw, accepted):
    """The completed placement with a two-change plan, shared with the coordinator."""
    english(pw)
    complete_placement(pw, accepted)
    rows = [
        ChangeRow("Introduce ESAS-r on the ward", "Ward nurse lead", date(2030, 6, 1)),
        ChangeRow("A weekly multidisciplinary meeting", "Head of department", date(2030, 9, 1)),
    ]
    outcomes.save_plan(pw.observer, accepted, rows, date(2030, 5, 1))
    outcomes.share_plan(pw.observer, accepted)
    db.session.commit()
    return accepted


def _follow_up(placement, months=3) -> FollowUp:
    return follow_ups_of(placement)[months]


def _all(placement, status=ChangeStatus.IN_PROGRESS, note="") -> dict[int, Answer]:
    return {change.id: Answer(status.value, note) for change in placement.changes}


def _answers() -> int:
    return db.session.scalar(select(func.count()).select_from(FollowUpAnswer))


# --- Asking -----------------------------------------------------------------------------


def test_the_task_asks_each_follow_up_once_when_it_is_due(pw, shared):
    assert ask_follow_ups(date(2030, 6, 14)) == 0
    assert ask_follow_ups(DUE_3) == 1
    assert ask_follow_ups(DUE_3) == 0
    assert _follow_up(shared).asked_at is not None and _follow_up(shared, 6).asked_at is None
    for person in (pw.observer, pw.home_coordinator):
        due = [n for n in notices(person) if n["variant"] == "follow_up_due"]
        assert [(n["months"], n["placement_id"]) for n in due] == [(3, shared.id)], person.name
    assert ask_follow_ups(date(2031, 1, 1)) == 1  # the 6-month one
    assert ask_follow_ups(date(2031, 1, 1)) == 0


def test_two_runs_claiming_the_same_follow_up_ask_once(pw, shared):
    follow_up_id = _follow_up(shared).id
    assert outcomes.ask_follow_up(follow_up_id, NOW) is True
    assert outcomes.ask_follow_up(follow_up_id, NOW) is False  # the other worker's claim
    db.session.commit()
    assert len([n for n in notices(pw.observer) if n["variant"] == "follow_up_due"]) == 1


def test_the_command_asks_the_follow_ups_due(app, pw, shared):
    result = app.test_cli_runner().invoke(
        args=["placements", "ask-follow-ups", "--today", "2030-06-15"]
    )
    assert result.exit_code == 0 and "1 follow-up(s) asked." in result.output
    again = app.test_cli_runner().invoke(
        args=["placements", "ask-follow-ups", "--today", "2030-06-15"]
    )
    assert "0 follow-up(s) asked." in again.output


# --- Answering ----------------------------------------------------------------------------


def test_the_observer_answers_every_change(pw, shared):
    follow_up = _follow_up(shared)
    answers = _all(shared) | {shared.changes[1].id: Answer("done", "  Every Tuesday  ")}
    outcomes.answer_follow_up(pw.observer, follow_up, answers, DUE_3)
    db.session.commit()
    got = {a.change_id: (a.status, a.note) for a in follow_up.answers}
    assert got == {
        shared.changes[0].id: (ChangeStatus.IN_PROGRESS, None),
        shared.changes[1].id: (ChangeStatus.DONE, "Every Tuesday"),
    }
    assert follow_up.answered_by_id == pw.observer.id and follow_up.answered_at


def test_a_correction_replaces_the_answers_and_records_who(pw, shared):
    follow_up = _follow_up(shared)
    outcomes.answer_follow_up(pw.observer, follow_up, _all(shared), DUE_3)
    db.session.commit()
    outcomes.answer_follow_up(
        pw.home_coordinator, follow_up, _all(shared, ChangeStatus.DROPPED, "No staff"), DUE_3
    )
    db.session.commit()
    assert _answers() == 2
    assert {a.status for a in follow_up.answers} == {ChangeStatus.DROPPED}
    assert follow_up.answered_by_id == pw.home_coordinator.id


@pytest.mark.parametrize(
    "broken, field",
    [
        ("missing", "status-"),
        ("unknown status", "status-"),
        ("long note", "note-"),
        ("identifying note", "note-"),
    ],
)
def test_a_bad_answer_writes_nothing(pw, shared, broken, field):
    follow_up = _follow_up(shared)
    outcomes.answer_follow_up(pw.observer, follow_up, _all(shared, ChangeStatus.DONE), DUE_3)
    db.session.commit()
    second = shared.changes[1].id
    answers = _all(shared, ChangeStatus.NOT_STARTED)
    if broken == "missing":
        del answers[second]
    elif broken == "unknown status":
        answers[second] = Answer("finished")
    elif broken == "long note":
        answers[second] = Answer("done", "n" * 1001)
    else:
        answers[second] = Answer("done", "Asked Mrs Ivanova, phone +7 701 234 5678")
    with pytest.raises(ValidationFailed) as refused:
        outcomes.answer_follow_up(pw.observer, follow_up, answers, DUE_3)
    assert refused.value.field == f"{field}{second}" and "Change 2" in str(refused.value)
    db.session.rollback()
    kept = db.session.get(FollowUp, follow_up.id)
    assert {a.status for a in kept.answers} == {ChangeStatus.DONE} and len(kept.answers) == 2


def test_a_follow_up_is_answered_from_the_day_it_is_due(pw, shared):
    with pytest.raises(ValidationFailed) as refused:
        outcomes.answer_follow_up(pw.observer, _follow_up(shared), _all(shared), date(2030, 6, 14))
    assert "not due until 2030-06-15" in str(refused.value)
    outcomes.ask_follow_up(_follow_up(shared, 6).id, NOW)  # asked: open whatever the day
    outcomes.answer_follow_up(pw.observer, _follow_up(shared, 6), _all(shared), DUE_3)


def test_someone_else_answering_is_refused_with_a_clear_message(pw, shared):
    other_observer = make_user(institution=pw.home, name="Other Observer")
    for person, hidden in ((pw.host_coordinator, False), (pw.supervisor, False),
                           (pw.admin, False), (pw.stranger, True), (pw.funder, True),
                           (other_observer, True)):  # fmt: skip
        with pytest.raises(PermissionDenied) as refused:
            outcomes.answer_follow_up(person, _follow_up(shared), _all(shared), DUE_3)
        assert refused.value.hidden is hidden, person.name
        assert "Only the observer or their institution's coordinators answer" in str(refused.value)
    assert _answers() == 0 and _follow_up(shared).answered_at is None


# --- The pages ------------------------------------------------------------------------------


def _form(placement, status="in_progress", note="") -> dict:
    data = {}
    for change in placement.changes:
        data[f"status-{change.id}"] = status
        data[f"note-{change.id}"] = note
    return data


@pytest.fixture
def due(pw, shared):
    """Both follow-ups asked (as the task would on their day)."""
    for months in (3, 6):
        outcomes.ask_follow_up(_follow_up(shared, months).id, NOW)
    db.session.commit()
    return shared


def test_the_observer_answers_on_the_page_and_the_panel_shows_it(app, pw, due):
    url = f"/placements/{due.id}/follow-ups/3"
    observer = signed_in(app, pw.observer)
    page = observer.get(url)
    assert page.status_code == 200 and text_of(page).count('type="radio"') == 8
    saved = post_form(observer, url, _form(due, "done", "Running since May"))
    assert saved.status_code == 303
    panel = text_of(observer.get(f"/placements/{due.id}"))
    assert "Running since May" in panel and "answered by Olga Observer" in panel
    corrected = post_form(signed_in(app, pw.home_coordinator), url, _form(due, "dropped"))
    assert corrected.status_code == 303
    panel = text_of(signed_in(app, pw.host_coordinator).get(f"/placements/{due.id}"))
    assert "Dropped" in panel and "answered by Hana Home" in panel


def test_an_unanswered_change_on_the_page_saves_nothing(app, pw, due):
    url = f"/placements/{due.id}/follow-ups/3"
    data = _form(due)
    del data[f"status-{due.changes[0].id}"]
    response = post_form(signed_in(app, pw.observer), url, data)
    assert response.status_code == 400
    assert "Change 1: choose where it stands." in text_of(response)
    assert _answers() == 0


def test_the_follow_up_page_from_the_other_side(app, pw, due, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    url = f"/placements/{due.id}/follow-ups/3"
    for person in (pw.host_coordinator, pw.supervisor):
        response = signed_in(app, person).post(url, data=_form(due))
        assert response.status_code == 403, person.name
        assert "Only the observer or their institution" in text_of(response)
        assert signed_in(app, person).get(url).status_code == 403
    admin = signed_in(app, pw.admin)
    assert admin.get(url).status_code == 200  # administrators may read it
    assert admin.post(url, data=_form(due)).status_code == 403
    other = accept_placement(pw, pw.colleague, starts_on=date(2030, 4, 1))
    assert signed_in(app, pw.colleague).get(url).status_code == 404  # not their placement
    assert (
        signed_in(app, pw.observer).get(f"/placements/{other.id}/follow-ups/3").status_code == 404
    )
    for person in (pw.funder, pw.stranger):
        assert signed_in(app, person).get(url).status_code == 404, person.name
    signed_out = app.test_client().get(url)
    assert signed_out.status_code == 302 and "/login" in signed_out.headers["Location"]
    assert _answers() == 0


def test_only_3_and_6_months_exist(app, pw, due):
    observer = signed_in(app, pw.observer)
    for months in (1, 4, 12):
        assert observer.get(f"/placements/{due.id}/follow-ups/{months}").status_code == 404


def test_before_it_is_due_the_page_says_when(app, pw, shared, monkeypatch):
    from app.placements import days

    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    monkeypatch.setattr(days, "utcnow", lambda: datetime(2030, 9, 14, 12, tzinfo=UTC))
    url = f"/placements/{shared.id}/follow-ups/6"  # due 15 September 2030
    observer = signed_in(app, pw.observer)
    page = observer.get(url)
    assert page.status_code == 200 and "not due until 15 September 2030" in text_of(page)
    assert 'type="radio"' not in text_of(page)
    response = observer.post(url, data=_form(shared))
    assert response.status_code == 400
    assert "not due until 15 September 2030" in text_of(response)
    assert _answers() == 0
    monkeypatch.setattr(days, "utcnow", lambda: datetime(2030, 9, 15, 12, tzinfo=UTC))
    assert observer.post(url, data=_form(shared)).status_code == 303
    assert _answers() == 2


def test_before_the_plan_is_shared_there_is_no_follow_up(app, pw, accepted):
    english(pw)
    url = f"/placements/{accepted.id}/follow-ups/3"
    response = signed_in(app, pw.observer).get(url)
    assert response.status_code == 200 and "There is no follow-up yet" in text_of(response)
    assert 'type="radio"' not in text_of(response)
    posted = post_form(
        signed_in(app, pw.observer), url, {}, form_page=f"/placements/{accepted.id}/plan"
    )
    assert posted.status_code == 400 and _answers() == 0
    assert db.session.get(Placement, accepted.id).plan_shared_at is None


def test_the_notifications_read_well(app, pw, shared):
    ask_follow_ups(DUE_3)
    page = text_of(signed_in(app, pw.observer).get("/notifications/"))
    assert "3 months on: where do the changes stand?" in page
    assert "Completed: the placement “Palliative ward observership”" in page
    coordinator = text_of(signed_in(app, pw.home_coordinator).get("/notifications/"))
    assert "Adaptation plan shared: “Palliative ward observership”" in coordinator
    assert "Olga Observer shared the changes" in coordinator
