"""What the host team learned, and the adaptation plan: who may write them, from when,
what is refused (nothing half-written), sharing the plan and its follow-ups' dates; the
pages and the placement panel."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.placements import outcomes
from app.placements.models import AdaptationChange, FollowUp, Placement, State
from app.placements.outcomes import ChangeRow
from tests.helpers import post_form, text_of
from tests.placements.outcome_fixtures import complete_placement, english, notices, signed_in

LAST_WEEK = date(2030, 3, 9)  # the accepted placement runs 2–15 March 2030
PHONE = "call the family on +7 701 234 5678"


@pytest.fixture
def completed(pw, accepted):
    english(pw)
    return complete_placement(pw, accepted)


def _rows(*rows) -> list[ChangeRow]:
    return [ChangeRow(*row) for row in rows] + [ChangeRow()] * (10 - len(rows))


GOOD = (
    ("Introduce ESAS-r on the ward", "Ward nurse lead", date(2030, 6, 1)),
    ("A weekly multidisciplinary meeting", "Head of department", date(2030, 9, 1)),
)


def _changes() -> int:
    return db.session.scalar(select(func.count()).select_from(AdaptationChange))


# --- What the host team learned ----------------------------------------------------------


def test_the_supervisor_and_a_host_coordinator_record_what_the_host_learned(pw, accepted):
    outcomes.record_host_learning(pw.supervisor, accepted, "  Kazakh family meetings  ")
    assert accepted.host_learning == "Kazakh family meetings"
    assert accepted.host_learning_by_id == pw.supervisor.id and accepted.host_learning_at
    outcomes.record_host_learning(pw.host_coordinator, accepted, "A morning huddle")
    assert accepted.host_learning == "A morning huddle"
    assert accepted.host_learning_by_id == pw.host_coordinator.id


def test_others_may_not_record_what_the_host_learned(pw, accepted):
    for person, hidden in ((pw.observer, False), (pw.home_coordinator, False),
                           (pw.admin, False), (pw.stranger, True)):  # fmt: skip
        with pytest.raises(PermissionDenied) as refused:
            outcomes.record_host_learning(person, accepted, "Something")
        assert refused.value.hidden is hidden, person.name
    assert accepted.host_learning is None


def test_what_the_host_learned_is_checked_before_it_is_written(pw, accepted):
    outcomes.record_host_learning(pw.supervisor, accepted, "First version")
    for text in ("", "   ", "x" * 4001, PHONE):
        with pytest.raises(ValidationFailed):
            outcomes.record_host_learning(pw.supervisor, accepted, text)
    assert accepted.host_learning == "First version"


def test_the_guard_names_the_passage(pw, accepted):
    with pytest.raises(ValidationFailed) as refused:
        outcomes.record_host_learning(pw.supervisor, accepted, PHONE)
    assert "+7 701 234 5678" in str(refused.value) and "Phone number" in str(refused.value)


def test_nothing_is_recorded_before_acceptance(pw):
    from app.placements import services

    placement = services.nominate(pw.home_coordinator, pw.offer, pw.colleague)
    with pytest.raises((ValidationFailed, PermissionDenied)):
        outcomes.record_host_learning(pw.host_coordinator, placement, "Too early")
    assert placement.host_learning is None


def test_the_host_learning_page(app, pw, accepted):
    english(pw)
    url = f"/placements/{accepted.id}/host-learning"
    supervisor = signed_in(app, pw.supervisor)
    saved = post_form(supervisor, url, {"text": "How to run a family meeting in Russian"})
    assert saved.status_code == 303
    panel = text_of(signed_in(app, pw.home_coordinator).get(f"/placements/{accepted.id}"))
    assert "How to run a family meeting in Russian" in panel and "Sara Supervisor" in panel
    observer = signed_in(app, pw.observer)
    page = observer.get(url)
    assert page.status_code == 200 and "How to run a family meeting" in text_of(page)
    assert "<textarea" not in text_of(page)  # read only
    refused = post_form(
        observer, url, {"text": "Mine"}, form_page=f"/placements/{accepted.id}/plan"
    )
    assert refused.status_code == 403
    assert db.session.get(Placement, accepted.id).host_learning.startswith("How to run")
    assert signed_in(app, pw.stranger).get(url).status_code == 404
    assert signed_in(app, pw.funder).get(url).status_code == 404
    bad = post_form(supervisor, url, {"text": PHONE})
    assert bad.status_code == 400 and "Phone number" in text_of(bad)


# --- The adaptation plan ------------------------------------------------------------------


def test_the_plan_opens_in_the_last_week(pw, accepted):
    with pytest.raises(ValidationFailed) as refused:
        outcomes.save_plan(pw.observer, accepted, _rows(*GOOD), date(2030, 3, 8))
    assert "2030-03-09" in str(refused.value)
    outcomes.save_plan(pw.observer, accepted, _rows(*GOOD), LAST_WEEK)
    assert [c.description for c in accepted.changes] == [g[0] for g in GOOD]
    assert [c.position for c in accepted.changes] == [1, 2]


def test_only_the_observer_writes_the_plan(pw, accepted):
    for person in (pw.supervisor, pw.home_coordinator, pw.host_coordinator, pw.admin):
        with pytest.raises(PermissionDenied):
            outcomes.save_plan(person, accepted, _rows(*GOOD), LAST_WEEK)
    assert _changes() == 0


def test_blank_rows_are_ignored_and_saving_replaces_the_plan(pw, completed):
    rows = [ChangeRow(), ChangeRow(*GOOD[0]), ChangeRow(), ChangeRow(*GOOD[1])]
    outcomes.save_plan(pw.observer, completed, rows + [ChangeRow()] * 6, date(2030, 5, 1))
    assert len(completed.changes) == 2
    outcomes.save_plan(pw.observer, completed, _rows(GOOD[1]), date(2030, 5, 1))
    db.session.commit()
    assert [c.description for c in completed.changes] == [GOOD[1][0]] and _changes() == 1


@pytest.mark.parametrize(
    "row, named",
    [
        (("", "Owner", date(2030, 6, 1)), "Change 3: describe the change"),
        (("x" * 501, "Owner", date(2030, 6, 1)), "Change 3: describe the change"),
        (("Change", "", date(2030, 6, 1)), "Change 3: name who owns it"),
        (("Change", "o" * 201, date(2030, 6, 1)), "Change 3: name who owns it"),
        (("Change", "Owner", None), "Change 3: the target date"),
        (("Change", "Owner", date(2030, 3, 2)), "Change 3: the target date"),  # the first day
        (("Change", "Owner", date(2032, 3, 16)), "Change 3: the target date"),  # > 2 years
        (("Ask about " + PHONE, "Owner", date(2030, 6, 1)), "Change 3: the description"),
    ],
)
def test_a_bad_row_is_named_and_leaves_the_plan_as_it_was(pw, completed, row, named):
    outcomes.save_plan(pw.observer, completed, _rows(*GOOD), date(2030, 5, 1))
    db.session.commit()
    with pytest.raises(ValidationFailed) as refused:
        outcomes.save_plan(pw.observer, completed, _rows(*GOOD, row), date(2030, 5, 1))
    assert named in str(refused.value)
    assert refused.value.field.startswith("changes-2-")
    db.session.rollback()
    assert [c.description for c in db.session.get(Placement, completed.id).changes] == [
        g[0] for g in GOOD
    ]


def test_two_years_after_the_end_is_the_latest_target(pw, completed):
    outcomes.save_plan(
        pw.observer, completed, _rows(("Change", "Owner", date(2032, 3, 15))), date(2030, 5, 1)
    )
    assert completed.changes[0].target_on == date(2032, 3, 15)


def test_sharing_needs_a_completed_placement_and_a_change(pw, accepted):
    outcomes.save_plan(pw.observer, accepted, _rows(*GOOD), LAST_WEEK)
    with pytest.raises(ValidationFailed):
        outcomes.share_plan(pw.observer, accepted)  # still accepted
    complete_placement(pw, accepted)
    with pytest.raises(PermissionDenied):
        outcomes.share_plan(pw.home_coordinator, accepted)
    accepted.changes.clear()
    db.session.flush()
    with pytest.raises(ValidationFailed):
        outcomes.share_plan(pw.observer, accepted)
    assert accepted.plan_shared_at is None


def test_sharing_sets_the_follow_ups_tells_the_coordinator_and_locks_the_plan(pw, completed):
    outcomes.save_plan(pw.observer, completed, _rows(*GOOD), date(2030, 5, 1))
    outcomes.share_plan(pw.observer, completed)
    db.session.commit()
    follow_ups = db.session.scalars(select(FollowUp).order_by(FollowUp.months)).all()
    assert [(f.months, f.due_on) for f in follow_ups] == [
        (3, date(2030, 6, 15)),
        (6, date(2030, 9, 15)),
    ]
    assert [n["variant"] for n in notices(pw.home_coordinator)] == ["completed", "plan_shared"]
    assert [n["variant"] for n in notices(pw.observer)] == ["completed"]  # they acted
    with pytest.raises(ValidationFailed):
        outcomes.save_plan(pw.observer, completed, _rows(GOOD[0]), date(2030, 5, 2))
    with pytest.raises(ValidationFailed):
        outcomes.share_plan(pw.observer, completed)
    assert len(completed.changes) == 2


def test_follow_ups_fall_on_calendar_months_even_at_a_month_end():
    placement = Placement(ends_on=date(2030, 8, 31))
    assert outcomes.follow_up_due_on(placement, 3) == date(2030, 11, 30)
    assert outcomes.follow_up_due_on(placement, 6) == date(2031, 2, 28)
    placement.ends_on = date(2031, 8, 31)
    assert outcomes.follow_up_due_on(placement, 6) == date(2032, 2, 29)


# --- The plan's pages ---------------------------------------------------------------------


def _plan_form(*rows) -> dict:
    data = {}
    for index in range(10):
        description, owner, target = rows[index] if index < len(rows) else ("", "", None)
        data[f"changes-{index}-description"] = description
        data[f"changes-{index}-owner"] = owner
        data[f"changes-{index}-target_on"] = target.isoformat() if target else ""
    return data


def test_the_observer_writes_and_shares_the_plan_on_its_pages(app, pw, completed):
    url = f"/placements/{completed.id}/plan"
    observer = signed_in(app, pw.observer)
    page = observer.get(url)
    assert page.status_code == 200 and text_of(page).count("<fieldset") == 10
    saved = post_form(observer, url, _plan_form(*GOOD))
    assert saved.status_code == 303
    panel = text_of(observer.get(f"/placements/{completed.id}"))
    assert "Introduce ESAS-r on the ward" in panel and "Share with my coordinator" in panel
    shared = post_form(observer, f"{url}/share", {}, form_page=url)
    assert shared.status_code == 303
    assert db.session.get(Placement, completed.id).plan_shared_at is not None
    locked = text_of(observer.get(url))
    assert "<fieldset" not in locked and "the plan is final" in locked


def test_a_bad_row_on_the_page_is_named_beside_it_and_nothing_is_saved(app, pw, completed):
    url = f"/placements/{completed.id}/plan"
    observer = signed_in(app, pw.observer)
    post_form(observer, url, _plan_form(*GOOD))
    bad = post_form(observer, url, _plan_form(GOOD[0], ("Third", "", date(2030, 6, 1))))
    assert bad.status_code == 400
    assert "Change 2: name who owns it" in text_of(bad)
    assert 'id="changes-1-owner-error"' in text_of(bad)
    assert [c.description for c in db.session.get(Placement, completed.id).changes] == [
        g[0] for g in GOOD
    ]


def test_the_plan_page_from_the_other_side(app, pw, accepted, monkeypatch):
    english(pw)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
    url = f"/placements/{accepted.id}/plan"
    coordinator = signed_in(app, pw.home_coordinator)
    assert coordinator.get(url).status_code == 200
    assert coordinator.post(url, data=_plan_form(*GOOD)).status_code == 403
    for person in (pw.stranger, pw.funder, pw.colleague):
        assert signed_in(app, person).get(url).status_code == 404, person.name
    assert app.test_client().get(url).status_code == 302
    assert _changes() == 0


def test_the_panel_is_empty_before_acceptance_and_shows_the_completion_after(app, pw, completed):
    from app.placements import services
    from app.placements.panels import outcomes_panel

    placement = services.nominate(pw.home_coordinator, pw.offer, pw.colleague)
    assert outcomes_panel(placement, pw.admin) == {}
    page = text_of(signed_in(app, pw.supervisor).get(f"/placements/{completed.id}"))
    assert "After the placement" in page and "Completed on" in page
    assert "Certificate of observership" not in page  # the supervisor does not see it
    page = text_of(signed_in(app, pw.observer).get(f"/placements/{completed.id}"))
    assert "Certificate of observership" in page
    assert completed.state == State.COMPLETED
