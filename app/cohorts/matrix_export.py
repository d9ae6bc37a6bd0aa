"""The progress matrix as a spreadsheet (CSV or Excel): every learner the filters choose,
on one sheet, with each module's state in words.

Names, e-mail addresses and titles come from people, so every text cell goes through
the one spreadsheet rule (``app/spreadsheets.py``: a would-be formula gets an apostrophe
in front) and workbook cells are written as text."""

import csv
import io
import re

from flask_babel import gettext as _
from flask_babel import pgettext, to_user_timezone

from app.auth.models import PROFESSION_LABELS
from app.cohorts.matrix import DONE, IN_PROGRESS, NOT_STARTED, Matrix, Row
from app.spreadsheets import XLSX_TYPE, safe_text

__all__ = ["XLSX_TYPE", "as_csv", "as_xlsx", "matrix_table"]


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
    lines = [[safe_text(str(cell)) for cell in header]]
    for row in rows:
        score = row.latest_score
        line = [row.user.name, row.user.email, str(PROFESSION_LABELS[row.user.profession])]
        line += [_day(row.joined_at), statuses[row.status], _("yes") if row.inactive else ""]
        line += [words[cell] for cell in row.cells]
        line += [row.modules_done, _day(row.last_activity)]
        line += [round(score.percent, 1), score.quiz_title(locale)] if score else ["", ""]
        line += [round(row.gain, 1) if row.gain is not None else ""]
        lines.append([safe_text(c) if isinstance(c, str) else c for c in line])
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
