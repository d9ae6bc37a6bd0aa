"""Exports cannot carry spreadsheet formulas: a text cell that a spreadsheet would read
as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first) is neutralised with an apostrophe
in the CSV and written as a text cell in the workbook; numbers stay numbers."""

import csv
import io
from datetime import UTC, datetime

import openpyxl

from app.auth.models import Role
from app.conferences.models import ConferenceAttendance
from app.dashboards import exports
from app.dashboards.report import Table
from app.dashboards.suppression import Cell
from app.extensions import db
from tests.factories import make_institution, make_programme, make_user

EVIL = '=HYPERLINK("https://evil.example","x")'


def test_every_dangerous_first_character_is_neutralised():
    for text in (EVIL, "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert exports.safe_text(text) == "'" + text
    for text in ("Hub", "12", "<5", "", "a=b", "-3", "+1.5"):  # figures are not formulas
        assert exports.safe_text(text) == text
    table = Table("t", "T", ["Series", "n"], [[EVIL, Cell(7)], ["-A1", Cell(3, hidden=True)]])
    assert exports.table_rows(table)[1:] == [["'" + EVIL, "7"], ["'-A1", "<5"]]


def _series_titled(title):
    from app.conferences import services as conferences

    institution = make_institution(default_locale="en")
    programme = make_programme([institution], target_trainees=10)
    organiser = make_user(roles=[Role.TRAINER], institution=institution)
    details = conferences.SeriesDetails(
        title, "", ("programme", programme.id), "Asia/Almaty", datetime(2026, 1, 8, 15), 60,
        "FREQ=WEEKLY;COUNT=4", "https://meet.jit.si/x",
    )  # fmt: skip
    series = conferences.create_series(organiser, details)
    for person in [make_user(institution=institution) for _ in range(6)]:
        db.session.add(ConferenceAttendance(
            series_id=series.id, occurrence_start=datetime(2026, 1, 8, 10, tzinfo=UTC),
            user_id=person.id, present=True, minutes=60,
        ))  # fmt: skip
    db.session.commit()
    return programme


def test_a_formula_title_is_inert_in_the_csv_and_the_workbook(sample_course, client, login):
    programme = _series_titled(EVIL)
    login(make_user(roles=[(Role.FUNDER, programme)]))
    text = client.get(f"/dashboards/programmes/{programme.id}/conferences.csv?lang=en").get_data(
        as_text=True
    )
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1][0] == "'" + EVIL
    assert not any(cell[:1] in "=+-@\t\r" and cell for row in rows for cell in row)
    response = client.get(f"/dashboards/programmes/{programme.id}.xlsx?lang=en")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    title = book["conferences"]["A2"]
    assert title.data_type == "s" and title.value == "'" + EVIL
    assert book["conferences"]["B2"].data_type == "n"  # numbers stay numbers
