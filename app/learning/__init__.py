"""The learner's journey through a course: enrolment, lesson progress, completion of the
course's rule, certificates and knowledge gain.

One entry point decides completion: :func:`app.learning.completion.record_progress`. A
rule's clauses (lessons done, quizzes passed, workshop sessions attended, …) are small
checkers registered by the package that owns each fact (``register_clause``), so this
package imports none of them. ``complete_lesson``, ``submit_attempt`` and recording
attendance all return an :class:`~app.learning.completion.Outcome`; views only show it.
"""

from flask import Blueprint

bp = Blueprint("learning", __name__)


def init_app(app) -> None:
    """Register this package with ``app``: its blueprint (the certificate pages), its
    tables and the ``lessons`` clause."""
    from app.learning import access, list_views, models, progress, views  # noqa: F401

    app.register_blueprint(bp)
