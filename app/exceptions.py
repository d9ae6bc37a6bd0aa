"""The project's own exceptions, raised by services when a rule is broken."""


class PalliareError(Exception):
    """Base class: a rule of the application was broken; the message is user-facing."""


class PermissionDenied(PalliareError):
    """The acting user may not do this. ``hidden``: they may not even know the object
    exists, so the answer is 404 rather than 403."""

    def __init__(self, message=None, hidden: bool = False):
        super().__init__(message or "")
        self.hidden = hidden


class ValidationFailed(PalliareError):
    """The input breaks a rule (a duplicate e-mail, an unknown locale, …)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


class InvalidToken(PalliareError):
    """A link token is unknown, forged, expired or already used."""
