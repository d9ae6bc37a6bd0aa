"""The in-app notifications: one's list, opening one, marking them read, and choosing
how one is told of each kind. The blueprint is ``notifications``; it lives here, above
auth, because its pages declare auth's access policies (the notifications package sits
below auth). Every object rule is ``app/notifications/access.py``: one's own only."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.auth.policies import SIGNED_IN, allow
from app.exceptions import ValidationFailed
from app.extensions import db
from app.notifications import queries, services
from app.notifications.access import own_or_404
from app.notifications.inbox import entries, target_path
from app.notifications.kinds import KINDS
from app.notifications.models import NotificationPreference

bp = Blueprint("notifications", __name__)


@bp.route("/notifications/")
@allow(SIGNED_IN)
def inbox():
    """One's notifications, newest first, unread marked, 25 to a page."""
    page = queries.list_notifications(
        current_user.id, max(request.args.get("page", 1, type=int), 1)
    )
    return render_template(
        "notifications/inbox.html",
        page=page,
        entries=entries(page.items),
        unread=queries.count_unread(current_user.id),
    )


@bp.route("/notifications/<int:notification_id>")
@allow(SIGNED_IN)
def open_notification(notification_id: int):
    """Mark one read and go where it leads; back to the list when that is gone."""
    notification = own_or_404(current_user, notification_id)
    services.mark_read(current_user, notification)
    db.session.commit()
    path = target_path(notification)
    if path is None:
        flash(_("What this notification was about no longer exists."), "info")
        return redirect(url_for("notifications.inbox"), 303)
    return redirect(path, 303)


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@allow(SIGNED_IN)
def mark_read(notification_id: int):
    """Mark one read without opening it."""
    notification = own_or_404(current_user, notification_id)
    services.mark_read(current_user, notification)
    db.session.commit()
    return redirect(url_for("notifications.inbox", page=request.form.get("page", type=int)), 303)


@bp.route("/notifications/read-all", methods=["POST"])
@allow(SIGNED_IN)
def mark_all_read():
    """Mark every one of one's notifications read."""
    count = services.mark_all_read(current_user)
    db.session.commit()
    flash(
        ngettext(
            "%(num)d notification marked as read.", "%(num)d notifications marked as read.", count
        ),
        "success",
    )
    return redirect(url_for("notifications.inbox"), 303)


@bp.route("/notifications/settings", methods=["GET", "POST"])
@allow(SIGNED_IN)
def preferences():
    """Per kind: by e-mail, in the app, or both."""
    errors = {}
    if request.method == "POST":
        # A kind the form leaves out keeps its channel (every radio group has one checked).
        choices = {name: request.form[name] for name in KINDS if name in request.form}
        try:
            services.set_channels(current_user, choices)
        except ValidationFailed as error:
            db.session.rollback()
            errors[error.field] = str(error)
        else:
            db.session.commit()
            flash(_("Your choices are saved."), "success")
            return redirect(url_for("notifications.preferences"), 303)
    chosen = services.channels_of(current_user)
    if errors:
        chosen.update({name: request.form[name] for name in KINDS if name in request.form})
    return render_template(
        "notifications/preferences.html",
        kinds=list(KINDS.values()),
        chosen=chosen,
        channels=_channel_labels(),
        errors=errors,
    ), 422 if errors else 200


def _channel_labels() -> list[tuple[str, str]]:
    return [
        (NotificationPreference.BOTH, _("In the app and by e-mail")),
        (NotificationPreference.APP, _("In the app only")),
        (NotificationPreference.EMAIL, _("By e-mail only")),
    ]
