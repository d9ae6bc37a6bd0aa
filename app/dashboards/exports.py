"""Exports of dashboard tables: the same cells as the page, suppression included."""

import io

from openpyxl import Workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_rows(table) -> list[list[str]]:
    """The table as text rows: the header, the rows, the total (as the page shows them)."""
    rows = [[str(column) for column in table.columns]]
    rows += [[str(cell) for cell in row] for row in table.rows]
    if table.total:
        rows.append([str(cell) for cell in table.total])
    return rows


def workbook(tables, definitions=()) -> bytes:
    """An .xlsx with one sheet per table (numbers as numbers, "<5" as text), each sheet
    ending with the table's definition, and a last sheet of definitions."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(title=table.key[:31])
        for row in table_rows(table):
            sheet.append([_value(cell) for cell in row])
        sheet.append([])
        sheet.append([str(table.definition)])
    if definitions:
        sheet = book.create_sheet(title="definitions")
        for term, text in definitions:
            sheet.append([str(term), str(text)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _value(text: str):
    return int(text) if text.isdigit() else text
