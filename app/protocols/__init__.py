"""Joint protocols and practice guidelines: written in the app as sections of Markdown,
reviewed and approved across partner institutions, published as numbered immutable
versions, adapted from one another, translated segment by segment, adopted by
institutions and linked to the lessons that teach them."""

from flask import Blueprint

bp = Blueprint("protocols", __name__)


def init_app(app) -> None:
    """Register this package with ``app``: its blueprint and what its modules attach when
    imported (routes, tables, permission rules)."""
    # One view module per part: reading, writing, the review, publishing, adaptation,
    # adoption; translation registers the protocols' catalogs, tasks the review-by
    # reminders.
    from app.courses.content_cache import register_version_part
    from app.protocols import (  # noqa: F401
        access,
        adaptation_views,
        adoption_access,
        adoption_views,
        authoring_views,
        models,
        publishing_views,
        review_views,
        tasks,
        translation,
        views,
    )
    from app.protocols.adoption_queries import published_versions_column
    from app.protocols.cli import protocols_cli
    from app.protocols.links import lesson_protocols

    app.register_blueprint(bp)
    app.cli.add_command(protocols_cli)
    app.add_template_global(lesson_protocols)  # the lesson page's "protocols it teaches"
    register_version_part(published_versions_column)  # ...whose titles it keeps per version
