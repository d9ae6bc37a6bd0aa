"""E-mail outbox and (to come) in-app notifications."""


def init_app(app) -> None:
    """Register this package with ``app``: the outbox's tables, and the sweep each task
    consumer runs before it starts (what a killed consumer held goes back to the queue)."""
    from app.notifications import models  # noqa: F401
    from app.notifications.tasks import sweep_now
    from app.tasks import on_worker_start

    on_worker_start(sweep_now)
