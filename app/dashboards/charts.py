"""Charts drawn on the server as SVG (no JavaScript; printable), always shown with their
data table. Presentation attributes only: the CSP allows no inline styles."""

from flask_babel import gettext as _
from markupsafe import Markup, escape

WIDTH, HEIGHT, PAD = 640, 240, 40


def cumulative_against_target(months_table, target: int | None) -> Markup:
    """People finished, cumulative by month, as bars (under the target line, if any)."""
    points = [(row.label, row.cumulative.shown) for row in months_table.rows]  # as published
    top = max([target or 0, *(value for _m, value in points)]) or 1
    step = (WIDTH - 2 * PAD) / max(len(points), 1)

    def y(value: float) -> float:
        return HEIGHT - PAD - (HEIGHT - 2 * PAD) * value / top

    if target:
        title = _("People finished, cumulative, against the target of %(n)d", n=target)
    else:
        title = _("People finished, cumulative")
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title" '
        'class="chart" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        'stroke="#555"/>',
    ]
    for index, (month, value) in enumerate(points):
        x, bar_top = PAD + index * step, y(value)
        parts.append(
            f'<rect x="{x + step * 0.15:.1f}" y="{bar_top:.1f}" width="{step * 0.7:.1f}" '
            f'height="{HEIGHT - PAD - bar_top:.1f}" fill="#2f6f8f">'
            f"<title>{escape(month)}: {value}</title></rect>"
        )
        if len(points) <= 12 or index % max(len(points) // 12, 1) == 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{HEIGHT - PAD + 14}" font-size="10" '
                f'text-anchor="middle">{escape(month)}</text>'
            )
    if target:
        target_y = y(target)
        label = _("Target: %(n)d", n=target)  # not inside the f-string: pybabel misses those
        parts += [
            f'<line x1="{PAD}" y1="{target_y:.1f}" x2="{WIDTH - PAD}" y2="{target_y:.1f}" '
            'stroke="#b03a2e" stroke-dasharray="6 4"/>',
            f'<text x="{WIDTH - PAD}" y="{target_y - 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#b03a2e">{escape(label)}</text>',
        ]
    parts.append("</svg>")
    return Markup("".join(parts))
