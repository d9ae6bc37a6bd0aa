"""The counts of observerships (app/placements/reporting.py), on rows built directly: what
is offered, filled and completed, the observer-days and the changes done at 3 and 6
months, per host and home institution, within a programme, an institution and months."""

from datetime import UTC, date, datetime, timedelta

from app.extensions import db
from app.placements import reporting
from app.placements.models import (
    AdaptationChange,
    Assessment,
    ChangeStatus,
    FollowUp,
    FollowUpAnswer,
    Placement,
    PlacementOffer,
    Stage,
    State,
)
from app.placements.reporting import PairFigures, Window
from tests.factories import make_institution, make_programme, make_user

MARCH = date(2030, 3, 1)
ASKED = datetime(2030, 7, 1, tzinfo=UTC)


def make_offer(programme, host, places=2, starts_on=MARCH, title="Ward observership"):
    """An offer of ``places`` at ``host`` in ``programme``, its window from ``starts_on``."""
    offer = PlacementOffer(
        programme_id=programme.id,
        host_institution_id=host.id,
        title=title,
        window_starts_on=starts_on,
        window_ends_on=starts_on + timedelta(days=60),
        length_days=14,
        places=places,
        supervision_locale="en",
        activities=["ward_rounds"],
    )
    db.session.add(offer)
    db.session.flush()
    return offer


def make_placement(offer, observer, state=State.COMPLETED, starts_on=None, days=None, **answers):
    """A placement of ``observer`` on ``offer`` in ``state``; ``days`` present at the final
    assessment; ``at_3`` / ``at_6``: the statuses of its changes answered at 3 / 6 months
    (an answered follow-up; None or absent: not answered)."""
    starts_on = starts_on or (None if state == State.SELECTED else offer.window_starts_on)
    placement = Placement(
        offer_id=offer.id,
        observer_id=observer.id,
        state=state,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=13) if starts_on else None,
        completed_at=ASKED if state == State.COMPLETED else None,
    )
    db.session.add(placement)
    db.session.flush()
    if days is not None:
        db.session.add(Assessment(placement_id=placement.id, stage=Stage.FINAL, days_present=days))
        db.session.add(Assessment(placement_id=placement.id, stage=Stage.MID, days_present=99))
    changes = [
        AdaptationChange(
            placement_id=placement.id,
            position=i,
            description=f"Change {i}",
            owner="Ward",
            target_on=date(2030, 9, 1),
        )
        for i in range(max(len(answers.get("at_3") or []), len(answers.get("at_6") or []), 1))
    ]
    db.session.add_all(changes)
    db.session.flush()
    for months in (3, 6):
        given = answers.get(f"at_{months}")
        follow_up = FollowUp(
            placement_id=placement.id,
            months=months,
            due_on=date(2030, 3 + months, 15),
            answered_at=ASKED if given is not None else None,
        )
        db.session.add(follow_up)
        db.session.flush()
        for change, status in zip(changes, given or [], strict=False):
            db.session.add(
                FollowUpAnswer(
                    follow_up_id=follow_up.id, change_id=change.id, status=ChangeStatus(status)
                )
            )
    db.session.flush()
    return placement


def small_world():
    """Two homes (A, B) and two hosts (H, G) in a programme, and another programme."""
    a, b = make_institution(name="A Home"), make_institution(name="B Home")
    h, g = make_institution(name="H Host"), make_institution(name="G Host")
    programme = make_programme([a, b, h, g], name="Exchange")
    other = make_programme([a, h], name="Other exchange")
    at_h = make_offer(programme, h, places=4)
    at_g = make_offer(programme, g, places=3, starts_on=date(2030, 6, 1))
    elsewhere = make_offer(other, h, places=5)
    people = {name: make_user(institution=a if name[0] == "a" else b) for name in
              ("a1", "a2", "a3", "a4", "b1", "b2", "b3")}  # fmt: skip
    make_placement(at_h, people["a1"], days=12, at_3=["done", "done", "in_progress"],
                   at_6=["done", "done", "done"])  # fmt: skip
    make_placement(at_h, people["a2"], days=10, at_3=["done", "dropped"])
    make_placement(at_h, people["b1"], State.ACCEPTED)
    make_placement(at_h, people["b2"], State.NOMINATED)
    make_placement(at_h, people["b3"], State.DECLINED)
    make_placement(at_g, people["a3"], State.SELECTED)
    make_placement(elsewhere, people["a4"], days=14, at_3=["done"])
    db.session.commit()
    return programme, other, (a, b, h, g)


COUNTS = PairFigures._fields[5:]


def _by_pair(rows) -> dict:
    """The rows (per start day) summed per (host, home)."""
    pairs = {}
    for row in rows:
        key = (row.host_name, row.home_name)
        if key in pairs:
            row = row._replace(**{n: getattr(row, n) + getattr(pairs[key], n) for n in COUNTS})
        pairs[key] = row
    return pairs


def test_the_figures_per_host_and_home_within_a_programme(app):
    programme, _other, _places = small_world()
    pairs = _by_pair(reporting.list_pair_figures(Window(programme_id=programme.id)))
    assert set(pairs) == {("H Host", "A Home"), ("H Host", "B Home"), ("G Host", "A Home")}
    at_h = pairs[("H Host", "A Home")]
    assert (at_h.filled, at_h.completed, at_h.observer_days) == (2, 2, 22)  # not the mid 99s
    assert (at_h.responded_3, at_h.answered_3, at_h.done_3) == (2, 5, 3)
    assert (at_h.responded_6, at_h.answered_6, at_h.done_6) == (1, 3, 3)
    b_at_h = pairs[("H Host", "B Home")]  # accepted counts as filled; nominated, declined not
    assert (b_at_h.filled, b_at_h.completed, b_at_h.observer_days, b_at_h.done_3) == (1, 0, 0, 0)
    assert pairs[("G Host", "A Home")].filled == 1  # selected, no start yet
    offers = {row.host_name: row for row in reporting.list_offer_figures(Window(programme.id))}
    assert {name: (row.offers, row.places) for name, row in offers.items()} == {
        "G Host": (1, 3),
        "H Host": (1, 4),
    }


def test_changes_count_only_completed_placements_with_an_answered_follow_up(app):
    programme, _other, (a, _b, h, _g) = small_world()
    offer = make_offer(programme, h, places=1, starts_on=date(2030, 9, 1))
    # Not completed (e.g. a status recorded early): its answers are not counted.
    make_placement(offer, make_user(institution=a), State.ACCEPTED, at_3=["done"], at_6=["done"])
    db.session.commit()
    pairs = _by_pair(reporting.list_pair_figures(Window(programme_id=programme.id)))
    figures = pairs[("H Host", "A Home")]
    assert (figures.filled, figures.done_3, figures.answered_3, figures.done_6) == (3, 3, 5, 3)


def test_the_months_and_the_institution_narrow_the_figures(app):
    programme, other, (a, b, h, g) = small_world()
    june_on = Window(programme.id, since=date(2030, 6, 1))
    assert set(_by_pair(reporting.list_pair_figures(june_on))) == {("G Host", "A Home")}
    assert [r.host_name for r in reporting.list_offer_figures(june_on)] == ["G Host"]
    until_may = Window(programme.id, before=date(2030, 6, 1))
    assert ("G Host", "A Home") not in _by_pair(reporting.list_pair_figures(until_may))
    # An institution: as a host (its observers) and as a home (its people), any programme.
    at_h = _by_pair(reporting.list_pair_figures(Window(institution_id=h.id)))
    assert at_h[("H Host", "A Home")].filled == 3  # the other programme's a4 too
    of_b = _by_pair(reporting.list_pair_figures(Window(institution_id=b.id)))
    assert set(of_b) == {("H Host", "B Home")}
    offers = reporting.list_offer_figures(Window(institution_id=h.id))
    assert {(r.programme_name, r.places) for r in offers} == {
        ("Exchange", 4),
        ("Other exchange", 5),
    }
    assert reporting.list_offer_figures(Window(institution_id=a.id)) == []


def test_one_reading_answers_every_narrower_window(app):
    programme, _other, (a, b, h, g) = small_world()
    everything = reporting.list_pair_figures(Window(programme.id))
    offers = reporting.list_offer_figures(Window(programme.id))
    assert {row.starts_on for row in everything} == {MARCH, date(2030, 6, 1)}  # per day
    for window in (
        Window(programme.id, since=date(2030, 6, 1)),
        Window(programme.id, before=date(2030, 6, 1)),
        Window(programme.id, institution_id=b.id),
        Window(programme.id, institution_id=g.id, since=MARCH, before=date(2030, 7, 1)),
        Window(programme.id, institution_id=a.id, since=date(2030, 7, 1)),
    ):
        assert reporting.within(everything, window) == reporting.list_pair_figures(window)
        assert reporting.within(offers, window) == reporting.list_offer_figures(window)


def test_an_observer_counts_at_their_home_now(app):
    programme, _other, (a, b, _h, _g) = small_world()
    moved = (
        db.session.scalars(db.select(Placement).where(Placement.state == State.ACCEPTED))
        .one()
        .observer
    )  # b1
    moved.institution_id = a.id
    db.session.commit()
    pairs = _by_pair(reporting.list_pair_figures(Window(programme.id)))
    assert ("H Host", "B Home") not in pairs
    assert pairs[("H Host", "A Home")].filled == 3


def test_one_query_each_whatever_the_number_of_placements(app):
    from tests.helpers import count_statements

    programme, _other, (a, _b, h, _g) = small_world()
    window = Window(programme.id)

    def both():
        reporting.list_pair_figures(window)
        reporting.list_offer_figures(window)

    before = count_statements(both)
    offer = make_offer(programme, h, places=20)
    for _n in range(12):
        make_placement(offer, make_user(institution=a), days=5, at_3=["done"], at_6=["dropped"])
    db.session.commit()
    assert count_statements(both) == before == 2
