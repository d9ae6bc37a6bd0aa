"""Roster CSV files: every bad row reported with its number and reason; all or nothing."""

import pytest

from app.auth.models import Profession
from app.cohorts.roster_csv import read_roster

INSTITUTIONS = {"Almaty Regional Hospital", "Beijing University Hospital"}
HEADER = "email,name,profession,institution\n"


def read(text, app, encoding="utf-8"):
    with app.test_request_context():
        return read_roster(text.encode(encoding) if isinstance(text, str) else text, INSTITUTIONS)


def test_a_good_file(app):
    rows, problems = read(
        "\ufeff"
        + HEADER
        + "aigerim@example.org,Айгерим Нурлановна,nurse,Almaty Regional Hospital\n"
        + "li.wei@example.org,李伟,Doctor,Beijing University Hospital\n"
        + "\n"
        + 'sw@example.org,"Chen, Jing",social worker,\n',
        app,
    )
    assert problems == []
    assert [r.row for r in rows] == [2, 3, 5]
    assert rows[1].profession == Profession.DOCTOR and rows[2].name == "Chen, Jing"


def test_every_bad_row_is_reported_and_nothing_is_kept(app):
    rows, problems = read(
        HEADER
        + "not-an-email,Name,nurse,Almaty Regional Hospital\n"
        + "a@example.org,Name,surgeon,Almaty Regional Hospital\n"
        + "b@example.org,Name,nurse,Nowhere Hospital\n"
        + "c@example.org,Name,nurse,\n"
        + "C@example.org,Name,nurse,\n"
        + "d@example.org,,nurse,\n"
        + "e@example.org,only two\n",
        app,
    )
    assert rows == []
    found = {(p.row, p.message.split("“")[0].split(" ")[0]) for p in problems}
    messages = " | ".join(f"{p.row}: {p.message}" for p in problems)
    assert {p.row for p in problems} == {2, 3, 4, 6, 7, 8}, messages
    assert "not an e-mail address" in messages and "Unknown profession" in messages
    assert "Unknown institution" in messages and "same e-mail address as row 5" in messages
    assert "A name is needed" in messages and "Expected 4 columns" in messages
    assert found


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (HEADER.encode(), "only the header"),
        ("email,name,profession,institution\nа@example.org,Имя,nurse,\n".encode("cp1251"), "UTF-8"),
        (b"%PDF-1.7\x00\x01binary", "not a CSV file"),
        (b"name;email\nx;y\n", "must name the columns"),
    ],
)
def test_files_that_are_not_rosters(app, data, message):
    rows, problems = read(data, app)
    assert rows == [] and any(message in p.message for p in problems), problems


def test_the_sample_roster_is_read_as_it_is():
    from app.cohorts.roster_csv import COLUMNS, read_roster, sample_roster

    data = sample_roster("Beijing University Hospital")
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs
    assert data[3:].decode().splitlines()[0] == ",".join(COLUMNS)
    rows, problems = read_roster(data, {"Beijing University Hospital"})
    assert problems == [] and [r.name for r in rows] == ["张伟", "Anna Berg"]
    assert rows[1].institution == "Beijing University Hospital" and rows[0].institution == ""
