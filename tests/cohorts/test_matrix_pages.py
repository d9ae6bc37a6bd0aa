"""The cohort page at scale: a compact matrix, 100 learners a page, filters kept across
pages, the whole matrix as CSV and Excel (for the cohort's staff only), the words a screen
reader says for a cell, and a byte budget that holds at 500 learners."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, select

from app.auth.models import Profession, User
from app.cohorts.matrix_pages import PAGE_SIZE
from app.cohorts.services import add_members, add_trainer
from app.courses.models import Lesson, LessonProgress
from app.db_types import utcnow
from app.extensions import db
from tests.factories import make_cohort
from tests.helpers import count_statements, text_of

BUDGET = 150 * 1024


def _lessons(course):
    return db.session.scalars(
        select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.position)
    ).all()


def _learners(n: int, name: str = "Learner") -> list[User]:
    """``n`` learners with long names (the worst case for the page's size)."""
    now = utcnow()
    first = db.session.scalar(select(User.id).order_by(User.id.desc()).limit(1)) or 0
    rows = [
        {"email": f"p{first}-{i}@example.org", "name": f"{name} {i:04d} Abdurakhmanova-Smith",
         "password_hash": "x", "profession": Profession.NURSE, "active": True,
         "session_version": 1, "created_at": now}
        for i in range(n)
    ]  # fmt: skip
    db.session.execute(insert(User), rows)
    emails = [row["email"] for row in rows]
    return db.session.scalars(select(User).where(User.email.in_(emails)).order_by(User.id)).all()


def _big_cohort(world, course, size: int):
    """A cohort of ``size`` learners: a third done with the first module, a third in it."""
    learners = _learners(size)
    cohort = make_cohort(world["trainer"], [course], world["here"], capacity=1000)
    add_members(cohort, learners, "roster")
    first, second = _lessons(course)[:2]
    progress = [
        {"user_id": u.id, "lesson_id": lesson.id, "started_at": utcnow(), "completed_at": utcnow()}
        for i, u in enumerate(learners)
        if i % 3 == 0
        for lesson in (first, second)
    ]
    progress += [
        {"user_id": u.id, "lesson_id": first.id, "started_at": utcnow(), "completed_at": None}
        for i, u in enumerate(learners)
        if i % 3 == 1
    ]
    db.session.execute(insert(LessonProgress), progress)
    db.session.commit()
    return cohort, learners


def _checkboxes(html: str) -> int:
    return html.count('name="learner"')


# --- Paging and filtering --------------------------------------------------------------


def test_a_large_cohort_is_shown_100_learners_a_page(world, trainer_course, client, login):
    cohort, learners = _big_cohort(world, trainer_course, 250)
    login(world["trainer"])
    url = f"/cohorts/{cohort.id}"
    first = text_of(client.get(url))
    assert _checkboxes(first) == PAGE_SIZE == 100
    assert "Learners 1–100 of 250 · Page 1 of 3" in first
    assert f'href="{url}?page=2#progress" rel="next"' in first and 'rel="prev"' not in first
    assert f'aria-current="page" href="{url}?page=1#progress">1<' in first
    last = text_of(client.get(f"{url}?page=3"))
    assert _checkboxes(last) == 50 and 'rel="next"' not in last
    assert "Learners 201–250 of 250 · Page 3 of 3" in last
    assert learners[-1].name in last and learners[-1].name not in first
    # Every learner on exactly one page.
    pages = [text_of(client.get(f"{url}?page={n}")) for n in (1, 2, 3)]
    assert all(sum(p.count(f'value="{u.id}"') for p in pages) == 1 for u in learners)
    # A page past the end shows the last; nonsense shows the first.
    assert _checkboxes(text_of(client.get(f"{url}?page=99"))) == 50
    assert _checkboxes(text_of(client.get(f"{url}?page=-2"))) == 100
    for nonsense in ("x", "²", "9" * 5000, ""):
        assert _checkboxes(text_of(client.get(f"{url}?page={nonsense}"))) == 100


def test_the_filters_apply_before_paging_and_stay_in_the_links(
    world, trainer_course, client, login
):
    cohort, learners = _big_cohort(world, trainer_course, 250)
    login(world["trainer"])
    url = f"/cohorts/{cohort.id}"
    # 84 learners did the first module (i % 3 == 0), 83 started it, 83 did nothing.
    html = text_of(client.get(f"{url}?status=not_started"))
    assert _checkboxes(html) == 83 and "83 learners shown" in html and 'class="pager"' not in html
    assert f'value="{learners[2].id}"' in html and f'value="{learners[0].id}"' not in html
    assert "Not started (83)" in html and "Everyone (250)" in html and "In progress (167)" in html
    # Descending by progress over two pages: the filters ride along in every page link.
    html = text_of(client.get(f"{url}?status=in_progress&sort=progress&desc=1"))
    assert _checkboxes(html) == 100
    assert re.search(r'href="[^"]*page=2[^"]*" rel="next"', html)
    link = re.search(r'href="([^"]*)" rel="next"', html).group(1).replace("&amp;", "&")
    assert "status=in_progress" in link and "sort=progress" in link and "desc=1" in link
    second = text_of(client.get(link))
    assert _checkboxes(second) == 67
    assert "Page 2 of 2" in second
    html = text_of(client.get(f"{url}?q=0249"))
    assert _checkboxes(html) == 1 and learners[249].name in html


def test_a_cell_is_its_class_and_no_words(world, client, login):
    login(world["trainer"])
    html = text_of(client.get(f"/cohorts/{world['cohort'].id}"))
    cells = re.findall(r'<td class="c(\d)">([^<]*)</td>', html)
    assert cells and {content for _state, content in cells} == {""}
    assert 'href="/cohorts/matrix-en.css"' in html
    assert "Legend: ✓ module done" in html


# --- The words a screen reader says ----------------------------------------------------


def test_the_cell_words_come_in_each_language_and_are_cached(app, client):
    english = client.get("/cohorts/matrix-en.css")  # public: a stylesheet, nothing private
    assert english.status_code == 200 and english.mimetype == "text/css"
    css = english.get_data(as_text=True)
    assert '.matrix td.c2::before { content: "✓" / "done"; }' in css
    assert '.matrix td.c0::before { content: "–" / "not started"; }' in css
    assert "public" in english.headers["Cache-Control"]
    again = client.get("/cohorts/matrix-en.css", headers={"If-None-Match": english.headers["ETag"]})
    assert again.status_code == 304
    russian = client.get("/cohorts/matrix-ru.css").get_data(as_text=True)
    assert russian != css and russian.count("::before") == 3
    assert client.get("/cohorts/matrix-xx.css").status_code == 404


def test_a_word_with_quotes_cannot_break_out_of_the_stylesheet():
    from app.cohorts.matrix_views import _css_string

    assert _css_string('a "b" \\ c\nd') == '"a \\"b\\" \\\\ c\\a d"'


# --- Downloads --------------------------------------------------------------------------


def _csv_rows(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_csv_holds_every_learner_and_every_module(world, trainer_course, client, login):
    cohort, learners = _big_cohort(world, trainer_course, 150)
    login(world["trainer"])
    response = client.get(f"/cohorts/{cohort.id}/progress.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="cohort-{cohort.id}-progress-')
    assert disposition.endswith('.csv"') and "no-store" in response.headers["Cache-Control"]
    header, *rows = _csv_rows(response)
    assert header[:6] == ["Name", "E-mail", "Profession", "Joined", "Status", "Inactive"]
    assert "Trainer course: Teaching practice" in header and "Trainer course: Feedback" in header
    assert len(rows) == 150  # every page
    by_email = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    done, started, idle = (by_email[learners[i].email] for i in (0, 1, 2))
    assert done["Trainer course: Teaching practice"] == "done" and done["Modules done"] == "1"
    assert done["Status"] == "In progress" and done["Profession"] == "Nurse"
    assert started["Trainer course: Teaching practice"] == "started"
    assert idle["Trainer course: Teaching practice"] == "not started"
    assert idle["Status"] == "Not started"
    assert idle["Last activity"] == "" and re.fullmatch(r"\d{4}-\d\d-\d\d", idle["Joined"])
    # The page's filters, if given, choose the rows.
    only = _csv_rows(client.get(f"/cohorts/{cohort.id}/progress.csv?status=not_started"))
    assert len(only) == 1 + 50


def test_the_workbook_has_the_same_table_with_numbers_as_numbers(world, client, login):
    login(world["trainer"])
    response = client.get(f"/cohorts/{world['cohort'].id}/progress.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    csv_rows = _csv_rows(client.get(f"/cohorts/{world['cohort'].id}/progress.csv"))
    assert rows[0] == csv_rows[0] and len(rows) == 3
    assert sorted(row[0] for row in rows[1:]) == ["Carl Classmate", "Lena Learner"]
    assert all(isinstance(row[rows[0].index("Modules done")], int) for row in rows[1:])


def test_a_name_that_looks_like_a_formula_stays_text(world, client, login):
    learner = world["learner"]
    learner.name = '=HYPERLINK("http://evil.example","click")'
    world["classmate"].name = "@SUM(A1:A9)"
    db.session.commit()
    login(world["trainer"])
    header, *rows = _csv_rows(client.get(f"/cohorts/{world['cohort'].id}/progress.csv"))
    names = sorted(row[0] for row in rows)
    assert names == ['\'=HYPERLINK("http://evil.example","click")', "'@SUM(A1:A9)"]
    response = client.get(f"/cohorts/{world['cohort'].id}/progress.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert sorted(c.value for c in cells) == names
    assert {c.data_type for c in cells} == {"s"}  # text, never a formula ("f")


# --- Who may download -------------------------------------------------------------------


@pytest.mark.parametrize("who", ["trainer", "co_trainer", "coordinator", "admin"])
def test_the_cohort_staff_may_download(world, client, login, who):
    if who == "co_trainer":
        add_trainer(world["trainer"], world["cohort"], world["co_trainer"])
        db.session.commit()
    login(world[who])
    for kind in ("csv", "xlsx"):
        assert client.get(f"/cohorts/{world['cohort'].id}/progress.{kind}").status_code == 200


@pytest.mark.parametrize(
    "who", ["co_trainer", "other_trainer", "other_coordinator", "learner", "outsider", "funder"]
)
def test_no_one_else_may_download(world, client, login, who):
    login(world[who])  # the co-trainer here has not been added to the cohort
    for kind in ("csv", "xlsx"):
        response = client.get(f"/cohorts/{world['cohort'].id}/progress.{kind}")
        assert response.status_code in (403, 404), (who, kind)
        assert "Carl Classmate" not in response.get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(world, client):
    for kind in ("csv", "xlsx"):
        response = client.get(f"/cohorts/{world['cohort'].id}/progress.{kind}")
        assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- Size and queries at 500 learners ---------------------------------------------------


def test_500_learners_fit_the_byte_budget_in_as_many_queries_as_5(
    world, trainer_course, client, login
):
    login(world["trainer"])
    small, _ = _big_cohort(world, trainer_course, 5)
    large, _ = _big_cohort(world, trainer_course, 500)
    client.get(f"/cohorts/{small.id}")  # warm: the session's user and the caches
    queries = {}
    for cohort in (small, large):
        db.session.expire_all()
        queries[cohort] = count_statements(lambda c=cohort: client.get(f"/cohorts/{c.id}"))
    assert queries[small] == queries[large]
    body = client.get(f"/cohorts/{large.id}").data
    assert _checkboxes(body.decode()) == PAGE_SIZE
    assert len(body) <= BUDGET, f"{len(body):,} bytes, over {BUDGET:,}"
    # Well within the budget: the compact rows leave room for long names and many modules.
    assert len(body) <= BUDGET / 2, f"{len(body):,} bytes"
