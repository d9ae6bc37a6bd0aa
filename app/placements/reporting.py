"""The counts of observerships for the dashboards: read-only, aggregated in SQL, no names.

What is counted (the dashboards show these definitions too):

- **Offered**: places on the offers (the sum of ``PlacementOffer.places``). Offers are not
  about a person, so their figures are never suppressed.
- **Filled**: placements holding a place: selected, accepted or completed.
- **Completed**: placements in the state completed (the final assessment was made).
- **Observer-days**: the sum of the days present recorded by the final assessments of the
  completed placements.
- **Changes done at 3 (6) months**: among the adaptation-plan changes of completed
  placements whose 3- (6-) month follow-up was answered, how many were "done" — shown
  as "done of answered" (e.g. 4 of 7). ``responded_3`` / ``responded_6`` count the
  placements (people) behind those figures, which suppression needs.

Breakdowns are by **host institution** (the offer's host) and by **home institution**:
the observer's institution *now*, as the permission layer reads it (app/placements/
access.py: the coordinators of the observer's institution now see their people's
placements), so that a coordinator's figures cover exactly the placements they may see.
A placement stores no home of its own; an observer who moves takes their placements to
the new home's figures.

The period: an offer counts in the months its window starts; a placement in the month it
starts (before the host has set its start, its offer's window start).

One query for the placements and one for the offers, whatever the number of placements:
grouped by host, home and start day together, so that both breakdowns, and the views of
narrower windows the dashboards compare them with (``within``), are sums of their rows.
"""

from datetime import date
from typing import NamedTuple

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.extensions import db
from app.institutions.models import Institution, Programme
from app.placements.models import (
    Assessment,
    ChangeStatus,
    FollowUp,
    FollowUpAnswer,
    Placement,
    PlacementOffer,
    Stage,
    State,
)
from app.placements.queries import HOLDING_A_PLACE


class Window(NamedTuple):
    """Whose observerships: a programme's offers and/or one institution's (as the host or
    as the observers' home); from ``since`` (included) to ``before`` (excluded)."""

    programme_id: int | None = None
    institution_id: int | None = None
    since: date | None = None
    before: date | None = None


class PairFigures(NamedTuple):
    """The placements of one (host, home) pair of institutions starting on one day."""

    host_id: int
    host_name: str
    home_id: int | None  # None: an observer without an institution
    home_name: str | None
    starts_on: date
    filled: int
    completed: int
    observer_days: int
    responded_3: int  # completed placements whose 3-month follow-up is answered
    answered_3: int  # their changes answered
    done_3: int  # of which done
    responded_6: int
    answered_6: int
    done_6: int


class OfferFigures(NamedTuple):
    """The offers of one host institution in one programme whose window starts on a day."""

    host_id: int
    host_name: str
    programme_id: int
    programme_name: str
    starts_on: date
    offers: int
    places: int


def _in_window(day, window: Window) -> list:
    conditions = []
    if window.since is not None:
        conditions.append(day >= window.since)
    if window.before is not None:
        conditions.append(day < window.before)
    return conditions


def within(rows: list, window: Window) -> list:
    """The ``rows`` (of either kind) inside ``window``'s institution and days (its
    programme is the query's); so one query answers several windows."""
    here = window.institution_id
    return [
        row
        for row in rows
        if (here is None or here in (row.host_id, getattr(row, "home_id", None)))
        and (window.since is None or row.starts_on >= window.since)
        and (window.before is None or row.starts_on < window.before)
    ]


def _follow_up_figures():
    """Per placement: for its answered 3- and 6-month follow-ups, 1 if
    answered, the changes answered and those done."""
    answer = FollowUpAnswer.id.is_not(None)
    done = FollowUpAnswer.status == ChangeStatus.DONE
    columns = [FollowUp.placement_id.label("placement_id")]
    for months in (3, 6):
        at = FollowUp.months == months
        columns += [
            func.max(case((at, 1), else_=0)).label(f"responded_{months}"),
            func.sum(case((and_(at, answer), 1), else_=0)).label(f"answered_{months}"),
            func.sum(case((and_(at, done), 1), else_=0)).label(f"done_{months}"),
        ]
    return (
        select(*columns)
        .outerjoin(FollowUpAnswer, FollowUpAnswer.follow_up_id == FollowUp.id)
        .where(FollowUp.answered_at.is_not(None))
        .group_by(FollowUp.placement_id)
        .subquery()
    )


def list_pair_figures(window: Window) -> list[PairFigures]:
    """The figures of the placements holding a place in ``window``, per (host, home,
    start day)."""
    host, home = aliased(Institution), aliased(Institution)
    final = (
        select(Assessment.placement_id, Assessment.days_present)
        .where(Assessment.stage == Stage.FINAL)
        .subquery()
    )
    answers = _follow_up_figures()
    completed = Placement.state == State.COMPLETED
    starts_on = func.coalesce(Placement.starts_on, PlacementOffer.window_starts_on)

    def of_completed(column):
        return func.coalesce(func.sum(case((completed, column), else_=0)), 0)

    query = (
        select(
            host.id,
            host.name,
            home.id,
            home.name,
            starts_on,
            func.count(Placement.id),
            of_completed(1),
            of_completed(final.c.days_present),
            *(
                of_completed(getattr(answers.c, f"{name}_{m}"))
                for m in (3, 6)
                for name in ("responded", "answered", "done")
            ),
        )
        .select_from(Placement)
        .join(PlacementOffer, PlacementOffer.id == Placement.offer_id)
        .join(host, host.id == PlacementOffer.host_institution_id)
        .join(User, User.id == Placement.observer_id)
        .outerjoin(home, home.id == User.institution_id)
        .outerjoin(final, final.c.placement_id == Placement.id)
        .outerjoin(answers, answers.c.placement_id == Placement.id)
        .where(Placement.state.in_(HOLDING_A_PLACE))
        .where(*_in_window(starts_on, window))
        .group_by(host.id, host.name, home.id, home.name, starts_on)
        .order_by(host.name, home.name, starts_on)
    )
    if window.programme_id is not None:
        query = query.where(PlacementOffer.programme_id == window.programme_id)
    if window.institution_id is not None:
        query = query.where(
            or_(
                PlacementOffer.host_institution_id == window.institution_id,
                User.institution_id == window.institution_id,
            )
        )
    # int(): PostgreSQL sums integers as numerics (Decimals).
    return [PairFigures(*row[:5], *map(int, row[5:])) for row in db.session.execute(query)]


def list_offer_figures(window: Window) -> list[OfferFigures]:
    """Offers and their places in ``window``, per host institution, programme and the
    day their window starts."""
    query = (
        select(
            Institution.id,
            Institution.name,
            Programme.id,
            Programme.name,
            PlacementOffer.window_starts_on,
            func.count(PlacementOffer.id),
            func.coalesce(func.sum(PlacementOffer.places), 0),
        )
        .join(Institution, Institution.id == PlacementOffer.host_institution_id)
        .join(Programme, Programme.id == PlacementOffer.programme_id)
        .where(*_in_window(PlacementOffer.window_starts_on, window))
        .group_by(
            Institution.id,
            Institution.name,
            Programme.id,
            Programme.name,
            PlacementOffer.window_starts_on,
        )
        .order_by(Institution.name, Programme.name, PlacementOffer.window_starts_on)
    )
    if window.programme_id is not None:
        query = query.where(PlacementOffer.programme_id == window.programme_id)
    if window.institution_id is not None:
        query = query.where(PlacementOffer.host_institution_id == window.institution_id)
    return [OfferFigures(*row[:5], *map(int, row[5:])) for row in db.session.execute(query)]
