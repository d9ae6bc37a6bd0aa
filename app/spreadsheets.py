"""The one rule for text that goes into a spreadsheet (CSV or workbook), for every export.

A cell a spreadsheet would read as a formula (first character ``=``, ``+``, ``-``, ``@``,
tab or carriage return) gets an apostrophe in front, as OWASP advises against CSV
injection; plain numbers stay numbers. Workbook writers also type text cells as text."""

import re

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")  # a figure such as 12, -3 or +1.5: not a formula


def safe_text(text: str) -> str:
    """``text`` as it may go into a spreadsheet: inert (apostrophe first) if a spreadsheet
    would take it for a formula; a plain number is left as it is."""
    if text.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(text):
        return "'" + text
    return text
