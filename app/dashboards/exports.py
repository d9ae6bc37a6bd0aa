"""Exports of dashboard tables: the same cells as the page, suppression included.

Every text cell goes through ``safe_text`` (``app/spreadsheets.py``, CSV and workbook
alike), and workbook cells are written as text cells; plain numbers stay numbers."""

import io

from app.spreadsheets import XLSX_TYPE, safe_text

__all__ = ["XLSX_TYPE", "safe_text", "table_rows", "workbook"]


def table_rows(table) -> list[list[str]]:
    """The table as text rows: the header, the rows, the total (as the page shows them),
    every cell made safe for a spreadsheet."""
    rows = [[str(column) for column in table.columns]]
    rows += [[str(cell) for cell in row] for row in table.rows]
    if table.total:
        rows.append([str(cell) for cell in table.total])
    return [[safe_text(cell) for cell in row] for row in rows]


def workbook(tables, definitions=()) -> bytes:
    """An .xlsx with one sheet per table (numbers as numbers, "<5" and names as text
    cells, never formulas), each sheet ending with the table's definition, and a last
    sheet of definitions."""
    from openpyxl import Workbook  # imported where used: ~8 MiB only exports need

    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(title=table.key[:31])
        for row in table_rows(table):
            _append(sheet, [_value(cell) for cell in row])
        sheet.append([])
        _append(sheet, [safe_text(str(table.definition))])
    if definitions:
        sheet = book.create_sheet(title="definitions")
        for term, text in definitions:
            _append(sheet, [safe_text(str(term)), safe_text(str(text))])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _append(sheet, values) -> None:
    """A row of the sheet; its text cells are text (data type "s"), whatever they say."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def _value(text: str):
    """A safe text cell as the workbook stores it: a whole number as a number."""
    return int(text) if text.isdigit() else text
