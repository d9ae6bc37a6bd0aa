"""A trainer sees the reminder e-mail, exactly as each language's recipients will get it,
before sending it; the preview sends and logs nothing, and only cohort staff see it."""

import html as html_module
import re
from email.header import decode_header, make_header

from app.cohorts.models import Reminder
from app.extensions import db
from tests.helpers import csrf_token, post_form, text_of
from tests.mail import body_text, wait_for_mail


def _url(world, path=""):
    return f"/cohorts/{world['cohort'].id}{path}"


def _subject(message) -> str:
    return str(make_header(decode_header(message["Subject"]))).strip()


def _preview(client, world, *people):
    data = {"learner": [world[p].id for p in people]}
    return post_form(client, _url(world, "/reminders/preview"), data, form_page=_url(world))


def test_the_matrix_button_leads_to_the_preview(world, client, login):
    login(world["trainer"])
    html = text_of(client.get(_url(world)))
    assert f'action="/cohorts/{world["cohort"].id}/reminders/preview"' in html


def test_the_preview_shows_each_language_as_sent_and_sends_nothing(world, client, login, mailbox):
    world["classmate"].locale = "ru"
    world["learner"].locale = None  # the cohort's language, English
    db.session.commit()
    login(world["trainer"])
    response = _preview(client, world, "learner", "classmate")
    page = text_of(response)
    assert response.status_code == 200
    assert db.session.query(Reminder).count() == 0 and wait_for_mail(mailbox, 1, 0.3) == []
    subjects = [
        html_module.unescape(s) for s in re.findall(r"<dt>Subject</dt><dd[^>]*>([^<]*)</dd>", page)
    ]
    bodies = [
        html_module.unescape(b)
        for b in re.findall(r'<pre class="mail-body"[^>]*>(.*?)</pre>', page, re.S)
    ]
    name = world["cohort"].name
    assert f"A reminder from your cohort “{name}”" in subjects
    assert f"Напоминание от вашей учебной группы «{name}»" in subjects
    assert any("Hello Lena Learner" in body for body in bodies)
    assert 'lang="ru"' in page and "Tara Trainer" in page

    # Sending is the preview's own POST; what arrives is what was shown.
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    ids = re.findall(r'name="learner" value="(\d+)"', page)
    action = re.search(r'<form method="post" action="([^"]+/reminders)"', page).group(1)
    client.post(action, data={"csrf_token": token, "learner": ids})
    received = wait_for_mail(mailbox, count=2)
    assert sorted(_subject(m) for m in received) == sorted(subjects)
    english = next(m for m in received if m["To"] == world["learner"].email)
    shown = next(b for b in bodies if "Lena Learner" in b)
    assert body_text(english).replace("\r\n", "\n").strip() == shown.replace("\r\n", "\n").strip()


def test_the_preview_says_who_was_already_reminded_today(world, client, login, mailbox):
    login(world["trainer"])
    post_form(client, _url(world, "/reminders"), {"learner": [world["learner"].id]}, _url(world))
    page = text_of(_preview(client, world, "learner"))
    assert "Already reminded today" in page and "Nobody to remind" in page
    assert "Send the reminder" not in page
    nobody = post_form(client, _url(world, "/reminders/preview"), {}, form_page=_url(world))
    assert nobody.status_code == 303
    assert "Choose the learners to remind." in text_of(client.get(nobody.headers["Location"]))


def test_only_cohort_staff_see_the_preview(world, client, login):
    for who, status in (("learner", 403), ("other_trainer", 404), ("funder", 403)):
        login(world[who])
        token = csrf_token(client, "/cohorts/")
        response = client.post(
            _url(world, "/reminders/preview"),
            data={"csrf_token": token, "learner": world["classmate"].id},
        )
        assert response.status_code == status, who
        assert "Carl Classmate" not in text_of(response)
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
