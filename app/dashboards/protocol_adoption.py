"""Adoption of joint protocols on the dashboards: the protocols a programme published,
how many institutions adopted each and how many of them the latest version, and which
institution adopted which version; on an institution's dashboard, the protocols it
adopted and whether a newer version exists.

These count institutions, not people: an adoption is a public decision of an institution
(the protocol page lists it for every signed-in reader, with whom to ask), so no count
here can single out a person and none is suppressed or rounded, on any dashboard.
Adoptions are the current state (one per protocol and institution), so the month
filters do not apply; the institution filter narrows the adoptions counted; the
profession, course, cohort and language filters are about courses and do not apply.
"""

from typing import NamedTuple

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.dashboards.queries import Scope
from app.dashboards.suppression import Cell
from app.dashboards.tables import Table
from app.dashboards.tables import headings as _headings
from app.protocols.adoption_queries import list_adoption_figures

SECTION = "protocols"


class ProtocolRow(NamedTuple):
    label: str
    latest: Cell
    adopted: Cell
    on_latest: Cell


class AdopterRow(NamedTuple):
    label: str
    institution: str
    version: Cell
    latest: str


class AdoptedRow(NamedTuple):
    label: str
    version: Cell
    latest: Cell
    adopted_on: str


DEFINITION = _l(
    "Institutions that recorded adopting a published version of each protocol, and how "
    "many of them adopted its latest version. Institutions, not people: never hidden."
)
TERMS = (
    (
        _l("Protocol adoption"),
        _l(
            "The institutions that recorded which published version of a protocol they "
            "adopted (one adoption per protocol and institution, the one recorded last). "
            "These are counts of institutions, not of people, and are shown as they are. "
            "Adoptions are as they stand today: the month filters do not apply."
        ),
    ),
)


def programme_tables(scope: Scope) -> list[Table]:
    """The programme's protocols with their adoption counts, and each adoption."""
    rows = list_adoption_figures(scope.programme_id, scope.institution_id)
    protocols: dict[int, list] = {}
    for row in rows:
        protocols.setdefault(row.protocol_id, []).append(row)
    summary = []
    for group in protocols.values():
        adopters = [row for row in group if row.institution_id is not None]
        on_latest = [row for row in adopters if row.adopted_number == row.latest_number]
        summary.append(
            ProtocolRow(
                group[0].title,
                Cell(group[0].latest_number),
                Cell(len(adopters)),
                Cell(len(on_latest)),
            )
        )
    total = ProtocolRow(
        _l("Total"),
        "",
        Cell(sum(row.adopted.value for row in summary)),
        Cell(sum(row.on_latest.value for row in summary)),
    )
    adopters = [
        AdopterRow(
            row.title,
            row.institution_name,
            Cell(row.adopted_number),
            _("latest") if row.adopted_number == row.latest_number else _("a newer one exists"),
        )
        for row in rows
        if row.institution_id is not None
    ]
    return [
        Table(
            "protocols-adoption",
            _l("Protocols adopted, by protocol"),
            _headings(
                ProtocolRow,
                label=_l("Protocol"),
                latest=_l("Latest version"),
                adopted=_l("Institutions adopting"),
                on_latest=_l("On the latest version"),
            ),
            summary,
            total,
            DEFINITION,
            section=SECTION,
        ),
        Table(
            "protocols-adopters",
            _l("Which institution adopted which version"),
            _headings(
                AdopterRow,
                label=_l("Protocol"),
                institution=_l("Institution"),
                version=_l("Version adopted"),
                latest=_l("Latest?"),
            ),
            adopters,
            None,
            DEFINITION,
            section=SECTION,
        ),
    ]


def institution_tables(scope: Scope) -> list[Table]:
    """The protocols this institution adopted: the version, the latest, since when."""
    rows = list_adoption_figures(None, scope.institution_id)
    adopted = [
        AdoptedRow(
            row.title,
            Cell(row.adopted_number),
            Cell(row.latest_number),
            row.adopted_on.isoformat(),
        )
        for row in rows
    ]
    return [
        Table(
            "protocols-adopted",
            _l("Protocols adopted here"),
            _headings(
                AdoptedRow,
                label=_l("Protocol"),
                version=_l("Version adopted"),
                latest=_l("Latest version"),
                adopted_on=_l("Adopted on"),
            ),
            adopted,
            None,
            _l(
                "The protocols this institution adopted; where the two versions differ, "
                "a newer one exists."
            ),
            section=SECTION,
        )
    ]
