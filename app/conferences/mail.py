"""E-mails of a series, each carrying the series' .ics so calendars stay in step."""

from app.conferences.calendar import calendar_for
from app.conferences.models import ConferenceSeries
from app.conferences.queries import participants
from app.notifications.outbox import Mail, queue_emails
from app.urls import external_url


def _ics(series: ConferenceSeries) -> tuple[str, str, bytes]:
    return ("conference.ics", "text/calendar", calendar_for([series], series.title, "PUBLISH"))


def series_mails(series: ConferenceSeries, template: str, people=None, **context) -> list:
    """``template`` (``conference_joined``, ``conference_changed``, ``conference_reminder``)
    with the series' .ics for ``people`` (default: every participant), each in their own
    language, for the outbox."""
    link = external_url("conferences.series", series_id=series.id)
    attachment = _ics(series)
    recipients = people if people is not None else [p.user for p in participants(series)]
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
        for person in recipients
    ]


def mail_series(series: ConferenceSeries, template: str, people=None, **context) -> None:
    """Queue ``series_mails(...)`` in the outbox: sent once the caller's change commits."""
    queue_emails(series_mails(series, template, people, **context))
