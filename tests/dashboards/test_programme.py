"""The programme dashboard: numbers against counts made here, suppression (including the
subtraction attack), the CSV equal to the page, and who may see it."""

import csv
import io
import re
from datetime import UTC

from app.auth.models import Profession, Role
from app.dashboards.suppression import suppress
from app.extensions import db
from tests.factories import make_completion, make_institution, make_programme, make_user
from tests.helpers import text_of


def test_small_counts_are_hidden_and_cannot_be_recovered_from_the_total():
    cells, total = suppress([12, 3, 9, 0], 24)  # published to the nearest 5
    assert [str(c) for c in cells] == ["10", "<5", "<5", "0"] and str(total) == "25"
    shown = sum(c.value for c in cells if not c.hidden)
    hidden = [c for c in cells if c.hidden]
    assert len(hidden) >= 2 and total.value - shown != hidden[0].value  # no single cell leaks
    cells, total = suppress([3], 3)
    assert str(cells[0]) == "<5" and str(total) == "<5"
    cells, total = suppress([7, 8], 15)
    assert [str(c) for c in cells] == ["5", "10"] and str(total) == "15"
    cells, _total = suppress([7, 8], 15, enabled=False)  # coordinators: exact
    assert [str(c) for c in cells] == ["7", "8"]


def _world(sample_course):
    big, small = (
        make_institution(country="CN", default_locale="en"),
        make_institution(country="SE", default_locale="en"),
    )
    programme = make_programme([big, small], target_trainees=50)
    people = [make_user(institution=big, profession=Profession.NURSE) for _ in range(8)]
    people += [make_user(institution=small, profession=Profession.DOCTOR) for _ in range(2)]
    for person in people[:6] + people[8:9]:
        make_completion(person.id, sample_course.id)
    db.session.commit()
    return programme, big, small


def _rows(html: str, section: str) -> list[list[str]]:
    part = html.split(f'id="{section}"', 1)[1].split("</table>", 1)[0]
    return [
        re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row)
        for row in re.findall(r"<tr>(.*?)</tr>", part)
    ]


def test_numbers_match_an_independent_count_and_small_ones_are_hidden(sample_course, client, login):
    programme, big, small = _world(sample_course)
    funder = make_user(roles=[(Role.FUNDER, programme)])
    login(funder)
    html = text_of(client.get(f"/dashboards/programmes/{programme.id}?lang=en"))
    # 6 at the big institution, 1 at the small: 7, published rounded to the nearest 5
    assert "5 of 50 trainees have finished" in html
    rows = {row[0]: row for row in _rows(html, "institutions")[1:]}
    # The small institution's 1 is hidden, and so is a partner cell: 7 - 6 would reveal it.
    assert rows[small.name][3] == "&lt;5" and rows[big.name][3] == "&lt;5"
    assert rows["Total"][3] == "5"
    csv_text = client.get(
        f"/dashboards/programmes/{programme.id}/institutions.csv?lang=en"
    ).get_data(as_text=True)
    exported = list(csv.reader(io.StringIO(csv_text.lstrip("\ufeff"))))
    assert [[cell.replace("<", "&lt;") for cell in row] for row in exported] == _rows(
        html, "institutions"
    )


def test_filters_live_in_the_url(sample_course, client, login):
    programme, big, _small = _world(sample_course)
    login(make_user(roles=[(Role.FUNDER, programme)]))
    html = text_of(
        client.get(
            f"/dashboards/programmes/{programme.id}?lang=en&institution={big.id}&profession=nurse"
        )
    )
    assert "5 of 50 trainees have finished" in html  # 6, rounded
    assert (
        client.get(f"/dashboards/programmes/{programme.id}?profession=astronaut").status_code == 400
    )


def test_only_the_programmes_funders_and_admins_see_it(sample_course, client, login):
    programme, big, _small = _world(sample_course)
    other = make_programme()
    login(make_user(roles=[(Role.FUNDER, other)]))
    assert client.get(f"/dashboards/programmes/{programme.id}").status_code == 404
    assert client.get(f"/dashboards/programmes/{programme.id}/institutions.csv").status_code == 404
    client.post(
        "/logout",
        data={
            "csrf_token": re.search(
                r'name="csrf_token" value="([^"]+)"', text_of(client.get("/"))
            ).group(1)
        },
    )
    login(make_user(institution=big))
    assert client.get(f"/dashboards/programmes/{programme.id}").status_code == 403


def test_the_excel_workbook_equals_the_page(sample_course, client, login):
    import openpyxl

    programme, _big, _small = _world(sample_course)
    login(make_user(roles=[(Role.FUNDER, programme)]))
    html = text_of(client.get(f"/dashboards/programmes/{programme.id}?lang=en"))
    response = client.get(f"/dashboards/programmes/{programme.id}.xlsx?lang=en")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = book["institutions"]
    cells = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    page = [[cell.replace("&lt;", "<") for cell in row] for row in _rows(html, "institutions")]
    assert cells[: len(page)] == page


def test_conference_figures_count_sessions_and_people(sample_course, client, login):
    from datetime import datetime

    from app.conferences import services as conferences
    from app.conferences.models import ConferenceAttendance

    programme, big, _small = _world(sample_course)
    organiser = make_user(roles=[Role.TRAINER], institution=big)
    details = conferences.SeriesDetails(
        "Hub", "", ("programme", programme.id), "Asia/Almaty", datetime(2026, 1, 8, 15), 60,
        "FREQ=WEEKLY;COUNT=4", "https://meet.jit.si/x",
    )  # fmt: skip
    series = conferences.create_series(organiser, details)
    people = [make_user(institution=big) for _ in range(6)]
    for week in (8, 15):
        for person in people:
            db.session.add(ConferenceAttendance(
                series_id=series.id, occurrence_start=datetime(2026, 1, week, 10, tzinfo=UTC),
                user_id=person.id, present=True, minutes=60,
            ))  # fmt: skip
    db.session.commit()
    login(make_user(roles=[(Role.FUNDER, programme)]))
    html = text_of(client.get(f"/dashboards/programmes/{programme.id}?lang=en"))
    assert _rows(html, "conferences")[1] == ["Hub", "2", "10", "5"]  # 12 and 6, rounded


def test_a_filtered_view_cannot_be_subtracted_from_the_unfiltered_one(sample_course, client, login):
    """Unfiltered, the big institution shows 9 finished; doctors only, 6. Shown both, the
    difference would single out 3 nurses: the filtered cell is hidden, and so is a
    partner, since the filtered total would give it away."""
    big, small = make_institution(default_locale="en"), make_institution(default_locale="en")
    programme = make_programme([big, small], target_trainees=50)
    people = [make_user(institution=big, profession=Profession.DOCTOR) for _ in range(6)]
    people += [make_user(institution=big, profession=Profession.NURSE) for _ in range(3)]
    people += [make_user(institution=small, profession=Profession.DOCTOR) for _ in range(7)]
    people += [make_user(institution=small, profession=Profession.NURSE) for _ in range(5)]
    for person in people:
        make_completion(person.id, sample_course.id)
    db.session.commit()
    login(make_user(roles=[(Role.FUNDER, programme)]))
    url = f"/dashboards/programmes/{programme.id}?lang=en"
    whole = {row[0]: row for row in _rows(text_of(client.get(url)), "institutions")[1:]}
    # 9, 12 and 21, published to the nearest 5
    assert (whole[big.name][3], whole[small.name][3], whole["Total"][3]) == ("10", "10", "20")
    doctors = {
        row[0]: row
        for row in _rows(text_of(client.get(f"{url}&profession=doctor")), "institutions")[1:]
    }
    assert doctors[big.name][3] == "&lt;5"  # 6 shown beside 9 would reveal 3 nurses
    assert doctors[small.name][3] == "&lt;5"  # else 13 - 7 would reveal the 6
    assert doctors["Total"][3] == "15"  # 13, rounded: 21 - 13 = 8 people, no small group
    csv_text = client.get(
        f"/dashboards/programmes/{programme.id}/institutions.csv?lang=en&profession=doctor"
    ).get_data(as_text=True)
    assert "<5" in csv_text and ",6" not in csv_text
