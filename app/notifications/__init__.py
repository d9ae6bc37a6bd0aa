"""E-mail outbox and (to come) in-app notifications."""


def init_app(app) -> None:
    """Register this package with ``app``: the outbox's tables."""
    from app.notifications import models  # noqa: F401
