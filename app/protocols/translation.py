"""Protocol versions as documents translators translate (``app/courses/documents.py``):
one catalog per version and language, segment by segment (title, scope, each section's
heading and body), its ``::: dose`` blocks safety-critical.

Translators are offered the *published* versions only: a published version is fixed, so a
translation made for it stays true, and every signed-in person may read it (a draft is
readable by its authors and reviewers only, and changes under the translator's hands).
A new version ``inherits`` the catalog of the published version before it, so when it is
published only the segments that changed turn stale; the current draft can be
translated once it is published, with nothing lost.
"""

from flask import url_for
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError

from app.courses import documents
from app.courses.documents import DocumentKind, DocumentSource
from app.protocols import translation_queries as queries
from app.protocols.models import ProtocolVersion, VersionState

KIND = "protocol"


def document_id(version: ProtocolVersion) -> str:
    return f"{KIND}:{version.id}"


def source_of(version: ProtocolVersion) -> DocumentSource:
    """The version's translatable segments, in reading order, located by section."""
    segments = documents.plain_segment("title", version.title, "title")
    segments += documents.markdown_segments("scope", version.scope or "")
    for section in version.sections:
        where = f"section-{section.key}"
        segments += documents.plain_segment(where, section.heading, "heading")
        segments += documents.markdown_segments(where, section.body or "")
    previous = queries.previous_published_id(version)
    return DocumentSource(
        id=document_id(version),
        title=_title(version),
        segments=tuple(segments),
        link=_link(version),
        inherits=f"{KIND}:{previous}" if previous else None,
    )


def _title(version: ProtocolVersion) -> str:
    if version.number is None:
        return version.title
    return f"{version.title} (v{version.number})"


def _link(version: ProtocolVersion) -> str:
    """Where a translator reads the version (the protocol page, when in a request)."""
    for endpoint, values in (
        ("protocols.version", {"slug": version.protocol.slug, "number": version.number}),
        ("protocols.current", {"slug": version.protocol.slug}),
    ):
        try:
            return url_for(endpoint, **values)
        except (BuildError, RuntimeError):
            continue
    return ""


def list_sources() -> list[DocumentSource]:
    """Every published version (drafts are not offered: see the module's docstring)."""
    return [source_of(version) for version in queries.list_published_versions()]


def load_source(document: str) -> DocumentSource | None:
    """``protocol:<id>`` of a published version, else None."""
    _kind, _sep, key = document.partition(":")
    version = queries.get_version(int(key)) if key.isdigit() else None
    if version is None or version.state != VersionState.PUBLISHED:
        return None
    return source_of(version)


documents.register_documents(
    DocumentKind(
        name=KIND,
        label=lambda: str(_l("Protocols")),
        list_sources=list_sources,
        load_source=load_source,
    )
)
