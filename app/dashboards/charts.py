"""Charts drawn on the server as SVG (no JavaScript; printable), always shown with their
data table. Presentation attributes and classes from app.css only: the CSP allows no
inline styles.

Each chart is drawn twice, for a wide and for a narrow screen (app.css shows one): an
SVG scales as a whole, so one drawing wide enough for three years of months would shrink
its labels to 5 px on a phone. The narrow drawing has fewer month labels and a larger
type relative to its width; both have the same title and description for screen readers.
"""

import math
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from markupsafe import Markup, escape


@dataclass(frozen=True)
class Layout:
    """One drawing's geometry, in its viewBox's units."""

    name: str
    width: int
    height: int
    left: int  # room for the y-axis labels
    right: int
    top: int  # room for the target's label
    bottom: int  # room for two lines of month labels
    font: int
    x_labels: int  # at most this many month labels
    y_ticks: int  # about this many steps up the y-axis


WIDE = Layout("wide", 640, 300, 56, 16, 30, 44, 12, 12, 5)
NARROW = Layout("narrow", 320, 280, 44, 10, 30, 44, 13, 4, 4)
LAYOUTS = (WIDE, NARROW)


def nice_step(top: float, steps: int) -> int:
    """A step of 1, 2 or 5 × a power of ten giving about ``steps`` steps up to ``top``."""
    raw = max(top, 1) / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    return max(1, int(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)))


def labelled_indices(n: int, most: int) -> set[int]:
    """Which of ``n`` months get a label: at most about ``most``, evenly spaced and
    counted back from the latest month, which is always labelled."""
    every = max(1, math.ceil(n / most))
    return {i for i in range(n) if (n - 1 - i) % every == 0}


def cumulative_against_target(months_table, target: int | None) -> Markup:
    """People finished, cumulative by month, as bars (under the target line, if any),
    with axes, values and the labelled target; a wide and a narrow drawing."""
    points = [(row.label, row.cumulative.shown or 0) for row in months_table.rows]  # as published
    if target:
        title = _("People finished, cumulative, against the target of %(n)d", n=target)
    else:
        title = _("People finished, cumulative")
    description = _describe(points, target)
    return Markup("").join(
        _drawing(layout, points, target, title, description) for layout in LAYOUTS
    )


def _describe(points: list[tuple[str, int]], target: int | None) -> str:
    """The chart in one sentence, for screen readers (the table has every figure)."""
    if not points:
        text = _("No one finished in these months.")
    else:
        text = _(
            "From %(first)s to %(last)s: %(n)s people had finished by the end.",
            first=_month_name(points[0][0]),
            last=_month_name(points[-1][0]),
            n=format_decimal(points[-1][1]),
        )
    if target:
        text += " " + _target_label(target) + "."
    return text


def _target_label(target: int) -> str:
    return _("Target: %(n)s", n=format_decimal(target))


def _month(label: str) -> date:
    return date(int(label[:4]), int(label[5:7]), 1)


def _month_name(label: str) -> str:
    return format_date(_month(label), "MMM y")


def _drawing(layout: Layout, points, target, title: str, description: str) -> Markup:
    title_id, desc_id = f"chart-title-{layout.name}", f"chart-desc-{layout.name}"
    highest = max([target or 0, *(value for _m, value in points)])
    step = nice_step(highest, layout.y_ticks)
    top = step * max(1, math.ceil(highest / step))
    plot = _Plot(layout, top, len(points))
    parts = [
        f'<svg viewBox="0 0 {layout.width} {layout.height}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" class="chart chart-{layout.name}" direction="ltr" '
        f'font-size="{layout.font}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
        *plot.y_axis(step),
        *plot.bars(points),
        *plot.x_axis(points),
    ]
    if target:
        parts += plot.target_line(target)
    if not points:
        parts.append(plot.note(_("No one finished in these months.")))
    parts.append("</svg>")
    return Markup("".join(parts))


class _Plot:
    """Coordinates within one drawing, and its parts as SVG text."""

    def __init__(self, layout: Layout, top: int, n: int):
        self.layout, self.top, self.n = layout, top, n
        # Room for the widest y-axis label ("1 000 000" in Russian), at about 0.62 em a digit.
        widest = len(format_decimal(top)) * layout.font * 0.62 + 10
        self.x0, self.x1 = max(layout.left, round(widest)), layout.width - layout.right
        self.y0, self.y1 = layout.height - layout.bottom, layout.top  # y0: the x-axis
        self.slot = (self.x1 - self.x0) / max(n, 1)
        self.labelled = labelled_indices(n, layout.x_labels)

    def y(self, value: float) -> float:
        return self.y0 - (self.y0 - self.y1) * value / self.top

    def y_axis(self, step: int) -> list[str]:
        """Grid lines with their values, and the axis."""
        parts = []
        for value in range(0, self.top + 1, step):
            y = self.y(value)
            parts.append(
                f'<line x1="{self.x0}" y1="{y:.1f}" x2="{self.x1}" y2="{y:.1f}" '
                'class="chart-grid" stroke="#c9d1dc"/>'
                f'<text x="{self.x0 - 6}" y="{y + 4:.1f}" text-anchor="end" '
                f'class="chart-label">{format_decimal(value)}</text>'
            )
        parts.append(
            f'<line x1="{self.x0}" y1="{self.y1}" x2="{self.x0}" y2="{self.y0}" '
            'class="chart-axis" stroke="#4a5468"/>'
        )
        return parts

    def bars(self, points) -> list[str]:
        """A bar per month, its value above it where the month is labelled (the latest
        always), and every value in the bar's tooltip."""
        parts = []
        for index, (month, value) in enumerate(points):
            x, bar_top = self.x0 + index * self.slot, self.y(value)
            parts.append(
                f'<rect x="{x + self.slot * 0.15:.1f}" y="{bar_top:.1f}" '
                f'width="{self.slot * 0.7:.1f}" height="{self.y0 - bar_top:.1f}" '
                f'class="chart-bar" fill="#0b5d5b"><title>{escape(_month_name(month))}: '
                f"{format_decimal(value)}</title></rect>"
            )
            if value and self._shows_value(index, format_decimal(value)):
                parts.append(self._value_label(x + self.slot / 2, bar_top, format_decimal(value)))
        return parts

    def _text_width(self, text: str) -> float:
        return len(text) * self.layout.font * 0.62  # about right for digits and commas

    def _shows_value(self, index: int, text: str) -> bool:
        """The latest value always; others where their month is labelled and the value
        fits over its bar (a wider one would run into the next, taller bar)."""
        fits = self._text_width(text) <= self.slot * 0.95
        return index == self.n - 1 or (index in self.labelled and fits)

    def _value_label(self, centre: float, bar_top: float, text: str) -> str:
        """A value above its bar, kept inside the drawing (the latest bar is at the edge)."""
        half = self._text_width(text) / 2
        x, anchor = centre, "middle"
        if centre + half > self.layout.width - 2:
            x, anchor = self.layout.width - 2, "end"
        return (
            f'<text x="{x:.1f}" y="{bar_top - 4:.1f}" text-anchor="{anchor}" '
            f'class="chart-value">{text}</text>'
        )

    def x_axis(self, points) -> list[str]:
        """The axis, and month labels in the viewer's language (the year under the first
        label and wherever it changes)."""
        parts = [
            f'<line x1="{self.x0}" y1="{self.y0}" x2="{self.x1}" y2="{self.y0}" '
            'class="chart-axis" stroke="#4a5468"/>'
        ]
        year = None
        for index, (month, _value) in enumerate(points):
            if index not in self.labelled:
                continue
            x, first_day = self.x0 + (index + 0.5) * self.slot, _month(month)
            line = self.layout.font + 2
            text = [f'<tspan x="{x:.1f}" dy="0">{escape(format_date(first_day, "MMM"))}</tspan>']
            if first_day.year != year:
                year = first_day.year
                text.append(f'<tspan x="{x:.1f}" dy="{line}">{year}</tspan>')
            parts.append(
                f'<text y="{self.y0 + line:.1f}" text-anchor="middle" class="chart-label">'
                + "".join(text)
                + "</text>"
            )
        return parts

    def target_line(self, target: int) -> list[str]:
        """The target as a dashed line, labelled above its start."""
        y = self.y(target)
        label = _target_label(target)
        return [
            f'<line x1="{self.x0}" y1="{y:.1f}" x2="{self.x1}" y2="{y:.1f}" '
            'class="chart-target" stroke="#a4161a" stroke-width="2" stroke-dasharray="6 4"/>',
            f'<text x="{self.x0 + 6}" y="{y - 6:.1f}" class="chart-target-label" '
            f'fill="#a4161a" font-weight="600">{escape(label)}</text>',
        ]

    def note(self, text: str) -> str:
        """A line across the empty plot."""
        x, y = (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2
        return (
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" class="chart-label">'
            f"{escape(text)}</text>"
        )
