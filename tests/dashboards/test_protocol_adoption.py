"""Protocol adoption on the dashboards: per protocol of the programme, how many
institutions adopted it and how many its latest version, which institution adopted which
version; an institution's adopted protocols; counts of institutions, never suppressed;
the same cells in the page, CSV, workbook and API."""

import csv
import io
from datetime import date

import openpyxl

from app.auth.models import Role
from app.dashboards import exports, report, tokens
from app.dashboards.queries import Scope
from app.extensions import db
from app.protocols.models import ProtocolAdoption
from tests.factories import make_institution, make_programme, make_user
from tests.helpers import text_of
from tests.protocols.factories_translation import make_protocol, make_version


def _world():
    a, b, c = (make_institution(name=f"{x} Hospital", default_locale="en") for x in "ABC")
    programme = make_programme([a, b, c], name="Beijing", target_trainees=10)
    protocol = make_protocol(programme=programme)
    first = make_version(protocol, title="Opioids in the last days")
    second = make_version(protocol, number=2, title="Opioids in the last days")
    make_protocol(programme=programme)  # nothing published yet: not listed
    for institution, version in ((a, first), (b, second)):
        db.session.add(
            ProtocolAdoption(
                protocol_id=protocol.id,
                institution_id=institution.id,
                version_id=version.id,
                adopted_on=date(2026, 3, 1),
            )
        )
    funder = make_user(roles=[(Role.FUNDER, programme)])
    db.session.commit()
    return programme, (a, b, c), funder


def _table(tables, key):
    return next(t for t in tables if t.key == key)


def test_the_programme_counts_institutions_adopting_and_on_the_latest(sample_course):
    programme, (a, _b, _c), _funder = _world()
    tables = report.programme_report(Scope(programme.id), "en")
    [row] = _table(tables, "protocols-adoption").rows
    assert (row.label, row.latest.shown, row.adopted.shown, row.on_latest.shown) == (
        "Opioids in the last days",
        2,
        2,
        1,
    )
    assert not row.adopted.hidden  # 2 institutions: not people, never hidden or rounded
    adopters = [
        (r.institution, r.version.shown, r.latest)
        for r in _table(tables, "protocols-adopters").rows
    ]
    assert adopters == [("A Hospital", 1, "a newer one exists"), ("B Hospital", 2, "latest")]
    narrowed = report.programme_report(Scope(programme.id, institution_id=a.id), "en")
    assert _table(narrowed, "protocols-adoption").rows[0].adopted.shown == 1


def test_an_institution_sees_what_it_adopted(sample_course):
    _programme, (a, _b, c), _funder = _world()
    tables = report.institution_report(Scope(None, institution_id=a.id, aggregate_only=False), "en")
    [row] = _table(tables, "protocols-adopted").rows
    assert (row.version.shown, row.latest.shown, row.adopted_on) == (1, 2, "2026-03-01")
    none = report.institution_report(Scope(None, institution_id=c.id, aggregate_only=False), "en")
    assert _table(none, "protocols-adopted").rows == []


def test_the_page_csv_workbook_and_api_carry_the_same_cells(sample_course, client, login):
    programme, _institutions, funder = _world()
    expected = exports.table_rows(
        _table(report.programme_report(Scope(programme.id), "en"), "protocols-adoption")
    )
    assert expected[1] == ["Opioids in the last days", "2", "2", "1"]
    _token, secret = tokens.create_token(funder, "Board")
    db.session.commit()
    body = client.get(
        f"/api/v1/programmes/{programme.id}/report?lang=en",
        headers={"Authorization": f"Bearer {secret}"},
    ).get_json()
    table = next(t for t in body["tables"] if t["key"] == "protocols-adoption")
    assert table["rows"][0][2] == {"value": 2, "suppressed": False, "rounded_to": 1}
    assert "Protocol adoption" in [d["term"] for d in body["definitions"]]
    login(funder)
    base = f"/dashboards/programmes/{programme.id}"
    html = text_of(client.get(f"{base}?lang=en"))
    section = html.split('id="protocols"', 1)[1]
    assert "Opioids in the last days" in section and "B Hospital" in section
    text = client.get(f"{base}/protocols-adoption.csv?lang=en").get_data(as_text=True)
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == expected
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{base}.xlsx?lang=en").data))
    sheet = [
        ["" if v is None else str(v) for v in r]
        for r in book["protocols-adoption"].iter_rows(values_only=True)
    ]
    assert sheet[: len(expected)] == expected
