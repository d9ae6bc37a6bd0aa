"""E-mails of a series, each carrying the series' .ics so calendars stay in step; a
change or a reminder is also an in-app notification, as each person chose."""

from app.conferences.calendar import calendar_for
from app.conferences.models import ConferenceSeries
from app.conferences.queries import participants
from app.notifications.outbox import Mail, queue_emails
from app.notifications.services import Notice, notify_all
from app.urls import external_url

# The e-mails that are also notifications, and their kind (joining stays an e-mail: it
# carries the calendar file one asked for, right then).
KIND_OF = {"conference_changed": "session_changed", "conference_reminder": "session_reminder"}


def _ics(series: ConferenceSeries) -> tuple[str, str, bytes]:
    return ("conference.ics", "text/calendar", calendar_for([series], series.title, "PUBLISH"))


def series_mails(series: ConferenceSeries, template: str, people=None, **context) -> list:
    """``template`` (``conference_joined``, ``conference_changed``, ``conference_reminder``)
    with the series' .ics for ``people`` (default: every participant), each in their own
    language, for the outbox."""
    link = external_url("conferences.series", series_id=series.id)
    attachment = _ics(series)
    return [
        Mail(
            person.email,
            template,
            person.locale,
            {
                "series": series,
                "person": person,
                "link": link,
                "attachments": [attachment],
                **context,
            },
        )
        for person in _recipients(series, people)
    ]


def _recipients(series: ConferenceSeries, people) -> list:
    return people if people is not None else [p.user for p in participants(series)]


def mail_series(series: ConferenceSeries, template: str, people=None, **context) -> None:
    """Tell ``people`` (default: every participant), once the caller's change commits:
    ``conference_joined`` by e-mail; a change or a reminder per participant, in their
    list and/or by e-mail as each chose."""
    people = _recipients(series, people)
    mails = series_mails(series, template, people, **context)
    if template not in KIND_OF:
        queue_emails(mails)
        return
    params = {"title": series.title, "series_id": series.id, **_notice_params(context)}
    notify_all(
        Notice(person, KIND_OF[template], params, mail)
        for person, mail in zip(people, mails, strict=True)
    )


def _notice_params(context: dict) -> dict:
    """What the notification says of a change (its variant, the times) or a reminder."""
    if "occurrence" in context:
        return {"start_at": context["occurrence"].start}
    change, original = context.get("change"), context.get("original_start")
    if change is None:
        return (
            {"variant": "restored", "original_at": original} if original else {"variant": "series"}
        )
    if change.cancelled:
        return {"variant": "cancelled", "original_at": change.original_start, "note": change.note}
    return {
        "variant": "moved",
        "original_at": change.original_start,
        "new_at": change.new_start,
        "note": change.note,
    }
