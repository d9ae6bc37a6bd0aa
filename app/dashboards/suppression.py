"""Small-count suppression: no figure may single out fewer than 5 people.

A count from 1 to 4 is shown as "fewer than 5". When a table shows a total, one hidden
cell could be recovered by subtracting the others from the total, so a second cell (the
smallest one still shown) is hidden too: complementary suppression, as statistical
offices do. Filters publish the same cells over narrower groups; a cell that differs from
its counterpart in the view with one filter fewer by 1 to 4 is hidden as well
(``revealed_by_difference``, applied in report.py).

Suppression alone does not survive differencing across the many views a funder can ask
for (consecutive months, neighbouring filters): so every count published to an
aggregate-only viewer is also rounded to the nearest multiple of 5 (totals rounded on
their own, from the exact total). Two published figures then never differ by 1 to 4,
and any difference between them is uncertain by up to ±4 people.
"""

from dataclasses import dataclass

THRESHOLD = 5
ROUNDING = 5  # aggregate-only viewers see counts to the nearest multiple of this


@dataclass(frozen=True)
class Cell:
    """A count: its exact ``value`` (never published to aggregate-only viewers as such),
    whether it is hidden (shown as "<limit"), and the base it is published rounded to."""

    value: int
    hidden: bool = False
    base: int = 1
    limit: int = THRESHOLD

    @property
    def shown(self) -> int | None:
        """The figure as published: None when hidden, else rounded to ``base``."""
        if self.hidden:
            return None
        return self.base * ((self.value + self.base // 2) // self.base)

    def __str__(self) -> str:
        return f"<{self.limit}" if self.hidden else str(self.shown)


def suppress(
    values: list[int], total: int | None = None, enabled: bool = True, forced=frozenset()
) -> tuple[list[Cell], Cell | None]:
    """The cells of one column (and its total) as they may be published (``enabled``
    False: as they are, for people who may see individuals anyway); the cells at the
    ``forced`` indices are hidden whatever their value. Published cells are rounded to
    ``ROUNDING``, the total on its own (from its exact value)."""
    if not enabled:
        return [Cell(v) for v in values], None if total is None else Cell(total)
    cells = [
        Cell(v, hidden=0 < v < THRESHOLD or i in forced, base=ROUNDING)
        for i, v in enumerate(values)
    ]
    total_cell = None if total is None else Cell(total, hidden=0 < total < THRESHOLD, base=ROUNDING)
    if total is not None and not total_cell.hidden:
        hidden = [i for i, cell in enumerate(cells) if cell.hidden]
        if len(hidden) == 1:  # the total would give it away: hide the next smallest too
            shown = [i for i, cell in enumerate(cells) if not cell.hidden and cell.value > 0]
            if shown:
                partner = min(shown, key=lambda i: cells[i].value)
                cells[partner] = Cell(cells[partner].value, hidden=True, base=ROUNDING)
            else:
                total_cell = Cell(total, hidden=True, base=ROUNDING)
    return cells, total_cell


def revealed_by_difference(here: dict, elsewhere: dict) -> set:
    """The keys of cells ``here`` that a published view ``elsewhere`` (the same cells
    over a wider group) would give away: subtracting one from the other leaves 1 to 4."""
    return {
        key
        for key, value in here.items()
        if key in elsewhere and 0 < elsewhere[key] - value < THRESHOLD
    }
