"""Conference pages from every side, case submission through the de-identification
guard, the agenda, attachments, attendance and the reminders command."""

import io
import re

from PIL import Image

from app.cases import queries as cases_queries
from app.cases import services as cases
from app.cases.models import ConferenceCase
from app.conferences import access as series_rule
from app.conferences import queries as conference_queries
from app.conferences.recurrence import occurrences
from app.conferences.reminders import send_reminders
from app.conferences.stamps import stamp_of
from app.extensions import db
from tests.helpers import csrf_token, post_form, text_of
from tests.tasks import run_queued_tasks

CASE = {
    "age_band": "70-79",
    "sex": "female",
    "diagnosis": "Metastatic breast cancer with bone metastases.",
    "symptoms_and_medicines": "Pain NRS 7/10 on morphine 10 mg every 4 hours; Ca 2.9 mmol/L.",
    "context": "Lives with her husband, who has dementia.",
    "goals_of_care": "Stay at home.",
    "question": "How do we manage her pain and the hypercalcaemia at home?",
}


def _next_stamp(world) -> str:
    return stamp_of(occurrences(world["series"])[0].original_start)


def _submit(client, world, **changes):
    url = f"/conferences/{world['series'].id}/cases/new"
    data = {**CASE, "occurrence": _next_stamp(world), **changes}
    token = csrf_token(client, url)
    return client.post(url, data={"csrf_token": token, **data}, content_type="multipart/form-data")


def test_people_outside_the_series_see_nothing_of_it(world, client, login):
    series = world["series"]
    case = _case(world)
    login(world["outsider"])
    for url in (f"/conferences/{series.id}", f"/conferences/cases/{case.id}",
                f"/conferences/{series.id}/sessions/{_next_stamp(world)}"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    assert series.title not in text_of(client.get("/conferences/"))


def _case(world, status="submitted") -> ConferenceCase:
    text = cases.CaseText(**CASE)
    stamp = occurrences(world["series"])[0].original_start
    case = cases.submit_case(world["clinician"], world["series"], stamp, text, [])
    if status == "accepted":
        cases.accept_case(world["organiser"], case)
    db.session.commit()
    return case


def test_nobody_but_the_organisers_sees_a_case_before_it_is_accepted(world, client, login):
    case = _case(world)
    login(world["colleague"])  # a participant of the series
    assert client.get(f"/conferences/cases/{case.id}").status_code == 404
    cases.accept_case(world["organiser"], case)
    db.session.commit()
    assert client.get(f"/conferences/cases/{case.id}").status_code == 200


def test_a_case_naming_an_iin_is_refused_with_the_passage_marked(world, client, login):
    login(world["clinician"])
    response = _submit(client, world, context="Lives alone. IIN 900101350011 on the referral.")
    html = text_of(response)
    assert response.status_code == 422 and "<mark>900101350011</mark>" in html
    assert db.session.query(ConferenceCase).count() == 0
    response = _submit(client, world)
    assert response.status_code == 302
    assert db.session.query(ConferenceCase).count() == 1


def test_the_organiser_accepts_orders_and_recommends(world, client, login):
    first, second = _case(world), _case(world)
    login(world["organiser"])
    page = f"/conferences/{world['series'].id}"
    assert "Metastatic breast cancer" in text_of(client.get(page))  # the queue
    for case in (first, second):
        post_form(client, f"/conferences/cases/{case.id}/accept", {}, form_page=page)
    assert [c.id for c in cases_queries.agenda_for(world["series"], first.occurrence_start)] == [
        first.id,
        second.id,
    ]
    post_form(client, f"/conferences/cases/{second.id}/up", {}, form_page=page)
    assert [c.id for c in cases_queries.agenda_for(world["series"], first.occurrence_start)] == [
        second.id,
        first.id,
    ]
    post_form(
        client,
        f"/conferences/cases/{first.id}/recommend",
        {"recommendation": "Zoledronic acid; local formulary."},
        form_page=page,
    )
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(world["clinician"])
    assert "Zoledronic acid" in text_of(client.get(f"/conferences/cases/{first.id}"))


def test_a_participant_cannot_manage_the_agenda(world, client, login):
    case = _case(world)
    login(world["colleague"])
    token = csrf_token(client, "/conferences/")
    assert (
        client.post(f"/conferences/cases/{case.id}/accept", data={"csrf_token": token}).status_code
        == 404
    )
    login_page = f"/conferences/{world['series'].id}/edit"
    assert client.get(login_page).status_code == 403
    assert db.session.get(ConferenceCase, case.id).status == "submitted"


def test_images_lose_their_metadata_and_other_files_are_refused(world, client, login):
    login(world["clinician"])
    image = Image.new("RGB", (8, 8), "white")
    exif = image.getexif()
    exif[0x013B] = "Dr Someone"  # the Artist tag
    data = io.BytesIO()
    image.save(data, "JPEG", exif=exif)
    response = _submit(client, world, attachments=(io.BytesIO(data.getvalue()), "scan.jpg"))
    assert response.status_code == 302  # re-encoded by the task queued after the commit
    stored = db.session.query(ConferenceCase).one().attachments[0]
    assert stored.content_type == "image/jpeg" and stored.ready
    served = client.get(f"/conferences/cases/{stored.case_id}/files/{stored.id}")
    assert served.status_code == 200 and served.data.startswith(b"\xff\xd8")
    assert b"Dr Someone" not in served.data
    response = _submit(client, world, attachments=(io.BytesIO(b"MZ\x90\x00"), "tool.exe"))
    assert response.status_code == 422 and "not a PDF, JPEG or PNG" in text_of(response)


def test_the_reminders_command_never_sends_twice(world, mailbox, app):
    from datetime import timedelta

    people = len(conference_queries.participants(world["series"]))
    assert send_reminders(timedelta(days=2)) == people
    run_queued_tasks()
    assert len(mailbox) == people
    assert send_reminders(timedelta(days=2)) == 0
    run_queued_tasks()
    assert len(mailbox) == people
    message = mailbox[0]
    assert any(part.get_content_type() == "text/calendar" for part in message.iter_attachments())


def test_joining_sends_the_calendar(world, client, login, mailbox):
    newcomer = world["outsider"]
    newcomer.institution_id = world["here"].id
    db.session.commit()
    login(newcomer)
    post_form(
        client,
        f"/conferences/{world['series'].id}/join",
        {},
        form_page=f"/conferences/{world['series'].id}",
    )
    assert series_rule.is_participant(newcomer, world["series"])
    [message] = mailbox
    assert re.search(r"conference\.ics", message.as_string())


def test_the_organiser_chooses_the_panel(world, client, login):
    series, colleague = world["series"], world["colleague"]
    page = f"/conferences/{series.id}"
    login(world["clinician"])
    token = csrf_token(client, page)
    refused = client.post(f"{page}/panel/{colleague.id}", data={"csrf_token": token, "panel": "1"})
    assert refused.status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    login(world["organiser"])
    post_form(client, f"{page}/panel/{colleague.id}", {"panel": "1"}, form_page=page)
    panel = {p.user_id for p in conference_queries.participants(series) if p.panel}
    assert colleague.id in panel


def test_markup_cannot_hide_an_identifier_from_the_guard(world, client, login):
    login(world["clinician"])
    for hidden in ("IIN 9001<b></b>01350011", "IIN &#57;00101350011"):
        response = _submit(client, world, context=f"Lives alone. {hidden}.")
        assert response.status_code == 422, hidden
        assert "<mark>900101350011</mark>" in text_of(response)
    assert db.session.query(ConferenceCase).count() == 0


def test_stored_case_text_is_plain(world, client, login):
    login(world["clinician"])
    _submit(client, world, question='Pain? <img src="https://evil.example/p.gif"><b>Now</b>')
    case = db.session.query(ConferenceCase).one()
    assert case.question == "Pain? Now"  # every tag removed by bleach
    page = text_of(client.get(f"/conferences/cases/{case.id}"))
    assert "evil.example" not in page and "Pain? Now" in page


def test_an_attachment_name_can_identify_too(world, client, login):
    login(world["clinician"])
    pdf = (io.BytesIO(b"%PDF-1.4 test"), "referral IIN 900101350011.pdf")
    response = _submit(client, world, attachments=pdf)
    assert response.status_code == 422 and "900101350011" in text_of(response)


def test_people_without_an_institution_see_no_series(world, client, login):
    from tests.factories import make_user

    login(make_user(institution=None))
    assert world["series"].title not in text_of(client.get("/conferences/"))


def test_reminders_the_mail_server_refused_are_retried_later(world, app, mailbox):
    from datetime import timedelta

    from app.db_types import utcnow
    from app.notifications.models import OutboxMessage
    from app.notifications.tasks import sweep

    people = len(conference_queries.participants(world["series"]))
    app.config["MAIL_PORT"], port = 1, app.config["MAIL_PORT"]  # nothing listens there
    try:
        assert send_reminders(timedelta(days=2)) == people
        run_queued_tasks()
    finally:
        app.config["MAIL_PORT"] = port
    waiting = db.session.query(OutboxMessage).all()
    assert mailbox == [] and {m.status for m in waiting} == {"queued"}
    assert all(m.attempts == 1 and "Connection refused" in m.last_error for m in waiting)
    assert send_reminders(timedelta(days=2)) == 0  # claimed: the outbox has them

    for message in waiting:  # the back-off has passed
        message.next_attempt_at -= timedelta(minutes=2)
    db.session.commit()
    assert sweep(utcnow()) == people
    run_queued_tasks()
    assert len(mailbox) == people
    assert {m.status for m in db.session.query(OutboxMessage)} == {"sent"}
