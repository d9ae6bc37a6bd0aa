"""Error pages in the visitor's language, with the right status code."""

from contextlib import suppress

from flask import current_app, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from app.exceptions import PermissionDenied
from app.extensions import db
from app.locales import html_lang, text_direction
from app.outbox import is_outbox_request, reply

# What a database that is restarting or failing over raises (a closed connection too).
UNREACHABLE = (OperationalError, InterfaceError, DisconnectionError)

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    401: (_l("Sign in first"), _l("This page is for people who have signed in.")),
    403: (_l("Not allowed"), _l("Your account may not see this page.")),
    404: (_l("Page not found"), _l("There is no page at this address.")),
    405: (_l("Not allowed"), _l("This page cannot be used this way.")),
    410: (
        _l("No longer available"),
        _l("What was here has been withdrawn and is not offered any more."),
    ),
    413: (_l("Too large"), _l("The file or form you sent is too large.")),
    429: (
        _l("Too many attempts"),
        _l("Too many attempts. Please wait a minute and try again."),
    ),
    500: (_l("Something went wrong"), _l("An error occurred. It has been logged.")),
}
UNAVAILABLE = (
    _l("Back in a moment"),
    _l("Palliare cannot reach its database just now. Please try again in a few seconds."),
)
# Seconds a client should wait before trying again while the database is unreachable.
RETRY_AFTER = "5"


UNAVAILABLE_PAGE = """<!doctype html>
<html lang="{lang}" dir="{dir}"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><main><h1>{title}</h1><p>{message}</p></main></html>"""


def _rollback_quietly() -> None:
    with suppress(*UNREACHABLE):  # the connection is gone; the pool replaces it
        db.session.rollback()


def render_error(status: int, detail=None):
    """The error page for ``status``."""
    title, message = _words_for(status)
    return render_template(
        "errors/error.html", title=title, message=detail or message, status=status
    ), status


def _words_for(status: int):
    """The title and message for ``status``: its own, else its class's (4xx: the request,
    5xx: ours), so that no status ever falls back to an English framework page."""
    if status in MESSAGES:
        return MESSAGES[status]
    if status == 503:
        return UNAVAILABLE
    return MESSAGES[400] if 400 <= status < 500 else MESSAGES[500]


def wants_json() -> bool:
    """Whether the client reads JSON rather than pages: the API, or an Accept header that
    prefers JSON to HTML."""
    if request.path.startswith("/api/"):
        return True
    # On a tie the first is best: only a client that prefers JSON gets it.
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == (
        "application/json"
    )


def http_error(error: HTTPException):
    """Every HTTP error (401, 410, 405, 413…): the styled page in the visitor's language,
    or ``{"error": …, "status": …}`` for a JSON client; with the error's own headers
    (Allow on 405, Retry-After on 429, WWW-Authenticate on 401)."""
    if error.response is not None:  # a view built its own answer (the API's 401)
        return error.response
    status = error.code or 500
    if is_outbox_request() and 400 <= status < 500 and status != 429:
        # A device replaying its outbox keeps the form as refused, with this reason
        # (too many requests is not a refusal: the form waits for the next try).
        return reply("refused", _words_for(status)[1], None, status)
    if wants_json():
        _title, message = _words_for(status)
        response = jsonify(error=str(message), status=status)
        response.status_code = status
    else:
        body, status = render_error(status)
        response = current_app.make_response((body, status))
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def permission_denied(error: PermissionDenied):
    """The one answer to a refused object (``auth/permissions``): 404 when the person may
    not know it exists, else 403 with the rule's own message."""
    if is_outbox_request():
        status = 404 if error.hidden else 403
        return reply(
            "refused", (not error.hidden and str(error)) or _words_for(status)[1], None, status
        )
    if error.hidden:
        return render_error(404)
    return render_error(403, str(error) or None)


def csrf_failed(error: CSRFError):
    current_app.logger.warning("CSRF failure: %s", error.description)
    message = _l(
        "The form expired or did not come from this site. Go back, reload the page "
        "and send it again."
    )
    if is_outbox_request():  # the device fetches a fresh token once and sends it again
        return reply("refused", message, None, 400)
    return render_error(400, message)


def database_unavailable(error):
    """The database cannot be reached (a restart, a failover): 503 with Retry-After, so
    that clients and proxies try again instead of reporting a failure. A page of its own:
    the usual layout would ask the database for the signed-in user."""
    current_app.logger.warning("Database unavailable: %s", getattr(error, "orig", error))
    _rollback_quietly()
    # Formatted, not rendered: templates' context processors load the signed-in user.
    page = UNAVAILABLE_PAGE.format(**{key: escape(value) for key, value in _words().items()})
    return page, 503, {"Retry-After": RETRY_AFTER}


def _words() -> dict[str, str]:
    """The 503 page's words in the visitor's language, whose choice may itself need the
    database (their account): English then."""
    try:
        return {
            "title": str(UNAVAILABLE[0]),
            "message": str(UNAVAILABLE[1]),
            "lang": html_lang(),
            "dir": text_direction(),
        }
    except UNREACHABLE:
        _rollback_quietly()
        return {
            "title": "Back in a moment",
            "lang": "en",
            "dir": "ltr",
            "message": "Palliare cannot reach its database just now. "
            "Please try again in a few seconds.",
        }


def rollback_on_error(exception) -> None:
    if exception is not None:
        db.session.rollback()


def register(app) -> None:
    """Attach the handlers to ``app``."""
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(PermissionDenied, permission_denied)
    app.register_error_handler(CSRFError, csrf_failed)
    for unreachable in UNREACHABLE:
        app.register_error_handler(unreachable, database_unavailable)
    app.teardown_request(rollback_on_error)
