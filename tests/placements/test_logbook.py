"""The logbook: its services without HTTP (days, hours, the de-identification guard, who
writes, drafts and submissions, comments, totals) and its pages with the test client."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.notifications.models import Notification
from app.placements import days, logbook, logbook_queries
from app.placements.logbook import EntryText
from app.placements.models import LogbookComment, LogbookEntry
from tests.helpers import csrf_token, text_of
from tests.placements.conftest import finish_placement

TODAY = date(2030, 3, 15)  # the placement's last day: every day of it may be written
DAY = date(2030, 3, 4)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _notified(user, variant) -> list[dict]:
    rows = db.session.scalars(
        select(Notification).where(
            Notification.recipient_id == user.id, Notification.kind == "placement_logbook"
        )
    )
    return [r.params for r in rows if r.params.get("variant") == variant]


def _text(**changes) -> EntryText:
    fields = {
        "activities": [("ward_rounds", "2.5"), ("teaching", "1")],
        "saw": "The morning ward round: pain review and a family meeting.",
        "learned": "How the team shares the plan with the family.",
        "adapt": "A shared pain chart at the bedside.",
    }
    return EntryText(**(fields | changes))


def _save(pw, placement, day=DAY, submit=True, today=TODAY, **changes):
    return logbook.save_entry(
        pw.observer, placement, day, _text(**changes), submit=submit, today=today
    )


# --- Services: writing a day ---------------------------------------------------------


def test_the_observer_submits_a_day_and_the_supervisor_is_told_once(pw, accepted):
    entry = _save(pw, accepted)
    assert entry.submitted_at is not None and entry.day == DAY
    assert entry.activities == [
        {"kind": "ward_rounds", "hours": 2.5},
        {"kind": "teaching", "hours": 1.0},
    ]
    assert logbook.entry_hours(entry) == Decimal("3.5")
    assert [n["day_on"] for n in _notified(pw.supervisor, "submitted")] == ["2030-03-04"]
    first_submitted, first_updated = entry.submitted_at, entry.updated_at
    corrected = _save(pw, accepted, saw="Corrected: the afternoon ward round.")
    assert corrected.id == entry.id and corrected.submitted_at == first_submitted
    assert corrected.updated_at >= first_updated and corrected.saw.startswith("Corrected")
    assert len(_notified(pw.supervisor, "submitted")) == 1  # not on a correction
    assert _count(LogbookEntry) == 1


def test_a_draft_needs_nothing_and_a_submission_needs_an_activity_and_what_was_seen(pw, accepted):
    draft = _save(pw, accepted, submit=False, activities=[], saw="", learned="", adapt="")
    assert draft.submitted_at is None and draft.activities == []
    assert _notified(pw.supervisor, "submitted") == []
    with pytest.raises(ValidationFailed) as refused:
        _save(pw, accepted, activities=[("", "")])
    assert refused.value.field == "activities"
    with pytest.raises(ValidationFailed) as refused:
        _save(pw, accepted, saw="   ")
    assert refused.value.field == "saw"
    db.session.refresh(draft)
    assert draft.submitted_at is None


@pytest.mark.parametrize(
    "day, today",
    [
        (date(2030, 3, 1), TODAY),  # the day before the placement
        (date(2030, 3, 16), date(2030, 3, 20)),  # the day after it
        (date(2030, 3, 10), date(2030, 3, 9)),  # not yet come
    ],
)
def test_a_day_outside_the_placement_or_still_to_come_is_refused(pw, accepted, day, today):
    with pytest.raises(ValidationFailed) as refused:
        _save(pw, accepted, day=day, today=today)
    assert refused.value.field == "day"
    assert _count(LogbookEntry) == 0


def test_the_refusal_of_a_day_outside_says_the_placements_dates(pw, accepted, app):
    with app.test_request_context(), pytest.raises(ValidationFailed) as refused:
        _save(pw, accepted, day=date(2030, 4, 1))
    assert "Mar 2, 2030" in str(refused.value) and "Mar 15, 2030" in str(refused.value)


@pytest.mark.parametrize(
    "rows",
    [
        [("ward_rounds", "0")],
        [("ward_rounds", "0.1")],
        [("ward_rounds", "12.25")],
        [("ward_rounds", "-1")],
        [("ward_rounds", "1.3")],
        [("ward_rounds", "lots")],
        [("ward_rounds", "")],  # an activity without its hours
        [("", "2")],  # hours without an activity
        [("skydiving", "2")],
        [("ward_rounds", "10"), ("hospice", "6.25")],  # 16.25 hours in a day
        [("ward_rounds", "1"), ("ward_rounds", "2")],  # the same kind twice
    ],
)
def test_hours_out_of_bounds_and_unknown_or_doubled_kinds_are_refused(pw, accepted, rows):
    with pytest.raises(ValidationFailed) as refused:
        _save(pw, accepted, submit=False, activities=rows)
    assert refused.value.field == "activities"
    assert _count(LogbookEntry) == 0


def test_the_bounds_themselves_are_kept(pw, accepted):
    rows = [("ward_rounds", "12"), ("hospice", "3,75"), ("other", "0.25")]  # 16 in all
    entry = _save(pw, accepted, activities=rows)
    assert logbook.entry_hours(entry) == Decimal(16)


def test_a_doubled_kind_is_named(pw, accepted, app):
    with app.test_request_context(), pytest.raises(ValidationFailed) as refused:
        _save(pw, accepted, activities=[("hospice", "1"), ("hospice", "2")])
    assert "Hospice is listed twice" in str(refused.value)


def test_a_reflection_over_4000_characters_is_refused(pw, accepted):
    with pytest.raises(ValidationFailed) as refused:
        _save(pw, accepted, submit=False, learned="x" * 4001)
    assert refused.value.field == "learned"
    assert _save(pw, accepted, learned="x" * 4000).learned == "x" * 4000


@pytest.mark.parametrize("field", ["saw", "learned", "adapt"])
@pytest.mark.parametrize("submit", [True, False])
def test_identifiers_in_any_reflection_refuse_the_save_and_nothing_is_stored(
    pw, accepted, app, field, submit
):
    draft = _save(pw, accepted, submit=False, saw="A first, clean draft.")
    db.session.commit()
    with app.test_request_context(), pytest.raises(logbook.IdentifiersFound) as refused:
        _save(pw, accepted, submit=submit, **{field: "Call her daughter on +46 70 123 45 67"})
    db.session.rollback()
    assert refused.value.field == field
    assert [(f.field, f.kind) for f in refused.value.findings] == [(field, "phone")]
    message = str(refused.value)
    assert str(logbook.FIELD_LABELS[field]) in message and "Phone number" in message
    db.session.refresh(draft)
    assert draft.saw == "A first, clean draft." and draft.submitted_at is None
    assert "123 45 67" not in f"{draft.saw}{draft.learned}{draft.adapt}"
    assert _notified(pw.supervisor, "submitted") == []


def test_markup_cannot_hide_an_identifier(pw, accepted):
    with pytest.raises(logbook.IdentifiersFound):
        _save(pw, accepted, saw="Seen with Mrs <b></b>Ivanova today")


def test_only_the_observer_writes_and_only_while_accepted(pw, accepted):
    for other in (pw.supervisor, pw.home_coordinator, pw.host_coordinator, pw.admin):
        with pytest.raises(PermissionDenied):
            logbook.save_entry(other, accepted, DAY, _text(), submit=True, today=TODAY)
    finish_placement(pw, accepted)
    with pytest.raises(ValidationFailed):
        _save(pw, accepted)
    assert _count(LogbookEntry) == 0


def test_the_same_client_key_twice_keeps_one_entry(pw, accepted):
    first = logbook.save_entry(
        pw.observer, accepted, DAY, _text(), submit=True, today=TODAY, client_key="k-1"
    )
    db.session.commit()
    again = logbook.save_entry(
        pw.observer, accepted, DAY, _text(), submit=True, today=TODAY, client_key="k-1"
    )
    assert again.id == first.id and again.client_key == "k-1"
    assert _count(LogbookEntry) == 1 and len(_notified(pw.supervisor, "submitted")) == 1
    # A key already on another day's entry stays there (keys are unique).
    other = logbook.save_entry(
        pw.observer, accepted, date(2030, 3, 5), _text(), submit=False, today=TODAY,
        client_key="k-1",
    )  # fmt: skip
    assert other.id != first.id and other.client_key is None


# --- Services: comments -----------------------------------------------------------


def test_the_supervisor_comments_on_a_submitted_day_and_the_observer_is_told(pw, accepted):
    entry = _save(pw, accepted)
    comment = logbook.add_comment(pw.supervisor, entry, "  Good questions to the team.  ")
    assert comment.body == "Good questions to the team." and comment.author_id == pw.supervisor.id
    assert [n["day_on"] for n in _notified(pw.observer, "commented")] == ["2030-03-04"]


def test_comments_are_refused_to_others_on_drafts_and_when_empty_long_or_identifying(pw, accepted):
    draft = _save(pw, accepted, submit=False)
    with pytest.raises(ValidationFailed):
        logbook.add_comment(pw.supervisor, draft, "Too early")
    entry = _save(pw, accepted)
    for other in (pw.observer, pw.home_coordinator, pw.host_coordinator):
        with pytest.raises(PermissionDenied):
            logbook.add_comment(other, entry, "Not mine to write")
    for body in ("", "   ", "x" * 2001):
        with pytest.raises(ValidationFailed):
            logbook.add_comment(pw.supervisor, entry, body)
    with pytest.raises(logbook.IdentifiersFound) as refused:
        logbook.add_comment(pw.supervisor, entry, "Ask Mrs Ivanova about it")
    assert refused.value.field == "body" and refused.value.findings[0].kind == "name"
    db.session.rollback()
    assert _count(LogbookComment) == 0 and _notified(pw.observer, "commented") == []


# --- Services: totals ------------------------------------------------------------


def test_logged_hours_and_days_count_submitted_entries_only(pw, accepted):
    assert logbook.logged_hours(accepted) == Decimal(0) and logbook.days_logged(accepted) == 0
    _save(pw, accepted)  # 3.5 h
    _save(pw, accepted, day=date(2030, 3, 5), activities=[("hospice", "6.25")])
    _save(pw, accepted, day=date(2030, 3, 6), submit=False, activities=[("hospice", "8")])
    assert logbook.logged_hours(accepted) == Decimal("9.75")
    assert isinstance(logbook.logged_hours(accepted), Decimal)
    assert logbook.days_logged(accepted) == 2
    totals = dict(logbook.hours_by_kind(logbook_queries.list_entries(accepted)))
    assert totals == {"ward_rounds": Decimal("2.5"), "hospice": Decimal("6.25"),
                      "teaching": Decimal(1)}  # fmt: skip


def test_the_placements_weeks(pw, accepted):
    weeks = logbook.weeks(accepted)  # 2–15 March: two full weeks
    assert [(w.number, w.starts_on, w.ends_on) for w in weeks] == [
        (1, date(2030, 3, 2), date(2030, 3, 8)),
        (2, date(2030, 3, 9), date(2030, 3, 15)),
    ]
    accepted.ends_on = date(2030, 3, 17)
    assert logbook.weeks(accepted)[-1].days == [date(2030, 3, 16), date(2030, 3, 17)]
    assert logbook.week_numbered(accepted, 4) is None


# --- Pages ------------------------------------------------------------------------------


@pytest.fixture
def english(pw):
    for person in (pw.observer, pw.supervisor, pw.home_coordinator, pw.host_coordinator):
        person.locale = "en"
    db.session.commit()


@pytest.fixture
def on_day(monkeypatch):
    """The host's today is 15 March 2030 (the placement's last day)."""
    monkeypatch.setattr(days, "host_today", lambda placement, now=None: TODAY)


def _as(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


def _entry_url(placement, day=DAY) -> str:
    return f"/placements/{placement.id}/logbook/{day.isoformat()}"


def _form(**changes) -> dict:
    data = {
        "activities-0-kind": "ward_rounds",
        "activities-0-hours": "2.5",
        "activities-1-kind": "",
        "activities-1-hours": "",
        "saw": "The morning ward round.",
        "learned": "How pain is reviewed.",
        "adapt": "A shared pain chart.",
        "client_key": "key-one",
        "action": "submit",
    }
    return data | changes


def _post(client, url, data):
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def test_the_observer_writes_a_day_on_the_form(english, pw, accepted, app, on_day):
    client = _as(app, pw.observer)
    page = client.get(_entry_url(accepted))
    html = text_of(page)
    assert page.status_code == 200
    for words in ("What I saw", "What I learned", "What I would adapt at home", "Save draft",
                  "Submit", 'name="client_key"', "activities-3-kind", "js/logbook.js"):  # fmt: skip
        assert words in html
    response = _post(client, _entry_url(accepted), _form(action="draft"))
    assert response.status_code == 303 and "saved=1" in response.headers["Location"]
    entry = logbook_queries.get_entry(accepted, DAY)
    assert entry.submitted_at is None and entry.client_key == "key-one"
    saved_page = text_of(client.get(response.headers["Location"]))
    assert 'data-logbook-saved="key-one"' in saved_page
    assert "The morning ward round." in saved_page  # the draft comes back in the form
    response = _post(client, _entry_url(accepted), _form(client_key="key-two"))
    assert response.status_code == 303
    assert f"/placements/{accepted.id}/logbook?saved=2030-03-04" in response.headers["Location"]
    db.session.refresh(entry)
    assert entry.submitted_at is not None
    logbook_page = text_of(client.get(response.headers["Location"]))
    assert 'data-logbook-saved="key-two"' in logbook_page
    assert "The morning ward round." in logbook_page and "Submitted" in logbook_page


def test_a_form_posted_twice_is_stored_once(pw, accepted, app, on_day):
    client = _as(app, pw.observer)
    for _ in range(2):
        assert _post(client, _entry_url(accepted), _form()).status_code == 303
    assert _count(LogbookEntry) == 1
    assert len(_notified(pw.supervisor, "submitted")) == 1


@pytest.mark.parametrize("field", ["saw", "learned", "adapt"])
def test_identifiers_on_the_form_are_refused_with_the_text_kept(
    english, pw, accepted, app, on_day, field
):
    client = _as(app, pw.observer)
    text = "Her son wrote from anna.petrova@mail.ru"
    response = _post(client, _entry_url(accepted), _form(action="draft", **{field: text}))
    html = text_of(response)
    assert response.status_code == 400
    assert "Email address" in html and "nothing was saved" in html
    assert str(logbook.FIELD_LABELS[field]) in html
    assert "anna.petrova@mail.ru</textarea>" in html  # the text is kept to fix
    assert _count(LogbookEntry) == 0


def test_bad_hours_on_the_form_are_refused_beside_the_rows(english, pw, accepted, app, on_day):
    client = _as(app, pw.observer)
    response = _post(client, _entry_url(accepted), _form(**{"activities-0-hours": "13"}))
    assert response.status_code == 400
    assert "give the hours from 0.25 to 12" in text_of(response)
    assert _count(LogbookEntry) == 0


def test_days_outside_the_placement_and_malformed_days(english, pw, accepted, app, on_day):
    client = _as(app, pw.observer)
    outside = client.get(_entry_url(accepted, date(2030, 3, 1)))
    assert outside.status_code == 400
    assert "from Mar 2, 2030 to Mar 15, 2030" in text_of(outside)
    assert _post(client, _entry_url(accepted, date(2030, 3, 16)), _form()).status_code == 400
    for bad in ("2030-3-4", "2030-02-30", "today", "20300304"):
        assert client.get(f"/placements/{accepted.id}/logbook/{bad}").status_code == 404
    assert _count(LogbookEntry) == 0


def test_who_may_open_the_form(pw, accepted, app, client, on_day):
    assert client.get(_entry_url(accepted)).status_code == 302  # signed out: sign in
    assert "/login" in client.get(_entry_url(accepted)).headers["Location"]
    assert _as(app, pw.supervisor).get(_entry_url(accepted)).status_code == 403
    assert _as(app, pw.home_coordinator).get(_entry_url(accepted)).status_code == 403
    assert _as(app, pw.stranger).get(_entry_url(accepted)).status_code == 404
    assert _as(app, pw.stranger).get(f"/placements/{accepted.id}/logbook").status_code == 404


def test_the_supervisor_cannot_write_the_observers_entry(pw, accepted, app, on_day):
    supervisor = _as(app, pw.supervisor)
    token = csrf_token(supervisor, f"/placements/{accepted.id}")
    response = supervisor.post(_entry_url(accepted), data={"csrf_token": token, **_form()})
    assert response.status_code == 403 and _count(LogbookEntry) == 0


def test_drafts_are_the_observers_alone(english, pw, accepted, app, on_day):
    _save(pw, accepted, submit=False, saw="A private draft about the round.")
    _save(pw, accepted, day=date(2030, 3, 5), saw="A submitted day about hospice.")
    db.session.commit()
    url = f"/placements/{accepted.id}/logbook"
    mine = text_of(_as(app, pw.observer).get(url))
    assert "A private draft about the round." not in mine  # drafts are not shown as read
    assert "Draft" in mine and f"/logbook/{DAY.isoformat()}" in mine
    for other in (pw.supervisor, pw.home_coordinator, pw.host_coordinator):
        page = text_of(_as(app, other).get(url))
        assert "A submitted day about hospice." in page
        assert "private draft" not in page and "Draft" not in page
        assert "Not yet submitted" in page
        assert f'/logbook/{DAY.isoformat()}"' not in page  # no link to write


def test_the_supervisor_comments_on_the_page(english, pw, accepted, app, on_day):
    _save(pw, accepted)
    db.session.commit()
    url = f"{_entry_url(accepted)}/comments"
    supervisor = _as(app, pw.supervisor)
    page = f"/placements/{accepted.id}/logbook"
    refused = supervisor.post(
        url, data={"csrf_token": csrf_token(supervisor, page), "body": "Ask MRN 12345678"}
    )
    assert refused.status_code == 400 and "Medical record number" in text_of(refused)
    assert "Ask MRN 12345678</textarea>" in text_of(refused)
    assert _count(LogbookComment) == 0
    done = supervisor.post(
        url, data={"csrf_token": csrf_token(supervisor, page), "body": "Well observed."}
    )
    assert done.status_code == 303 and _count(LogbookComment) == 1
    assert "Well observed." in text_of(_as(app, pw.observer).get(page))
    assert len(_notified(pw.observer, "commented")) == 1


def test_a_draft_cannot_be_commented_on_by_the_supervisor(english, pw, accepted, app, on_day):
    _save(pw, accepted, submit=False)
    db.session.commit()
    supervisor = _as(app, pw.supervisor)
    token = csrf_token(supervisor, f"/placements/{accepted.id}/logbook")
    response = supervisor.post(
        f"{_entry_url(accepted)}/comments", data={"csrf_token": token, "body": "Early"}
    )
    assert response.status_code == 400 and _count(LogbookComment) == 0
    assert "not submitted yet" in text_of(response)
    nothing = supervisor.post(
        f"{_entry_url(accepted, date(2030, 3, 5))}/comments",
        data={"csrf_token": token, "body": "x"},
    )
    assert nothing.status_code == 400  # a day without entry answers the same as a draft


def test_the_home_coordinator_cannot_comment(pw, accepted, app, on_day):
    _save(pw, accepted)
    db.session.commit()
    coordinator = _as(app, pw.home_coordinator)
    token = csrf_token(coordinator, f"/placements/{accepted.id}/logbook")
    response = coordinator.post(
        f"{_entry_url(accepted)}/comments", data={"csrf_token": token, "body": "Nice"}
    )
    assert response.status_code == 403 and _count(LogbookComment) == 0


def test_the_placement_page_panel(english, pw, accepted, app, on_day):
    _save(pw, accepted)  # 3.5 h submitted
    _save(pw, accepted, day=date(2030, 3, 5), submit=False)
    db.session.commit()
    url = f"/placements/{accepted.id}"
    mine = text_of(_as(app, pw.observer).get(url))
    assert "1 of 14 days" in mine and "3.5 h" in mine and "Drafts waiting" in mine
    assert "Write today&#39;s entry" in mine or "Write today's entry" in mine
    assert "/logbook/2030-03-15" in mine
    theirs = text_of(_as(app, pw.supervisor).get(url))
    assert "1 of 14 days" in theirs and "Drafts waiting" not in theirs
    assert "/logbook/2030-03-15" not in theirs


def test_the_logbook_page_reads_in_a_fixed_number_of_queries(english, pw, accepted, app, on_day):
    from tests.helpers import count_statements

    client = _as(app, pw.supervisor)
    url = f"/placements/{accepted.id}/logbook"

    def write(days):
        for number in days:
            entry = _save(pw, accepted, day=date(2030, 3, number))
            logbook.add_comment(pw.supervisor, entry, f"Comment on day {number}")
        db.session.commit()

    def count() -> int:
        client.get(url)  # sends the e-mails the notices queued, fills the app's caches
        db.session.expire_all()
        return count_statements(lambda: client.get(url))

    write([2, 3])
    few = count()
    write([4, 5, 6, 7, 8, 9])
    many = count()
    assert many == few


def test_a_day_still_to_come_can_be_opened_but_not_written(english, pw, accepted, app, monkeypatch):
    monkeypatch.setattr(days, "host_today", lambda placement, now=None: date(2030, 3, 3))
    client = _as(app, pw.observer)
    page = client.get(_entry_url(accepted, date(2030, 3, 4)))
    assert page.status_code == 200 and "has not come yet" in text_of(page)
    assert 'name="saw"' not in text_of(page)
    token = csrf_token(client, f"/placements/{accepted.id}")
    response = client.post(_entry_url(accepted), data={"csrf_token": token, **_form()})
    assert response.status_code == 400 and _count(LogbookEntry) == 0


def test_a_correction_keeps_what_a_submission_needs(pw, accepted):
    entry = _save(pw, accepted)
    with pytest.raises(ValidationFailed) as refused:
        _save(pw, accepted, submit=False, activities=[])  # "draft" of a submitted day
    assert refused.value.field == "activities"
    db.session.refresh(entry)
    assert entry.submitted_at is not None and len(entry.activities) == 2
    corrected = _save(pw, accepted, submit=False, activities=[("hospice", "4")])
    assert corrected.submitted_at is not None and corrected.activities[0]["kind"] == "hospice"


def test_a_submitted_day_is_corrected_on_its_form(english, pw, accepted, app, on_day):
    _save(pw, accepted)
    db.session.commit()
    client = _as(app, pw.observer)
    form_page = text_of(client.get(_entry_url(accepted)))
    assert "Save the correction" in form_page and "Save draft" not in form_page
    response = _post(client, _entry_url(accepted), _form(saw="Corrected round."))
    assert response.status_code == 303
    page = text_of(client.get(response.headers["Location"]))
    assert "Correction saved" in page and "Corrected round." in page
    assert len(_notified(pw.supervisor, "submitted")) == 1


def test_a_row_written_meanwhile_by_another_request_is_saved_over(
    pw, accepted, app, on_day, monkeypatch
):
    """The same form sent twice at once: the second insert breaks the day's uniqueness;
    the view tries once more, over the row the first one wrote."""
    from sqlalchemy.exc import IntegrityError

    real, calls = logbook.save_entry, []

    def racing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise IntegrityError("INSERT", {}, Exception("unique"))
        return real(*args, **kwargs)

    monkeypatch.setattr(logbook, "save_entry", racing)
    response = _post(_as(app, pw.observer), _entry_url(accepted), _form())
    assert response.status_code == 303 and len(calls) == 2
    assert _count(LogbookEntry) == 1
