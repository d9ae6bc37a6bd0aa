"""Who may see and mark a notification: the person it was written for, nobody else (not
even an administrator: it may speak of their cases and certificates). Another person's
notification answers 404, as if it did not exist."""

from flask import abort

from app.notifications import queries
from app.notifications.models import Notification


def may_see(user, notification: Notification) -> bool:
    """Whether ``user`` (possibly signed out) may read and mark ``notification``."""
    return bool(user.is_authenticated) and notification.recipient_id == user.id


def own_or_404(user, notification_id: int) -> Notification:
    """``user``'s notification ``notification_id``; 404 when it is not theirs or gone."""
    notification = queries.get_notification(notification_id)
    if notification is None or not may_see(user, notification):
        abort(404)
    return notification
