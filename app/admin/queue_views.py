"""Administrators watch the background work: the task queue and the e-mail outbox, with
failed messages to send again; in development, the e-mails the app wrote."""

import re
from email import message_from_bytes, policy
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.admin import bp
from app.auth.policies import ADMIN, allow
from app.db_types import utcnow
from app.extensions import db
from app.notifications import outbox
from app.notifications import queries as notification_queries
from app.notifications.models import OutboxMessage
from app.tasks import huey, store_kind

# The development mail page lists at most this many of the newest messages.
DEV_MAIL_SHOWN = 50


@bp.route("/queue")
@allow(ADMIN)
def queue():
    """Tasks waiting, e-mails per status, the oldest one waiting, and the failures."""
    return render_template(
        "admin/queue.html",
        store=store_kind(),
        tasks=_task_counts(),
        summary=notification_queries.summarise_outbox(),
        now=utcnow(),
    )


def _task_counts() -> dict[str, int] | None:
    """Tasks waiting in the queue store and scheduled for later; None when unreachable."""
    try:
        return {"pending": huey.pending_count(), "scheduled": huey.scheduled_count()}
    except Exception:  # Redis down: the page still shows the outbox, from the database
        current_app.logger.exception("The task queue store cannot be reached")
        return None


@bp.route("/queue/messages/<int:message_id>/retry", methods=["POST"])
@allow(ADMIN)
def retry_message(message_id: int):
    """Send a failed message again."""
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    if message.status != OutboxMessage.FAILED:
        flash(_("Only a failed message can be sent again."), "error")
    else:
        outbox.retry_message(message)
        db.session.commit()
        flash(_("The message to %(email)s is queued again.", email=message.recipient), "success")
    return redirect(url_for("admin.queue"), 303)


@bp.route("/dev/mail")
@allow(ADMIN)
def dev_mail():
    """Development only: the e-mails written to ``MAIL_COPY_DIR``, newest first, with
    their links ready to click."""
    folder = _dev_mail_folder()
    files = sorted(folder.glob("*.eml"), reverse=True)[:DEV_MAIL_SHOWN]
    return render_template("admin/dev_mail.html", messages=[_read(path) for path in files])


def _dev_mail_folder() -> Path:
    if not current_app.config.get("DEVELOPMENT") or not current_app.config["MAIL_COPY_DIR"]:
        abort(404)  # production keeps no copies, and shows none
    return Path(current_app.config["MAIL_COPY_DIR"])


def _read(path: Path) -> dict:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    body = message.get_body(preferencelist=("plain",))
    return {
        "name": path.stem,
        "to": message["To"],
        "subject": message["Subject"],
        "html": linkify(body.get_content() if body else ""),
    }


# Any absolute address (bleach's linkify skips 127.0.0.1 and made-up domains).
LINK = re.compile(r"https?://[^\s<>\"]+")


def linkify(text: str) -> Markup:
    """The text, escaped, with its absolute addresses made links."""
    escaped = str(escape(text))
    return Markup(LINK.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped))
