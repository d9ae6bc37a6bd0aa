"""Error pages in the visitor's language, with the right status code."""

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from app.extensions import db

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("Not allowed"), _l("Your account may not see this page.")),
    404: (_l("Page not found"), _l("There is no page at this address.")),
    405: (_l("Not allowed"), _l("This page cannot be used this way.")),
    413: (_l("Too large"), _l("The file or form you sent is too large.")),
    429: (
        _l("Too many attempts"),
        _l("Too many attempts. Please wait a minute and try again."),
    ),
    500: (_l("Something went wrong"), _l("An error occurred. It has been logged.")),
}


def render_error(status: int, detail=None):
    """The error page for ``status``."""
    title, message = MESSAGES.get(status, MESSAGES[500])
    return render_template(
        "errors/error.html", title=title, message=detail or message, status=status
    ), status


def register(app) -> None:
    """Attach the handlers to ``app``."""
    for status in MESSAGES:
        app.register_error_handler(status, lambda error, status=status: render_error(status))

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        app.logger.warning("CSRF failure: %s", error.description)
        return render_error(
            400,
            _l(
                "The form expired or did not come from this site. Go back, reload the page "
                "and send it again."
            ),
        )

    @app.teardown_request
    def rollback_on_error(exception):
        if exception is not None:
            db.session.rollback()
