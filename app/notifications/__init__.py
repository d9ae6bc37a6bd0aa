"""E-mail outbox and in-app notifications (the pages are in ``app/main``, above auth,
whose access policies they declare)."""


def init_app(app) -> None:
    """Register this package with ``app``: its tables, the sweep each task consumer runs
    before it starts (what a killed consumer held goes back to the queue), the retention
    command, and the header's unread count for the templates."""
    from app.notifications import models  # noqa: F401
    from app.notifications.cli import notifications_cli
    from app.notifications.tasks import sweep_now
    from app.tasks import on_worker_start

    on_worker_start(sweep_now)
    app.cli.add_command(notifications_cli)
    app.add_template_global(unread_notifications)


def unread_notifications() -> int:
    """The signed-in person's unread notifications (0 when signed out): the header's
    badge, one COUNT on an index, asked once per page."""
    from flask import g
    from flask_login import current_user

    from app.notifications.queries import count_unread

    if not current_user or not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        g.unread_notifications = count_unread(current_user.id)
    return g.unread_notifications
