"""Telling a person something: in their in-app list, by e-mail, or both, as they chose;
reading what one was told; choosing; pruning (flush, never commit).

``notify`` is the one way a service tells someone: it writes the in-app row and queues
the e-mail in the caller's transaction, so both happen with the change or neither does,
and a person who chose one channel is never told twice.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, update

from app.db_types import utcnow
from app.exceptions import ValidationFailed
from app.extensions import db
from app.notifications import queries
from app.notifications.kinds import KINDS, Kind
from app.notifications.models import Notification, NotificationPreference
from app.notifications.outbox import Mail, queue_emails
from app.notifications.texts import external_link, plain, words_for
from app.urls import external_url

if TYPE_CHECKING:
    from app.auth.models import User

EMAIL, APP, BOTH = NotificationPreference.EMAIL, NotificationPreference.APP, "both"


@dataclass(frozen=True)
class Notice:
    """One thing to tell one person. ``email`` is the kind's own message, when it has a
    richer one than the generic e-mail (a reminder's text, a session's .ics)."""

    user: "User"
    kind: str
    params: dict = field(default_factory=dict)
    email: Mail | None = None


def notify(
    user: "User",
    kind: str,
    *,
    email: Mail | None = None,
    sent_by: "User | None" = None,
    reference: str | None = None,
    **params,
) -> Notification | None:
    """Tell ``user`` of ``kind`` as they chose; returns the in-app row, if one was written."""
    rows = notify_all([Notice(user, kind, params, email)], sent_by=sent_by, reference=reference)
    return rows[0] if rows else None


def notify_all(
    notices: Iterable[Notice], *, sent_by: "User | None" = None, reference: str | None = None
) -> list[Notification]:
    """Tell each person their notice (a session's participants): the in-app rows and the
    e-mails (one batch in the outbox) in the caller's transaction."""
    notices = list(notices)
    chosen = queries.list_channels(notice.user.id for notice in notices)
    rows, mails = [], []
    for notice in notices:
        kind = KINDS[notice.kind]  # a KeyError here is a programming error
        channel = chosen.get((notice.user.id, kind.name), BOTH)
        params = plain(notice.params)
        if channel in (APP, BOTH):
            rows.append(Notification(recipient_id=notice.user.id, kind=kind.name, params=params))
        if channel in (EMAIL, BOTH):
            mails.append(notice.email or generic_mail(notice.user, kind, params))
    db.session.add_all(rows)
    if mails:
        queue_emails(mails, sent_by=sent_by, reference=reference)
    db.session.flush()
    return rows


def generic_mail(user: "User", kind: Kind, params: dict) -> Mail:
    """The e-mail of a kind that has no template of its own: its title, body and link,
    in the recipient's language and time zone."""
    locale = mail_locale(user)
    with force_locale(locale):
        words = words_for(kind, params, zone_of(user))
    context = {"person": user, "words": words, "link": None, "settings_link": None}
    if current_app.config.get("SERVER_NAME"):  # always in production (check_config)
        context["link"] = external_link(kind, params)
        context["settings_link"] = external_url("notifications.preferences")
    return Mail(user.email, "notification", locale, context)


def mail_locale(user: "User") -> str:
    """The language a person reads e-mail in: theirs, else their institution's."""
    institution = user.institution
    return (
        user.locale
        or (institution.default_locale if institution else None)
        or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def zone_of(user: "User") -> ZoneInfo:
    """A person's time zone: their profile's, else their institution's, else UTC."""
    name = user.timezone or (user.institution.timezone if user.institution else None)
    return ZoneInfo(name or "UTC")


def mark_read(user: "User", notification: Notification) -> None:
    """``user`` has read ``notification`` (theirs: ``access.own_or_404`` checked it)."""
    if notification.recipient_id == user.id and notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()


def mark_all_read(user: "User") -> int:
    """Every unread notification of ``user`` is read now; returns how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.expire_all()
    return result.rowcount


def channels_of(user: "User") -> dict[str, str]:
    """``user``'s channel for every kind (``both`` where they chose nothing)."""
    chosen = queries.list_channels([user.id])
    return {name: chosen.get((user.id, name), BOTH) for name in KINDS}


def set_channels(user: "User", choices: dict[str, str]) -> None:
    """Save ``user``'s channel per kind; an unknown kind or channel is refused whole."""
    for name, channel in choices.items():
        if name not in KINDS:
            raise ValidationFailed(_("There is no such kind of notification."), name)
        if channel not in NotificationPreference.CHANNELS:
            raise ValidationFailed(_("Choose e-mail, in the app, or both."), name)
    for name, channel in choices.items():
        db.session.merge(NotificationPreference(user_id=user.id, kind=name, channel=channel))
    db.session.flush()


def prune_read(now: datetime, days: int) -> int:
    """Delete notifications read more than ``days`` ago; returns how many. Unread ones
    stay, however old: nobody has seen them yet."""
    result = db.session.execute(
        delete(Notification)
        .where(Notification.read_at.is_not(None), Notification.read_at < now - timedelta(days=days))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
