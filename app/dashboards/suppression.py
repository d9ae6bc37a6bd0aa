"""Small-count suppression: no figure may single out fewer than 5 people.

A count from 1 to 4 is shown as "fewer than 5". When a table shows a total, one hidden
cell could be recovered by subtracting the others from the total, so a second cell (the
smallest one still shown) is hidden too: complementary suppression, as statistical
offices do. Filters publish the same cells over narrower groups; a cell that differs from
its counterpart in the view with one filter fewer by 1 to 4 is hidden as well
(``revealed_by_difference``, applied in report.py).
"""

from dataclasses import dataclass

THRESHOLD = 5


@dataclass(frozen=True)
class Cell:
    """A count as published: its value, or hidden."""

    value: int
    hidden: bool = False

    def __str__(self) -> str:
        return "<5" if self.hidden else str(self.value)


def suppress(
    values: list[int], total: int | None = None, enabled: bool = True, forced=frozenset()
) -> tuple[list[Cell], Cell | None]:
    """The cells of one column (and its total) as they may be published (``enabled``
    False: as they are, for people who may see individuals anyway); the cells at the
    ``forced`` indices are hidden whatever their value."""
    if not enabled:
        return [Cell(v) for v in values], None if total is None else Cell(total)
    cells = [Cell(v, hidden=0 < v < THRESHOLD or i in forced) for i, v in enumerate(values)]
    total_cell = None if total is None else Cell(total, hidden=0 < total < THRESHOLD)
    if total is not None and not total_cell.hidden:
        hidden = [i for i, cell in enumerate(cells) if cell.hidden]
        if len(hidden) == 1:  # the total would give it away: hide the next smallest too
            shown = [i for i, cell in enumerate(cells) if not cell.hidden and cell.value > 0]
            if shown:
                partner = min(shown, key=lambda i: cells[i].value)
                cells[partner] = Cell(cells[partner].value, hidden=True)
            else:
                total_cell = Cell(total, hidden=True)
    return cells, total_cell


def revealed_by_difference(here: dict, elsewhere: dict) -> set:
    """The keys of cells ``here`` that a published view ``elsewhere`` (the same cells
    over a wider group) would give away: subtracting one from the other leaves 1 to 4."""
    return {
        key
        for key, value in here.items()
        if key in elsewhere and 0 < elsewhere[key] - value < THRESHOLD
    }
