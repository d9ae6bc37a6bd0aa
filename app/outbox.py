"""Forms that may be sent later: the device's outbox and the ``submission_key``.

An offline-capable form ("Mark as complete", a quiz attempt's submit, a logbook day)
carries a hidden ``submission_key``: made by the server when it renders the form and
replaced by the page's script with one made on the device. The server accepts each
(person, key) once (``app/learning/receipts.py``), so a form sent twice is stored once.

When the service worker replays a form from its outbox it adds the header
``X-Palliare-Outbox: 1`` and reads a JSON answer (``reply``) instead of a page:
``{"status": "stored"|"duplicate"|"refused"|"signed_out", "message": str, "url": str|null}``.
"""

import re
import uuid

from flask import flash, jsonify, redirect, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.exceptions import ValidationFailed

FIELD = "submission_key"
# Whose form it is: the signed-in person's id, rendered into the form (a shared phone's
# outbox may hold several people's forms; each is sent only in its owner's session).
OWNER_FIELD = "offline_owner"
SIGNED_OUT_MARK = "offline_signed_out"  # session: whose stored pages the device forgets
HEADER = "X-Palliare-Outbox"
# Made on a device (crypto.randomUUID, base64url) or by the server (uuid4 hex).
KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")
STATUSES = ("stored", "duplicate", "refused", "signed_out")


class MalformedKey(ValidationFailed):
    """The form's ``submission_key`` is not 8 to 64 letters, digits, ``-`` or ``_``."""


def new_key() -> str:
    """A key for a form the server renders (the page's script replaces it on a device)."""
    return uuid.uuid4().hex


def read_key(form) -> str | None:
    """The form's ``submission_key``; None when the form has none (today's behaviour).
    Raises MalformedKey, naming the field, for anything else."""
    key = form.get(FIELD)
    if key is None or key == "":
        return None
    if not KEY.fullmatch(key):
        raise MalformedKey(
            _l(
                "The form's field %(field)s must be 8 to 64 letters, digits, “-” or “_”.",
                field=FIELD,
            ),
            FIELD,
        )
    return key


def key_or_none(form) -> str | None:
    """The form's well-formed key, to render again with a refused form (nothing was
    stored under it, so sending it again is still one sending); else None."""
    try:
        return read_key(form) if form is not None else None
    except MalformedKey:
        return None


def is_outbox_request() -> bool:
    """Whether this request is a form replayed from a device's outbox."""
    return request.headers.get(HEADER) == "1"


def reply(status: str, message, url: str | None, http_status: int = 200):
    """The JSON answer to an outbox request."""
    assert status in STATUSES, status
    response = jsonify(status=status, message=str(message or ""), url=url)
    response.status_code = http_status
    response.headers["Cache-Control"] = "no-store"
    return response


def signed_out_reply():
    """401 for an outbox request (or a JSON-only view) from someone signed out: the
    device keeps the form and sends it after the next sign-in."""
    return reply("signed_out", _l("Sign in to send what is waiting on this device."), None, 401)


def json_when_signed_out(view):
    """Mark a view whose signed-out visitors get ``signed_out_reply`` (not the sign-in
    page): a script, not a person, asks for it."""
    view.json_when_signed_out = True
    return view


def refusal(message, http_status: int):
    """A refused form: JSON for the outbox, else the error page with ``message``."""
    if is_outbox_request():
        return reply("refused", message, None, http_status)
    from app.errors import render_error  # errors.py imports this module

    return render_error(http_status, message)


def answer(status: str, url: str, message, category: str = "success"):
    """The answer to an accepted form (``stored``) or a repeat of one (``duplicate``):
    JSON for the outbox; else the message flashed and a redirect (303) to ``url``."""
    if is_outbox_request():
        return reply(status, message, url)
    if message:
        flash(str(message), category if status == "stored" else "info")
    return redirect(url, 303)


def refuse_another_owner():
    """``before_request`` hook (after the access policy): a form whose ``offline_owner``
    names someone other than the signed-in person is refused, 409, before any view runs.
    A shared device must never send one person's form in another's session; the device
    checks this too, this is the defence in depth. A form without the field: as before."""
    owner = request.form.get(OWNER_FIELD) if request.method == "POST" else None
    if owner is None or owner == "":
        return None
    if current_user.is_authenticated and owner == str(current_user.id):
        return None
    return refusal(
        _l(
            "This form was filled in by another account on this device: it was not stored. "
            "It is sent when that account signs in."
        ),
        409,
    )


def mark_signed_out(user_id: int) -> None:
    """Remember, for the next page, that ``user_id`` signed out: that page tells the
    device to delete the person's stored pages (``signed_out_mark``)."""
    session[SIGNED_OUT_MARK] = str(user_id)


def signed_out_mark() -> str:
    """The id of the person who just signed out on this browser (once), else ""."""
    return session.pop(SIGNED_OUT_MARK, "")


def downloading() -> bool:
    """Whether the page is being stored for offline reading (header
    ``X-Palliare-Offline: download``), not read: such a request records no visit."""
    return request.headers.get("X-Palliare-Offline") == "download"
