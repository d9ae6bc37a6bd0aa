"""In-app notifications: the one service (preferences decide the channels, in the caller's
transaction), the list, opening and marking, the preferences page, the header's count,
another language, a deleted target; each page from the wrong side too."""

from datetime import UTC, datetime, timedelta

import pytest
from flask_login import login_user

from app.auth.models import Role
from app.exceptions import ValidationFailed
from app.extensions import db
from app.notifications import unread_notifications
from app.notifications.kinds import KINDS
from app.notifications.models import Notification, NotificationPreference, OutboxMessage
from app.notifications.services import mark_all_read, notify, prune_read, set_channels
from tests.factories import make_cohort, make_institution, make_user
from tests.helpers import csrf_token, post_form, text_of


def _count(model, **where) -> int:
    return db.session.query(model).filter_by(**where).count()


def _tell(app, user, **params):
    """A cohort reminder for ``user`` through the service, committed."""
    params = {"name": "Almaty 2027", "cohort_id": 10**9, "trainer": "Tanya Trainer"} | params
    with app.test_request_context():
        row = notify(user, "cohort_reminder", ends_on=datetime(2027, 6, 30).date(), **params)
    db.session.commit()
    return row


# --- The service -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "rows", "mails"), [("both", 1, 1), ("app", 1, 0), ("email", 0, 1)]
)
def test_the_chosen_channel_decides_what_is_written(app, channel, rows, mails):
    person = make_user()
    set_channels(person, {"cohort_reminder": channel})
    _tell(app, person)
    assert _count(Notification, recipient_id=person.id) == rows
    assert _count(OutboxMessage, recipient=person.email) == mails


def test_other_kinds_keep_the_default_both(app):
    person = make_user()
    set_channels(person, {"certificate": "email"})
    _tell(app, person)
    assert _count(Notification, recipient_id=person.id) == 1
    assert _count(OutboxMessage, recipient=person.email) == 1


def test_a_rollback_leaves_neither_the_row_nor_the_email(app):
    person = make_user()
    db.session.commit()
    with app.test_request_context():
        notify(person, "cohort_reminder", name="X", cohort_id=1, trainer="T")
    db.session.rollback()
    assert _count(Notification, recipient_id=person.id) == 0
    assert _count(OutboxMessage, recipient=person.email) == 0


def test_the_generic_email_says_what_the_list_says(app, mailbox):
    person = make_user(locale="ru")
    with app.test_request_context():
        notify(person, "case_recommendation", series="Almaty ECHO", case_id=5)
    db.session.commit()
    [message] = db.session.query(OutboxMessage).filter_by(recipient=person.email).all()
    assert message.template == "notification"
    raw = message.raw.decode("utf-8", "replace")
    assert "Almaty ECHO" in raw and "//palliare.test/conferences/cases/5" in raw
    assert "/notifications/settings" in raw


def test_unknown_channels_and_kinds_are_refused_whole(app):
    person = make_user()
    with pytest.raises(ValidationFailed):
        set_channels(person, {"certificate": "app", "cohort_reminder": "pigeon"})
    with pytest.raises(ValidationFailed):
        set_channels(person, {"no_such_kind": "app"})
    db.session.rollback()
    assert _count(NotificationPreference, user_id=person.id) == 0


def test_pruning_deletes_only_what_was_read_long_ago(app):
    person = make_user()
    old_read, recent_read, old_unread = (_tell(app, person) for _ in range(3))
    now = datetime.now(UTC)
    old_read.read_at = now - timedelta(days=91)
    recent_read.read_at = now - timedelta(days=5)
    old_unread.created_at = now - timedelta(days=400)
    db.session.commit()
    assert prune_read(now, 90) == 1
    left = {n.id for n in db.session.query(Notification).filter_by(recipient_id=person.id)}
    assert left == {recent_read.id, old_unread.id}


def test_the_prune_command_uses_the_configured_retention(app):
    person = make_user()
    row = _tell(app, person)
    row.read_at = datetime.now(UTC) - timedelta(days=2)
    db.session.commit()
    runner = app.test_cli_runner()
    assert "0 read" in runner.invoke(args=["notifications", "prune"]).output
    assert "1 read" in runner.invoke(args=["notifications", "prune", "--days", "1"]).output


# --- The header's count ----------------------------------------------------------------


def test_the_count_is_the_signed_in_persons_unread_only(app):
    person, other = make_user(), make_user()
    _tell(app, person)
    _tell(app, person).read_at = datetime.now(UTC)
    _tell(app, other)
    db.session.commit()
    with app.test_request_context():
        assert unread_notifications() == 0  # signed out
    with app.test_request_context():
        login_user(person)
        assert unread_notifications() == 1


# --- The pages -------------------------------------------------------------------------


def test_the_list_shows_ones_own_newest_first_with_unread_marked(app, client, login):
    person, other = make_user(), make_user()
    _tell(app, person, name="First cohort")
    _tell(app, person, name="Second cohort")
    _tell(app, other, name="Someone else's cohort")
    login(person)
    page = text_of(client.get("/notifications/"))
    assert page.index("Second cohort") < page.index("First cohort")
    assert "Someone else" not in page
    assert page.count('class="notice unread"') == 2 and "2 unread" in page
    assert "June" in page and "30" in page  # the cohort's end, a long date in English


def test_an_empty_list_says_what_will_appear(client, login):
    login(make_user())
    page = text_of(client.get("/notifications/"))
    assert "Nothing yet" in page and "Mark all as read" not in page


def test_the_list_is_paginated(app, client, login):
    person = make_user()
    for number in range(27):
        _tell(app, person, name=f"Cohort {number:02d}")
    login(person)
    first = text_of(client.get("/notifications/"))
    assert "Cohort 26" in first and "Cohort 01" not in first and "Page 1 of 2" in first
    assert "Cohort 01" in text_of(client.get("/notifications/?page=2"))


def test_opening_marks_read_and_goes_to_the_target(app, client, login, sample_course):
    trainer = make_user(roles=[Role.TRAINER], institution=make_institution())
    cohort = make_cohort(trainer, [sample_course])
    person = make_user()
    row = _tell(app, person, cohort_id=cohort.id)
    login(person)
    response = client.get(f"/notifications/{row.id}")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/cohorts/{cohort.id}")
    assert row.read_at is not None


def test_a_deleted_target_shows_the_text_without_a_dead_link(app, client, login):
    person = make_user()
    row = _tell(app, person, name="Gone cohort", cohort_id=10**9)  # no such cohort
    login(person)
    page = text_of(client.get("/notifications/"))
    assert "Gone cohort" in page and f'/notifications/{row.id}"' not in page
    assert "no longer available" in page
    response = client.get(f"/notifications/{row.id}")
    assert response.headers["Location"].endswith("/notifications/")
    assert "no longer exists" in text_of(client.get("/notifications/"))


def test_mark_one_and_mark_all_as_read(app, client, login):
    person = make_user()
    first, second, third = (_tell(app, person) for _ in range(3))
    login(person)
    post_form(client, f"/notifications/{first.id}/read", {}, form_page="/notifications/")
    assert first.read_at is not None and second.read_at is None
    response = post_form(client, "/notifications/read-all", {}, form_page="/notifications/")
    assert response.status_code == 303
    db.session.expire_all()
    assert _count(Notification, recipient_id=person.id, read_at=None) == 0
    assert "Nothing unread" in text_of(client.get("/notifications/"))


def test_mark_all_read_touches_only_ones_own(app):
    person, other = make_user(), make_user()
    _tell(app, person)
    _tell(app, other)
    assert mark_all_read(person) == 1
    assert _count(Notification, recipient_id=other.id, read_at=None) == 1


def test_another_persons_notification_is_not_found(app, client, login):
    owner, intruder = make_user(), make_user(roles=[Role.ADMIN])
    row = _tell(app, owner)
    login(intruder)
    assert client.get(f"/notifications/{row.id}").status_code == 404
    token = csrf_token(client, "/notifications/")
    response = client.post(f"/notifications/{row.id}/read", data={"csrf_token": token})
    assert response.status_code == 404
    assert row.read_at is None


def test_a_signed_out_visitor_is_sent_to_sign_in(app, client):
    row = _tell(app, make_user())
    for url in ("/notifications/", f"/notifications/{row.id}", "/notifications/settings"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert row.read_at is None


def test_the_preferences_page_saves_one_choice_per_kind(client, login):
    person = make_user()
    login(person)
    page = text_of(client.get("/notifications/settings"))
    assert page.count('type="radio"') == 3 * len(KINDS) and 'value="both" checked' in page
    response = post_form(
        client, "/notifications/settings", {"certificate": "email", "cohort_reminder": "app"}
    )
    assert response.status_code == 303
    channels = {p.kind: p.channel for p in db.session.query(NotificationPreference)}
    assert channels["certificate"] == "email" and channels["cohort_reminder"] == "app"
    assert "session_changed" not in channels  # a kind left out keeps its default
    assert 'value="email" checked' in text_of(client.get("/notifications/settings"))


def test_a_bad_choice_is_refused_with_the_place_it_is(client, login):
    person = make_user()
    login(person)
    response = post_form(client, "/notifications/settings", {"certificate": "pigeon"})
    assert response.status_code == 422
    assert 'id="certificate-error"' in text_of(response)
    assert _count(NotificationPreference, user_id=person.id) == 0


def test_the_list_and_the_profile_lead_to_the_preferences(client, login):
    login(make_user())
    assert "/notifications/settings" in text_of(client.get("/notifications/"))
    assert "/notifications/settings" in text_of(client.get("/profile"))


# --- Languages -------------------------------------------------------------------------


def test_the_list_is_written_in_the_viewers_language_of_the_day(app, client, login):
    person = make_user()
    _tell(app, person)
    login(person)
    english = text_of(client.get("/notifications/?lang=en"))
    assert "A reminder from your cohort" in english
    russian = text_of(client.get("/notifications/?lang=ru"))
    assert "Напоминание от вашей учебной группы «Almaty 2027»" in russian
    assert "30 июня 2027" in russian  # the cohort's end, a long date in Russian
