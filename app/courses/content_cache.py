"""What the lesson page shows of a course's content, kept in each process by content version.

A course's content changes only when it is imported; what the lesson page shows of it
(the outline, a lesson rendered in one language, the protocols a lesson teaches) is kept in
a small bounded cache in each process, keyed by a *content version* read from the database
in the query the page makes anyway: the course's ``content_hash`` and ``imported_at``
(every import that changes anything sets both, in the same transaction as the rows), plus
what other packages register (``register_version_part``: the published protocols, whose
titles the page lists). A worker or server that has not seen an import yet reads the old
version and keeps serving the old content until its next request reads the new one; no
invalidation message is ever needed, so correctness never depends on a shared cache, and
a cache that is lost (a recycled worker) only costs a rebuild.
"""

from collections.abc import Callable

from sqlalchemy import ColumnElement

from app.process_cache import BoundedCache

# Scalar SQL expressions (correlated to ``courses`` or not) whose values join the course's
# content version: a package above courses whose rows the lesson page shows registers one.
VersionPart = Callable[[], ColumnElement]
_VERSION_PARTS: list[VersionPart] = []


def register_version_part(part: VersionPart) -> None:
    """Add ``part()`` (a scalar SQL expression) to every course's content version."""
    if part not in _VERSION_PARTS:
        _VERSION_PARTS.append(part)


def version_columns() -> list[ColumnElement]:
    """The registered parts of the content version, as columns to select beside a course."""
    return [part().label(f"version_part_{n}") for n, part in enumerate(_VERSION_PARTS)]


# Outlines: one entry per course and version (a few KB each). Rendered lessons: one per
# lesson, language and version (~10-20 KB of HTML each): 400 entries stay under ~8 MB.
outlines = BoundedCache(64)
rendered_lessons = BoundedCache(400)
