"""Background work for accounts: the password-reset e-mail.

The reset request only queues ``send_reset_link`` with the address typed, whatever it is;
the task looks the account up and queues the e-mail. So the request does the same work,
and takes the same time, whether or not the address has an account.
"""

from app.auth import services
from app.extensions import db
from app.notifications.outbox import queue_email
from app.tasks import task
from app.urls import external_url


@task()
def send_reset_link(email: str) -> None:
    """E-mail a reset link to ``email`` if an active account uses it; nothing otherwise."""
    user = services.get_user_by_email(email)
    if user is None or not user.active:
        return
    token = services.make_reset_token(user)
    link = external_url("auth.reset_password", token=token)
    queue_email(user.email, "reset_password", user.locale, user=user, link=link)
    db.session.commit()
