"""Observerships on the dashboards: the programme's figures suppressed as every aggregate
is (small cells, complementary, differences between views), the institution's exact for
its coordinators, the same cells in the page, CSV, workbook and API, no names, and a
number of queries that does not grow with the placements."""

import csv
import io
from datetime import date

import openpyxl

from app.auth.models import Role
from app.dashboards import exports, observerships, observerships_page, report, tokens
from app.dashboards.queries import Scope
from app.extensions import db
from app.placements.models import State
from tests.factories import make_institution, make_programme, make_user
from tests.helpers import count_statements, text_of
from tests.placements.test_reporting import make_offer, make_placement


class World:
    pass


def _world() -> World:
    """A host (H) with 20 places; completed observers from A (7, 6 of them answered at 3
    months), B (2, 1 answered) and C (6, 5 answered); each with 10 days present and two
    changes answered at 3 months: one done, one in progress."""
    w = World()
    w.a, w.b, w.c = (make_institution(name=f"{x} Home", default_locale="en") for x in "ABC")
    w.h = make_institution(name="H Host", default_locale="en")
    w.programme = make_programme([w.a, w.b, w.c, w.h], name="Exchange", target_trainees=10)
    w.offer = make_offer(w.programme, w.h, places=20)
    w.placements = []
    for home, people, answered in ((w.a, 7, 6), (w.b, 2, 1), (w.c, 6, 5)):
        for n in range(people):
            observer = make_user(institution=home, name=f"Observer {home.name} {n}")
            at_3 = ["done", "in_progress"] if n < answered else None
            w.placements.append(make_placement(w.offer, observer, days=10, at_3=at_3))
    w.funder = make_user(roles=[(Role.FUNDER, w.programme)])
    db.session.commit()
    return w


def _table(tables, key):
    return next(t for t in tables if t.key == key)


def _programme_tables(w, **filters):
    scope = Scope(w.programme.id, **filters)
    return report.programme_report(scope, "en")


def test_small_cells_and_their_complement_are_hidden_and_the_rest_rounded(sample_course, app):
    w = _world()
    homes = {row.label: row for row in _table(_programme_tables(w), "observerships-homes").rows}
    a, b, c = homes["A Home"], homes["B Home"], homes["C Home"]
    assert (a.filled.shown, a.completed.shown, a.observer_days.shown) == (5, 5, 70)  # 7 → 5
    assert b.filled.hidden and b.completed.hidden and b.observer_days.hidden  # 2 people
    assert c.filled.hidden and c.completed.hidden  # 6, hidden: the total would reveal B
    assert c.observer_days.hidden  # the days of a hidden group are hidden with it
    assert (a.done_3.shown, a.answered_3.shown) == (5, 10)  # 6 of 12, rounded
    assert b.done_3.hidden and c.done_3.hidden and c.answered_3.hidden  # 1 answered; its partner
    total = _table(_programme_tables(w), "observerships-homes").total
    assert (total.filled.shown, total.observer_days.shown, total.done_3.shown) == (15, 150, 10)
    host = _table(_programme_tables(w), "observerships-hosts").rows[0]
    assert (host.label, host.offered.shown, host.offered.base, host.filled.shown) == (
        "H Host",
        20,  # places are not about people: exact
        1,
        15,
    )


def test_a_difference_between_views_is_hidden_too(sample_course, app):
    w = _world()
    later = make_offer(w.programme, w.h, places=2, starts_on=date(2030, 4, 1))
    for _n in range(2):
        make_placement(later, make_user(institution=w.a), State.ACCEPTED)
    db.session.commit()
    # Until March: A has 7 filled; with no "until", 9. Subtracting would reveal 2 people.
    first = _programme_tables(w, since="2030-01", until="2030-03")
    a = next(r for r in _table(first, "observerships-homes").rows if r.label == "A Home")
    assert a.filled.hidden
    unfiltered = _table(_programme_tables(w), "observerships-homes")
    assert not next(r for r in unfiltered.rows if r.label == "A Home").filled.hidden


def test_a_home_coordinator_sees_exact_figures_of_their_people_only(sample_course, client, login):
    w = _world()
    login(make_user(roles=[(Role.COORDINATOR, w.b)], institution=w.b))
    html = text_of(client.get(f"/dashboards/institutions/{w.b.id}?lang=en"))
    sent = html.split('id="observerships-sent"', 1)[1].split("</section>", 1)[0]
    assert "H Host" in sent and '<td class="num">2</td>' in sent and "1 of 2" in sent
    assert "&lt;5" not in sent
    assert client.get(f"/dashboards/institutions/{w.a.id}").status_code == 404
    assert (
        client.get(f"/dashboards/institutions/{w.a.id}/observerships-sent.csv").status_code == 404
    )


def test_a_host_coordinator_sees_their_guests_and_offers(sample_course, client, login):
    w = _world()
    login(make_user(roles=[(Role.COORDINATOR, w.h)], institution=w.h))
    html = text_of(client.get(f"/dashboards/institutions/{w.h.id}?lang=en"))
    hosted = html.split('id="observerships-hosted"', 1)[1].split("</section>", 1)[0]
    assert "A Home" in hosted and "6 of 12" in hosted and '<td class="num">70</td>' in hosted
    offered = html.split('id="observerships-offers"', 1)[1].split("</section>", 1)[0]
    assert "Exchange" in offered and '<td class="num">20</td>' in offered


def test_funders_see_the_aggregates_but_no_name_and_no_placement(sample_course, client, login):
    w = _world()
    login(w.funder)
    html = text_of(client.get(f"/dashboards/programmes/{w.programme.id}?lang=en"))
    section = html.split('id="observerships"', 1)[1]
    assert "Observerships by host institution" in section and "5 of 10" in section
    assert "Observer " not in html  # no observer's name anywhere
    for url in (f"/dashboards/programmes/{w.programme.id}/observerships-homes.csv",
                f"/dashboards/programmes/{w.programme.id}.xlsx"):  # fmt: skip
        assert b"Observer " not in client.get(url).data
    assert client.get(f"/placements/{w.placements[0].id}").status_code == 404
    assert client.get(f"/dashboards/institutions/{w.a.id}").status_code == 403
    other = make_programme([w.a])
    db.session.commit()
    assert client.get(f"/dashboards/programmes/{other.id}/observerships-hosts.csv").status_code in (
        403,
        404,
    )


def _api(client, url, secret):
    return client.get(url, headers={"Authorization": f"Bearer {secret}"}).get_json()


def test_the_csv_workbook_and_api_carry_the_same_cells(sample_course, client, login):
    w = _world()
    expected = {
        key: exports.table_rows(_table(_programme_tables(w), key))
        for key in ("observerships-hosts", "observerships-homes")
    }
    assert expected["observerships-homes"][1][1] == "5"  # A Home, filled
    assert expected["observerships-homes"][2][1:4] == ["<5", "<5", "—"]  # B: days not "<5"
    _token, secret = tokens.create_token(w.funder, "Board")
    db.session.commit()
    body = _api(client, f"/api/v1/programmes/{w.programme.id}/report?lang=en", secret)
    login(w.funder)
    base = f"/dashboards/programmes/{w.programme.id}"
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{base}.xlsx?lang=en").data))
    for key, rows in expected.items():
        text = client.get(f"{base}/{key}.csv?lang=en").get_data(as_text=True)
        assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == rows
        sheet = [
            ["" if v is None else str(v) for v in r] for r in book[key].iter_rows(values_only=True)
        ]
        assert sheet[: len(rows)] == rows
        table = next(t for t in body["tables"] if t["key"] == key)
        api = [table["columns"], *[_api_row(r) for r in table["rows"]], _api_row(table["total"])]
        assert api == _hidden_alike(rows)
    homes = next(t for t in body["tables"] if t["key"] == "observerships-homes")
    assert homes["rows"][1][1] == {"value": None, "suppressed": True, "rounded_to": 5}
    terms = [d["term"] for d in body["definitions"]]
    assert "Observerships" in terms


def _api_row(row) -> list[str]:
    """An API row as the CSV writes it (hidden: "<5" for people, a dash for the rest)."""
    return [
        exports.safe_text(c if isinstance(c, str) else "?" if c["suppressed"] else str(c["value"]))
        for c in row
    ]


def _hidden_alike(rows) -> list[list[str]]:
    return [["?" if cell in ("<5", "—") else cell for cell in row] for row in rows]


def test_an_institution_token_reads_its_own_figures_only(sample_course, client):
    w = _world()
    coordinator = make_user(roles=[(Role.COORDINATOR, w.b)], institution=w.b)
    _token, secret = tokens.create_token(coordinator, "Ward")
    db.session.commit()
    body = _api(client, f"/api/v1/institutions/{w.b.id}/report?lang=en", secret)
    sent = next(t for t in body["tables"] if t["key"] == "observerships-sent")
    assert sent["rows"][0][:3] == [
        "H Host",
        {"value": 2, "suppressed": False, "rounded_to": 1},
        {"value": 2, "suppressed": False, "rounded_to": 1},
    ]
    response = client.get(
        f"/api/v1/institutions/{w.a.id}/report", headers={"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 404


def test_the_page_shows_the_changes_as_done_of_answered(sample_course, app):
    w = _world()
    coordinators_view = Scope(None, institution_id=w.h.id, aggregate_only=False)
    tables = report.institution_report(coordinators_view, "en")
    (offers, hosted, sent) = observerships_page.page_tables(tables)
    assert "Changes done at 3 months (of answered)" in [str(c) for c in hosted.columns]
    assert len(hosted.columns) == len(hosted.rows[0]) == 6  # answered folded into done
    assert [str(cell) for cell in hosted.rows[0]] == ["A Home", "7", "7", "70", "6 of 12", "0 of 0"]
    assert sent.rows == []


def test_the_query_count_does_not_grow_with_the_placements(sample_course, client, login):
    w = _world()
    login(make_user(roles=[Role.ADMIN]))
    urls = [
        f"/dashboards/programmes/{w.programme.id}",
        f"/dashboards/programmes/{w.programme.id}?since=2030-01&institution={w.a.id}",
        f"/dashboards/institutions/{w.h.id}",
    ]

    def visit(url):
        assert client.get(url).status_code == 200

    def counts():
        return [count_statements(lambda url=url: visit(url)) for url in urls]

    before = counts()
    for home in (w.a, w.b, w.c):
        for _n in range(5):
            make_placement(
                w.offer, make_user(institution=home), days=9, at_3=["done"], at_6=["done"]
            )
    db.session.commit()
    assert counts() == before


def test_the_openapi_document_describes_the_observership_tables(sample_course, client):
    import jsonschema
    from openapi_spec_validator import validate

    from app.dashboards import openapi

    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    described = document["components"]["schemas"]["Table"]["properties"]["key"]["description"]
    w = _world()
    coordinator = make_user(roles=[(Role.COORDINATOR, w.h)], institution=w.h)
    for owner, url, schema in (
        (w.funder, f"/api/v1/programmes/{w.programme.id}/report", "ProgrammeReport"),
        (coordinator, f"/api/v1/institutions/{w.h.id}/report", "InstitutionReport"),
    ):
        _token, secret = tokens.create_token(owner, "Board")
        db.session.commit()
        body = _api(client, url, secret)
        components = openapi.document()["components"]
        jsonschema.validate(
            body, {"$ref": f"#/components/schemas/{schema}", "components": components}
        )
        for table in body["tables"]:
            assert table["key"] in described, table["key"]


def test_two_queries_whatever_the_filters(sample_course, app):
    w = _world()
    for filters in ({}, {"since": "2030-01", "until": "2030-03", "institution_id": w.a.id}):
        scope = Scope(w.programme.id, **filters)
        assert count_statements(lambda scope=scope: observerships.programme_tables(scope)) == 2
