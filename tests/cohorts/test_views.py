"""Cohort pages from every side: its trainers, its coordinator, its members, everyone else."""

import io
from datetime import datetime

import pytest

from app.auth.models import Invitation
from app.cohorts import access as cohort_rule
from app.cohorts import queries as cohort_queries
from app.cohorts.models import CohortMember
from app.extensions import db
from app.institutions.models import Programme
from app.trainers.certification import certify_master_trainer
from app.workshops import services as workshops
from app.workshops.models import Attendance
from tests.helpers import csrf_token, post_form, text_of
from tests.mail import body_text, wait_for_mail


def _url(world, path=""):
    return f"/cohorts/{world['cohort'].id}{path}"


@pytest.mark.parametrize("who", ["trainer", "coordinator", "admin"])
def test_the_cohort_staff_see_the_matrix(world, client, login, who):
    login(world[who])
    html = text_of(client.get(_url(world)))
    assert 'id="matrix"' in html and "Lena Learner" in html and world["cohort"].join_code in html


@pytest.mark.parametrize("who", ["other_trainer", "other_coordinator", "outsider", "funder"])
def test_everyone_else_gets_not_found(world, client, login, who):
    login(world[who])
    for path in ("", "/edit", "/roster"):
        assert client.get(_url(world, path)).status_code in (403, 404), path


def test_signed_out_visitors_are_sent_to_sign_in(world, client):
    response = client.get(_url(world))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_members_see_the_cohort_and_names_only_if_allowed(world, client, login):
    login(world["learner"])
    html = text_of(client.get(_url(world)))
    assert 'id="matrix"' not in html and "Carl Classmate" not in html
    world["cohort"].members_visible = True
    db.session.commit()
    assert "Carl Classmate" in text_of(client.get(_url(world)))
    assert client.get(_url(world, "/roster")).status_code == 403  # learners: not staff


def test_a_member_cannot_remind_or_remove(world, client, login):
    login(world["learner"])
    token = csrf_token(client, "/cohorts/")
    for path in ("/reminders", "/members/remove"):
        response = client.post(
            _url(world, path), data={"csrf_token": token, "learner": world["classmate"].id}
        )
        assert response.status_code == 403
    assert cohort_queries.count_members(world["cohort"]) == 2


def test_other_trainers_cannot_touch_the_cohort(world, client, login):
    login(world["other_trainer"])
    token = csrf_token(client, "/cohorts/")
    response = client.post(
        _url(world, "/members/remove"),
        data={"csrf_token": token, "learner": world["classmate"].id},
    )
    assert response.status_code == 404
    assert cohort_queries.count_members(world["cohort"]) == 2


def _upload(client, world, content: bytes, name="roster.csv"):
    token = csrf_token(client, _url(world, "/roster"))
    return client.post(
        _url(world, "/roster"),
        data={"csrf_token": token, "roster": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def test_a_bad_roster_lists_every_problem_and_imports_nothing(world, client, login):
    login(world["trainer"])
    content = (
        b"email,name,profession,institution\n"
        b"good@example.org,Good,nurse,\n"
        b"not-an-email,Bad,nurse,\n"
        b"x@example.org,X,astronaut,\n"
        b"good@example.org,Again,nurse,\n"
    )
    response = _upload(client, world, content)
    html = text_of(response)
    assert response.status_code == 422
    for row, reason in ((3, "is not an e-mail address"), (4, "Unknown profession"),
                        (5, "same e-mail address as row 2")):  # fmt: skip
        assert f'<td class="num">{row}</td>' in html and reason in html
    assert db.session.query(Invitation).count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), ("email,name\nа@example.org,Айгерим\n".encode("cp1251"), "not in UTF-8"),
     (b"\x89PNG\r\n\x1a\n\0\0\0", "not a CSV file"),
     (b"email,name,profession,institution\n", "only the header")],
)  # fmt: skip
def test_unreadable_rosters_are_refused_with_a_reason(world, client, login, content, message):
    login(world["trainer"])
    response = _upload(client, world, content)
    assert response.status_code == 422 and message in text_of(response)


def test_a_good_roster_enrols_and_invites_by_email(world, client, login, mailbox):
    login(world["trainer"])
    content = (
        "email,name,profession,institution\n"
        f"{world['outsider'].email},Known,nurse,\n"
        "fresh@example.org,Fresh Person,social_worker,\n"
    ).encode()
    response = _upload(client, world, content)
    assert response.status_code == 302
    assert cohort_rule.is_member(world["outsider"], world["cohort"])
    [message] = wait_for_mail(mailbox)
    assert message["To"] == "fresh@example.org" and world["cohort"].name in body_text(message)


def test_reminders_go_out_once_a_day(world, client, login, mailbox):
    login(world["trainer"])
    data = {"learner": [world["learner"].id, world["classmate"].id]}
    post_form(client, _url(world, "/reminders"), data, form_page=_url(world))
    assert len(wait_for_mail(mailbox, count=2)) == 2
    response = post_form(client, _url(world, "/reminders"), data, form_page=_url(world))
    assert "Already reminded today" in text_of(client.get(response.headers["Location"]))
    assert len(wait_for_mail(mailbox, count=3, seconds=0.5)) == 2
    assert "Lena Learner" in text_of(client.get(_url(world)))  # in the reminder log


def test_the_attendance_sheet_records_who_was_there(world, client, login):
    workshop = workshops.create_workshop(world["trainer"], world["cohort"], "Day one", None)
    session = workshops.save_session(
        world["trainer"], workshop, None, datetime(2026, 4, 1, 9), 60, "Room 1", "", []
    )
    db.session.commit()
    url = f"/workshops/sessions/{session.id}/attendance"
    login(world["trainer"])
    shown = [world["learner"].id, world["classmate"].id]  # the rows on the sheet
    post_form(client, url, {"shown": shown, "present": [world["learner"].id]})
    present = {a.user_id: a.present for a in db.session.query(Attendance)}
    assert present == {world["learner"].id: True, world["classmate"].id: False}
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(world["learner"])
    assert client.get(url).status_code == 403
    assert client.get(f"/workshops/{workshop.id}").status_code == 200  # members see the plan


def test_join_by_link_asks_before_joining(world, client, login):
    login(world["outsider"])
    code = world["cohort"].join_code
    html = text_of(client.get(f"/cohorts/join/{code}"))
    assert world["cohort"].name in html
    assert not cohort_rule.is_member(world["outsider"], world["cohort"])
    post_form(client, "/cohorts/join", {"code": code}, form_page=f"/cohorts/join/{code}")
    assert cohort_rule.is_member(world["outsider"], world["cohort"])


def test_funders_see_counts_but_no_names_in_the_cascade(world, client, login):
    certify_master_trainer(world["admin"], world["trainer"])
    db.session.commit()
    login(world["admin"])
    assert "Tara Trainer" in text_of(client.get("/cascade"))
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    from app.auth.models import Role
    from tests.factories import make_programme, make_user

    programme = make_programme([world["here"]])
    funder = make_user(roles=[(Role.FUNDER, programme)])
    login(funder)
    html = text_of(client.get(f"/cascade?programme={programme.id}"))
    assert 'id="generations"' in html and "Tara Trainer" not in html
    assert client.get(f"/cascade?programme={programme.id + 1000}").status_code == 404
    assert db.session.query(CohortMember).count() == 2


def test_guessing_join_codes_is_rate_limited(world, client, login, app):
    login(world["outsider"])
    token = csrf_token(client, "/cohorts/")
    limit = int(app.config["JOIN_RATE_LIMIT"].split()[0])
    statuses = [
        client.post(
            "/cohorts/join", data={"csrf_token": token, "code": f"WRONG{n:03d}"}
        ).status_code
        for n in range(limit + 1)
    ]
    assert set(statuses[:limit]) == {303} and statuses[-1] == 429


def test_trainers_see_only_their_programmes_cascade(world, client, login):
    from tests.factories import make_programme

    theirs = make_programme([world["elsewhere"]])
    mine = db.session.scalar(
        db.select(Programme).where(Programme.institutions.contains(world["here"]))
    )
    login(world["trainer"])
    assert client.get(f"/cascade?programme={theirs.id}").status_code == 404
    assert client.get(f"/cascade?programme={mine.id}").status_code == 200
    assert client.get("/cascade").status_code == 200  # their first programme


def test_revocation_reasons_are_for_administrators(world, client, login, trainer_course):
    record = certify_master_trainer(world["admin"], world["trainer"])
    record.revoked_at, record.revoked_reason = record.certified_at, "Confidential matter"
    db.session.commit()
    programme = db.session.scalar(
        db.select(Programme).where(Programme.institutions.contains(world["here"]))
    )
    login(world["coordinator"])
    html = text_of(client.get(f"/cascade?programme={programme.id}"))
    assert "certification revoked" in html and "Confidential matter" not in html


def test_uploading_a_roster_again_asks_nobody_twice(world, client, login, mailbox):
    """People with an account elsewhere get the join link once per cohort, however often
    the roster is uploaded again (each upload used to e-mail them all again)."""
    from tests.factories import make_institution, make_user

    elsewhere = make_institution(name="Elsewhere Hospice")
    people = [make_user(institution=elsewhere, email=f"far{i}@example.org") for i in range(3)]
    db.session.commit()
    login(world["trainer"])
    rows = "".join(f"{person.email},Far,nurse,\n" for person in people)
    content = ("email,name,profession,institution\n" + rows).encode()
    assert _upload(client, world, content).status_code == 302
    assert sorted(m["To"] for m in mailbox) == [p.email for p in people]
    response = _upload(client, world, content)
    assert response.status_code == 302 and len(mailbox) == 3
    page = text_of(client.get(response.headers["Location"]))
    assert "3 people were already in the cohort or invited." in page


def test_roster_uploads_are_limited_per_trainer(world, client, login, app, monkeypatch):
    monkeypatch.setitem(app.config, "ROSTER_RATE_LIMIT", "2 per hour")
    login(world["trainer"])
    content = b"email,name,profession,institution\nnew1@example.org,New,nurse,\n"
    statuses = [_upload(client, world, content).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert client.get(_url(world, "/roster")).status_code == 200  # the page itself is not


def test_the_roster_page_offers_a_sample_to_its_staff_only(world, client, login):
    login(world["trainer"])
    page = text_of(client.get(_url(world, "/roster")))
    assert f'href="/cohorts/{world["cohort"].id}/roster/sample.csv"' in page
    assert "<code>profession</code>" in page  # the columns described
    response = client.get(_url(world, "/roster/sample.csv"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert world["here"].name in response.get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(world["learner"])
    assert client.get(_url(world, "/roster/sample.csv")).status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(world["other_trainer"])
    assert client.get(_url(world, "/roster/sample.csv")).status_code == 404
