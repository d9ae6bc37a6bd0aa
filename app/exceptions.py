"""The project's own exceptions, raised by services when a rule is broken."""


class PalliareError(Exception):
    """Base class: a rule of the application was broken; the message is user-facing."""


class PermissionDenied(PalliareError):
    """The acting user may not do this."""


class ValidationFailed(PalliareError):
    """The input breaks a rule (a duplicate e-mail, an unknown locale, …)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(message)
        self.field = field


class InvalidToken(PalliareError):
    """A link token is unknown, forged, expired or already used."""
