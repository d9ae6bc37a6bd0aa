"""The browser session around signing in and joining."""

from flask import session


def renew_session() -> None:
    """Start a new session (no session fixation across a sign-in), keeping only the
    language the visitor chose."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
