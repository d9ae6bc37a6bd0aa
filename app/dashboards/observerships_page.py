"""The observership tables as their dashboard section shows them: the same cells as the
exports and the API, each change figure folded into one "done of answered" column."""

from typing import NamedTuple

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.dashboards.observerships import SECTION
from app.dashboards.tables import Table


class PageTable(NamedTuple):
    """A table as the page shows it: each change figure as "done of answered"."""

    key: str
    title: str
    definition: str
    columns: list
    rows: list
    total: list | None


RATIOS = {"done_3": ("answered_3", _l("Changes done at 3 months (of answered)")),
          "done_6": ("answered_6", _l("Changes done at 6 months (of answered)"))}  # fmt: skip


def page_tables(tables: list[Table]) -> list[PageTable]:
    """The observership tables among a dashboard's ``tables``, as the page shows them."""
    return [page_table(table) for table in tables if table.section == SECTION]


def page_table(table: Table) -> PageTable:
    """``table`` for the page: the same cells, the change counts paired as "4 of 7"."""
    fields = table.rows[0]._fields if table.rows else type(table.total)._fields
    shown = [n for n in fields if n not in {answered for answered, _h in RATIOS.values()}]
    columns = [RATIOS[n][1] if n in RATIOS else table.columns[fields.index(n)] for n in shown]

    def cells(row) -> list:
        return [_ratio(row, n) if n in RATIOS else getattr(row, n) for n in shown]

    return PageTable(
        table.key,
        table.title,
        table.definition,
        columns,
        [cells(row) for row in table.rows],
        cells(table.total) if table.total else None,
    )


def _ratio(row, name: str) -> str:
    done, answered = getattr(row, name), getattr(row, RATIOS[name][0])
    if done.hidden:
        return str(done)
    return _("%(done)s of %(answered)s", done=str(done), answered=str(answered))
