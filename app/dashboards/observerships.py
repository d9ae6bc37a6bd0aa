"""Observerships on the dashboards: placements offered, filled, completed, observer-days
and adaptation-plan changes done at 3 and 6 months, by host and by home institution.

The counting (and what each figure means) is app/placements/reporting.py: one query for
the placements and one for the offers. Here the counts become tables, published as every
other aggregate is (app/dashboards/suppression.py):

- Offered places are about offers, not people: always shown as they are.
- Filled and completed placements count people: on aggregate-only views (programmes)
  a count of 1 to 4 is hidden, a second cell where the total would reveal it, every
  count rounded to 5; with a filter, a cell that differs by 1 to 4 from the same cell
  in the view with one filter fewer is hidden as well.
- Observer-days are the completed placements' days: hidden wherever the completed count
  of the same row is (so the days of fewer than 5 people are never shown), rounded to 5;
  hidden, they show as a dash (``Companion``): "<5" would misstate them.
- Changes done/answered at 3 (6) months come from the people whose follow-up was
  answered: hidden wherever fewer than 5 of them answered (with the same complementary
  and differencing rules on that count, which is not published itself), rounded to 5.

Coordinators (institution dashboards) see exact counts: they may see each of these
placements anyway (as the host's coordinators or the observers' home coordinators).

Filters: the observership figures follow the institution filter (placements where it is
the host or the observer's home; offers where it is the host) and the months (offers by
the start of their window, placements by their start); the profession, course, cohort and
language filters are about courses and do not apply to them.
"""

from dataclasses import dataclass, field, replace
from typing import NamedTuple

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.dashboards.queries import Scope, month_start
from app.dashboards.suppression import ROUNDING, THRESHOLD, Cell, suppress
from app.dashboards.tables import Table
from app.dashboards.tables import headings as _headings
from app.placements import reporting

SECTION = "observerships"
NARROWING = ("institution_id", "since", "until")  # the filters the figures follow
PEOPLE = ("filled", "completed", "responded_3", "responded_6")  # counts of people
FOLLOWING = {  # published cell → the count of people it follows
    "observer_days": "completed",
    "done_3": "responded_3",
    "answered_3": "responded_3",
    "done_6": "responded_6",
    "answered_6": "responded_6",
}
TOTAL = "__total__"


class HostRow(NamedTuple):
    label: str
    offered: Cell
    filled: Cell
    completed: Cell
    observer_days: Cell
    done_3: Cell
    answered_3: Cell
    done_6: Cell
    answered_6: Cell


class PeopleRow(NamedTuple):
    label: str
    filled: Cell
    completed: Cell
    observer_days: Cell
    done_3: Cell
    answered_3: Cell
    done_6: Cell
    answered_6: Cell


class OfferRow(NamedTuple):
    label: str
    offers: Cell
    places: Cell


HEADINGS = {
    "offered": _l("Places offered"),
    "filled": _l("Filled"),
    "completed": _l("Completed"),
    "observer_days": _l("Observer-days"),
    "done_3": _l("Changes done at 3 months"),
    "answered_3": _l("Changes answered at 3 months"),
    "done_6": _l("Changes done at 6 months"),
    "answered_6": _l("Changes answered at 6 months"),
}
DEFINITION = _l(
    "Filled: placements selected, accepted or completed. Observer-days: days present "
    "recorded by the final assessments of completed placements. Changes: of the "
    "adaptation-plan changes of completed placements whose follow-up was answered, "
    "how many were done."
)
TERMS = (
    (
        _l("Observerships"),
        _l(
            "Places offered: the places on the placement offers (not about people, never "
            "hidden). Filled: placements selected, accepted or completed. Completed: "
            "placements completed with the final assessment. Observer-days: the days "
            "present recorded by the final assessments of completed placements. Changes "
            "done at 3 (6) months: of the adaptation-plan changes of completed placements "
            "whose 3- (6-) month follow-up was answered, how many were done (done of "
            "answered); on programme dashboards they are shown only where at least 5 "
            "observers answered. Home institution: the observer's institution now. An "
            "offer counts in the months its window starts, a placement in the month it "
            "starts; the profession, course, cohort and language filters do not apply."
        ),
    ),
)


@dataclass(frozen=True)
class Companion(Cell):
    """A figure that is not a count of people (days, changes), hidden with the count of
    people it comes from: shown as a dash when hidden, since "<5" would misstate it."""

    def __str__(self) -> str:
        return "—" if self.hidden else str(self.shown)


@dataclass
class Group:
    """One row's exact figures: an institution (``key`` its id, None for "no institution")."""

    key: object
    label: str
    counts: dict = field(default_factory=dict)

    def add(self, **counts) -> None:
        for name, value in counts.items():
            self.counts[name] = self.counts.get(name, 0) + (value or 0)


def _window(scope: Scope) -> reporting.Window:
    return reporting.Window(
        programme_id=scope.programme_id,
        institution_id=scope.institution_id,
        since=month_start(scope.since).date() if scope.since else None,
        before=month_start(scope.until, after=True).date() if scope.until else None,
    )


COUNTS = (
    "filled", "completed", "observer_days", "responded_3", "answered_3", "done_3",
    "responded_6", "answered_6", "done_6",
)  # fmt: skip


def _grouped(pairs, by: str, groups: dict | None = None) -> list[Group]:
    """The (host, home) figures summed per host or per home, by name."""
    groups = {} if groups is None else groups
    for pair in pairs:
        key = getattr(pair, f"{by}_id")
        label = getattr(pair, f"{by}_name") or _("No institution")
        groups.setdefault(key, Group(key, label)).add(**{n: getattr(pair, n) for n in COUNTS})
    return sorted(groups.values(), key=lambda group: (group.label, str(group.key)))


class ProgrammeRows(NamedTuple):
    """A programme's offers and placements over all its days and institutions (read
    once: every window of the programme is a part of them)."""

    offers: list
    pairs: list


def _programme_rows(scope: Scope) -> ProgrammeRows:
    everything = reporting.Window(programme_id=scope.programme_id)
    return ProgrammeRows(
        reporting.list_offer_figures(everything), reporting.list_pair_figures(everything)
    )


def _programme_groups(rows: ProgrammeRows, scope: Scope) -> dict[str, list[Group]]:
    """The exact rows of the programme's two tables (hosts with their offered places)
    within ``scope``'s window."""
    window = _window(scope)
    hosts = {}
    for offer in reporting.within(rows.offers, window):
        hosts.setdefault(offer.host_id, Group(offer.host_id, offer.host_name))
        hosts[offer.host_id].add(offered=offer.places)
    pairs = reporting.within(rows.pairs, window)
    return {
        "observerships-hosts": _grouped(pairs, "host", hosts),
        "observerships-homes": _grouped(pairs, "home"),
    }


def programme_tables(scope: Scope) -> list[Table]:
    """The programme dashboard's observership tables, by host and by home institution
    (two queries, whatever the filters: the views compared are parts of the same rows)."""
    rows = _programme_rows(scope)
    groups = _programme_groups(rows, scope)
    forced = _revealed(rows, scope, groups) if scope.aggregate_only else {}
    hosts, homes = groups["observerships-hosts"], groups["observerships-homes"]
    return [
        _table(
            "observerships-hosts",
            _l("Observerships by host institution"),
            _l("Host institution"),
            HostRow,
            hosts,
            scope.aggregate_only,
            forced,
        ),
        _table(
            "observerships-homes",
            _l("Observerships by home institution"),
            _l("Home institution (the observer's, now)"),
            PeopleRow,
            homes,
            scope.aggregate_only,
            forced,
        ),
    ]


def institution_tables(scope: Scope) -> list[Table]:
    """An institution's observership tables: its offers per programme, the observers it
    hosts by their home institution, and its own people's placements by host."""
    window = _window(scope)
    pairs = reporting.list_pair_figures(window)
    offers = [
        OfferRow(offer.programme_name, Cell(offer.offers), Cell(offer.places))
        for offer in reporting.list_offer_figures(window)
    ]
    here = scope.institution_id
    total = OfferRow(
        _l("Total"),
        Cell(sum(row.offers.value for row in offers)),
        Cell(sum(row.places.value for row in offers)),
    )
    hide = scope.aggregate_only
    return [
        Table(
            "observerships-offers",
            _l("Placements offered here"),
            _headings(OfferRow, label=_l("Programme"), offers=_l("Offers"), places=_l("Places")),
            offers,
            total,
            _l("The offers this institution hosts, by programme, and their places."),
            section=SECTION,
        ),
        _table(
            "observerships-hosted",
            _l("Observers hosted here, by home institution"),
            _l("Home institution (the observer's, now)"),
            PeopleRow,
            _grouped([p for p in pairs if p.host_id == here], "home"),
            hide,
            {},
        ),
        _table(
            "observerships-sent",
            _l("Our people's observerships, by host institution"),
            _l("Host institution"),
            PeopleRow,
            _grouped([p for p in pairs if p.home_id == here], "host"),
            hide,
            {},
        ),
    ]


def _table(key, title, label, row_type, groups, hide: bool, forced: dict) -> Table:
    """A table of ``groups`` as it may be published (``hide``: to aggregate-only viewers)."""
    published = {}
    for name in PEOPLE:
        values = [group.counts.get(name, 0) for group in groups]
        hidden = forced.get((key, name), set())
        rows_hidden = {i for i, group in enumerate(groups) if group.key in hidden}
        published[name] = _people(values, hide, rows_hidden, TOTAL in hidden)
    for name, leader in FOLLOWING.items():
        values = [group.counts.get(name, 0) for group in groups]
        published[name] = _following(values, *published[leader], hide)
    if "offered" in row_type._fields:
        values = [group.counts.get("offered", 0) for group in groups]
        published["offered"] = ([Cell(v) for v in values], Cell(sum(values)))
    names = [name for name in row_type._fields if name != "label"]
    rows = [
        row_type(group.label, *(published[name][0][i] for name in names))
        for i, group in enumerate(groups)
    ]
    total = row_type(_l("Total"), *(published[name][1] for name in names))
    headings = {name: HEADINGS[name] for name in names} | {"label": label}
    return Table(
        key, title, _headings(row_type, **headings), rows, total, DEFINITION, section=SECTION
    )


def _people(values: list[int], hide: bool, forced: set, total_forced: bool):
    """A column of counts of people, suppressed as every such column is."""
    if not hide:
        return [Cell(v) for v in values], Cell(sum(values))
    if total_forced:  # the total would give a hidden difference away: hide the column
        cells = [Cell(v, hidden=v > 0, base=ROUNDING) for v in values]
        return cells, Cell(sum(values), hidden=True, base=ROUNDING)
    return suppress(values, sum(values), True, forced=forced)


def _following(values: list[int], leaders: list[Cell], leader_total: Cell, hide: bool):
    """A column hidden wherever the count of people behind it (``leaders``) is."""
    base = ROUNDING if hide else 1
    cells = [
        Companion(v, hidden=leader.hidden, base=base)
        for v, leader in zip(values, leaders, strict=True)
    ]
    return cells, Companion(sum(values), hidden=leader_total.hidden, base=base)


def _revealed(rows: ProgrammeRows, scope: Scope, groups: dict[str, list[Group]]) -> dict:
    """(table, count) → the row keys (and TOTAL) whose count differs by 1 to 4 from the
    same count in a view with one filter fewer: subtracting would reveal those people."""
    forced = {}
    for name in NARROWING:
        if getattr(scope, name) is None:
            continue
        wider = _programme_groups(rows, replace(scope, **{name: None}))
        for key, table_groups in groups.items():
            for count in PEOPLE:
                there = _values(wider[key], count)
                for row_key, value in _values(table_groups, count).items():
                    if row_key in there and 0 < there[row_key] - value < THRESHOLD:
                        forced.setdefault((key, count), set()).add(row_key)
    return forced


def _values(groups: list[Group], count: str) -> dict:
    values = {group.key: group.counts.get(count, 0) for group in groups}
    values[TOTAL] = sum(values.values())
    return values
