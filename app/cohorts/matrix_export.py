"""The progress matrix as a spreadsheet (CSV or Excel): every learner the filters choose,
on one sheet, with each module's state in words.

Names, e-mail addresses and titles come from people, so every text cell goes through
``spreadsheet_text``: a cell a spreadsheet would take for a formula gets an apostrophe in
front (OWASP's advice against CSV injection) and workbook cells are written as text. It is
the rule of ``app.dashboards.exports.safe_text``, which this package may not import (the
dashboards sit above it); a test keeps the two equal."""

import csv
import io
import re

from flask_babel import gettext as _
from flask_babel import pgettext, to_user_timezone

from app.auth.models import PROFESSION_LABELS
from app.cohorts.matrix import DONE, IN_PROGRESS, NOT_STARTED, Matrix, Row

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")  # a figure such as 12, -3 or +1.5: not a formula


def spreadsheet_text(text: str) -> str:
    """``text`` as it may go into a spreadsheet: inert (apostrophe first) if a spreadsheet
    would take it for a formula; a plain number is left as it is."""
    if text.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(text):
        return "'" + text
    return text


def matrix_table(matrix: Matrix, rows: list[Row], locale: str) -> list[list]:
    """The header and one line per learner: text cells made safe, figures as numbers
    (a score in percent, a gain in points), dates as ISO dates in the viewer's zone."""
    words = {NOT_STARTED: _("not started"), IN_PROGRESS: _("started"), DONE: _("done")}
    statuses = {
        "not_started": _("Not started"),
        "in_progress": _("In progress"),
        "completed": _("Completed"),
    }
    header = [pgettext("person", "Name"), _("E-mail"), _("Profession"), _("Joined"), _("Status")]
    header += [_("Inactive")]
    header += [f"{c.course.title(locale)}: {c.module.title(locale)}" for c in matrix.columns]
    header += [_("Modules done"), _("Last activity"), _("Latest score (%)"), _("Latest quiz")]
    header += [_("Pre/post gain")]
    lines = [[spreadsheet_text(str(cell)) for cell in header]]
    for row in rows:
        score = row.latest_score
        line = [row.user.name, row.user.email, str(PROFESSION_LABELS[row.user.profession])]
        line += [_day(row.joined_at), statuses[row.status], _("yes") if row.inactive else ""]
        line += [words[cell] for cell in row.cells]
        line += [row.modules_done, _day(row.last_activity)]
        line += [round(score.percent, 1), score.quiz_title(locale)] if score else ["", ""]
        line += [round(row.gain, 1) if row.gain is not None else ""]
        lines.append([spreadsheet_text(c) if isinstance(c, str) else c for c in line])
    return lines


def _day(moment) -> str:
    return to_user_timezone(moment).date().isoformat() if moment else ""


def as_csv(table: list[list]) -> str:
    """The table as CSV, with the byte-order mark Excel needs to read UTF-8."""
    out = io.StringIO()
    csv.writer(out).writerows(table)
    return "\ufeff" + out.getvalue()


def as_xlsx(table: list[list], title: str) -> bytes:
    """The table as a one-sheet workbook: text cells typed as text, never formulas."""
    # Imported where used: openpyxl is ~8 MiB that only the XLSX exports need; imported at
    # start-up it sat in every server's memory (issue 21).
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=re.sub(r"[][:*?/\\]", " ", title)[:31] or "1")
    for line in table:
        sheet.append([_cell(sheet, value, WriteOnlyCell) for value in line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(sheet, value, cell_class):
    if not isinstance(value, str):
        return value
    cell = cell_class(sheet, value=value)
    cell.data_type = "s"  # whatever it says, a text cell (openpyxl reads "=…" as a formula)
    return cell
