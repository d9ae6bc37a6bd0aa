"""The password-reset e-mail, queued so that nobody can tell from the answer, or from the
time it takes, whether an address has an account.

Either way one e-mail is rendered and written to the outbox in the request (so it
survives a queue store that is down, like every e-mail): a reset link to an account's
address, or to any other address a note that no account uses it. Only the owner of the
address reads which one it was.
"""

from app.auth import queries, services
from app.notifications.outbox import queue_email
from app.urls import external_url


def queue_reset_email(email: str) -> None:
    """Queue the reset link, or the note that no account uses ``email``."""
    address = services.normalise_email(email)
    # One statement whether or not the address is known (no roles loaded after it).
    user = queries.user_by_email_alone(address)
    if user is not None and user.active:
        token = services.make_reset_token(user)
        link = external_url("auth.reset_password", token=token)
        queue_email(user.email, "reset_password", user.locale, user=user, link=link)
    else:
        queue_email(address, "reset_no_account", None, link=external_url("auth.login"))
