"""Line breaks in URLs and file names (issue 14): a meeting link with CR/LF is refused by
the form, a bad link already stored cannot break a calendar, and an attachment name is
made safe on upload and on download."""

import icalendar
import pytest
from werkzeug.datastructures import MultiDict

from app.cases.attachments import check_attachment
from app.cases.models import CaseAttachment
from app.conferences import access as series_rule
from app.conferences import services
from app.conferences.calendar import calendar_for
from app.conferences.forms import SeriesForm
from app.conferences.safe_text import clean_url, safe_filename
from app.extensions import db
from tests.conferences.test_attachments import _case_with, _url
from tests.conferences.test_views import _submit
from tests.helpers import post_form, text_of

BAD_URLS = [
    "https://meet.jit.si/room\r\nX-Injected: 1",
    "https://meet.jit.si/room\nDESCRIPTION:spoofed",
    "https://meet.jit.si/ro om",
    "https://meet.jit.si/room\t",
    "https://meet.jit.si/room\x00",
    "https://meet.jit.si/\u2028room",
    "javascript:alert(1)",
    "ftp://files.example.org/room",
    "https://",
    "https:///path-only",
    "meet.jit.si/room",
]


def _url_errors(app, value: str) -> list[str]:
    with app.test_request_context(method="POST"):
        form = SeriesForm(formdata=MultiDict({"meeting_url": value}), meta={"csrf": False})
        form.meeting_url.validate(form)
        return [str(error) for error in form.meeting_url.errors]


@pytest.mark.parametrize("value", BAD_URLS)
def test_the_form_refuses_a_meeting_link_that_is_not_a_plain_web_address(app, value):
    errors = _url_errors(app, value)
    assert errors and any("web address" in error for error in errors), errors


@pytest.mark.parametrize(
    "value", ["https://meet.jit.si/palliare-test", "https://zoom.us/j/1?pwd=a"]
)
def test_the_form_accepts_a_plain_web_address(app, value):
    assert _url_errors(app, value) == []


def test_the_form_refuses_http_with_the_same_message_as_any_bad_address(app):
    """Before, the form took http:// and the series rule then refused it in other words."""
    errors = _url_errors(app, "http://x.org")
    assert errors == [_url_errors(app, "not a link")[0]] and "https://" in errors[0]


@pytest.mark.parametrize("value", BAD_URLS)
def test_clean_url_refuses_what_the_form_refuses(value):
    assert clean_url(value) is None


def test_a_bad_link_already_stored_does_not_break_the_calendar(world, client, login):
    series = world["series"]
    series.meeting_url = "https://meet.jit.si/room\r\nX-Injected: 1"
    token = services.new_feed(world["clinician"])
    db.session.commit()
    feed = client.get(f"/calendar/{token}.ics")
    assert feed.status_code == 200 and b"X-Injected" not in feed.data
    ics = calendar_for([series], "Test")
    event = next(iter(icalendar.Calendar.from_ical(ics).walk("VEVENT")))
    assert "URL" not in event and "X-INJECTED" not in event
    assert b"X-Injected" not in ics
    login(world["clinician"])
    assert client.get("/conferences/calendar").status_code == 200


def test_a_good_link_is_still_in_the_calendar(world):
    ics = calendar_for([world["series"]], "Test")
    event = next(iter(icalendar.Calendar.from_ical(ics).walk("VEVENT")))
    assert str(event["URL"]) == "https://meet.jit.si/palliare-test"


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("scan\r\nreport.pdf", "scan report.pdf"),
        ("C:\\Users\\me\\referral.pdf", "referral.pdf"),
        ("../../etc/passwd", "passwd"),
        ("wound\u202egpj.pdf", "woundgpj.pdf"),  # a right-to-left override disguises a name
        ("  \t\n ", "file"),
        ("Röntgen – 14 mars.pdf", "Röntgen – 14 mars.pdf"),
        ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
    ],
)
def test_safe_filename_keeps_a_readable_name(name, safe):
    assert safe_filename(name) == safe


def test_an_uploaded_name_with_a_line_break_is_made_safe(app):
    with app.test_request_context():
        assert check_attachment("scan\r\nreport.pdf", b"%PDF-1.4 x").filename == "scan report.pdf"


def test_an_existing_attachment_with_a_line_break_in_its_name_can_be_downloaded(
    world, client, login
):
    from app.cases.attachments import CheckedFile

    case = _case_with(world, [CheckedFile("a.pdf", "application/pdf", b"%PDF-1.4 a")])
    item = case.attachments[0]
    item.filename = "referral\r\nletter.pdf"  # stored before names were checked
    db.session.commit()
    db.session.expire_all()
    login(world["clinician"])
    response = client.get(_url(item))
    assert response.status_code == 200
    assert "referral letter.pdf" in response.headers["Content-Disposition"]
    page = client.get(f"/conferences/cases/{case.id}")
    assert page.status_code == 200 and "referral letter.pdf" in text_of(page)
    stored = db.session.get(CaseAttachment, item.id)
    assert stored.filename == "referral letter.pdf"


def test_the_case_form_takes_a_file_whose_name_has_a_line_break(world, client, login):
    import io

    login(world["clinician"])
    response = _submit(
        client, world, attachments=[(io.BytesIO(b"%PDF-1.4 x"), "scan\r\nreport.pdf")]
    )
    assert response.status_code == 302, text_of(response)


def test_joining_a_series_with_a_bad_stored_link_still_works(world, client, login, mailbox):
    world["series"].meeting_url = "https://meet.jit.si/room\r\nX-Injected: 1"
    newcomer = world["outsider"]
    newcomer.institution_id = world["here"].id
    db.session.commit()
    login(newcomer)
    series_page = f"/conferences/{world['series'].id}"
    response = post_form(client, f"{series_page}/join", {}, form_page=series_page)
    assert response.status_code in (302, 303)
    assert series_rule.is_participant(newcomer, world["series"])
    [message] = mailbox
    assert "conference.ics" in message.as_string()
    assert "X-Injected" not in message.as_string()
