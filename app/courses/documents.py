"""Catalogs of documents written in the app (joint protocols, library videos), kept like
course catalogs: one gettext catalog per document and language, one entry per segment,
identified by its source text, so a changed source segment turns only that segment stale
and a safety-critical segment (a ``::: dose`` block) is checked for its quantities.

A course's catalogs live in its folder and in ``CatalogRevision`` rows; a document has
no folder, so its catalogs are only ``DocumentCatalogRevision`` rows (the latest is the
catalog). Each kind of document registers how to find its documents
(``register_documents``), so the translators' pages (in ``i18n``, above every feature)
list and load them without importing the features.
"""

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from app.courses import queries
from app.courses.content.catalogs import (
    ContentCatalog,
    SegmentIndex,
    build_template,
    merged_text,
    read_catalog,
)
from app.courses.content.markdown import Segment, Translator, parser, segments_of
from app.courses.content.merging import update_catalog
from app.courses.content.problems import ProblemList
from app.courses.models import DocumentCatalogRevision
from app.exceptions import ValidationFailed
from app.extensions import db

SOURCE_LOCALE = "en"


@dataclass(frozen=True)
class DocumentSource:
    """A document's translatable segments as its rows say now.

    ``id`` names its catalogs (``protocol:<version id>``, ``video:<id>``); ``segments``
    are (location, Segment) pairs in reading order, the location being what a translator
    sees beside the entry (``section-dosing``, ``cue-12``)."""

    id: str
    title: str
    segments: tuple[tuple[str, Segment], ...]
    link: str = ""  # where a translator reads the document (a URL), if anywhere
    source_locale: str = SOURCE_LOCALE
    # The document this one continues (a protocol's previous version): until this one
    # has a catalog of its own, that one's latest catalog is brought up to date with
    # these segments, so only the segments that changed between them turn stale.
    inherits: str | None = None

    def located_segments(self) -> Iterable[tuple[str, Segment]]:
        return iter(self.segments)

    def critical(self) -> frozenset[str]:
        return frozenset(segment.text for _where, segment in self.segments if segment.critical)


@dataclass(frozen=True)
class Coverage:
    """How much of a document one language's catalog translates."""

    total: int
    translated: int
    stale: int
    critical_missing: int  # safety-critical segments untranslated or stale

    @property
    def complete(self) -> bool:
        return self.translated == self.total


@dataclass
class DocumentKind:
    """How the translators' pages find one kind of document."""

    name: str
    label: Callable[[], str]  # the kind's name on the page, translated
    list_sources: Callable[[], list[DocumentSource]]
    load_source: Callable[[str], DocumentSource | None]  # by id


KINDS: dict[str, DocumentKind] = {}


def register_documents(kind: DocumentKind) -> None:
    """Make a kind of document known to the translators' pages."""
    KINDS[kind.name] = kind


def load_source(document_id: str) -> DocumentSource | None:
    """The document ``protocol:12`` (say) as its kind loads it, or None."""
    kind = KINDS.get(document_id.split(":", 1)[0])
    return kind.load_source(document_id) if kind else None


def markdown_segments(location: str, text: str) -> list[tuple[str, Segment]]:
    """The segments of a Markdown text (``::: dose`` blocks critical), with a location."""
    return [(location, segment) for segment in segments_of(parser().parse(text))]


def plain_segment(location: str, text: str, kind: str) -> list[tuple[str, Segment]]:
    """A one-line text (a title, a caption cue) as one segment; none if it is blank."""
    return [(location, Segment(text=text, kind=kind, line=1))] if text.strip() else []


def catalog_text(source: DocumentSource, locale: str) -> str:
    """The catalog as translators download it: the latest revision brought up to date
    with the document's segments (changed ones fuzzy, with their old source), or a new
    catalog with every segment untranslated."""
    template = build_template(source.id, source.located_segments())
    revision = queries.latest_document_catalog(source.id, locale)
    if revision is None and source.inherits:
        revision = queries.latest_document_catalog(source.inherits, locale)
    if revision is not None:
        return merged_text(template, revision.content, locale)
    catalog = Catalog(locale=locale, project=source.id, fuzzy=False)
    catalog.revision_date = datetime(2000, 1, 1, tzinfo=UTC)
    update_catalog(catalog, template)
    return _po_text(catalog)


def catalog_of(source: DocumentSource, locale: str) -> ContentCatalog:
    """The usable translations of a document in ``locale``: stale and untranslated
    segments are not translations; a critical one whose quantities differ is refused."""
    segments = SegmentIndex.of(source.id, source.located_segments())
    return read_catalog(catalog_text(source, locale), locale, source.id, ProblemList(), segments)


def translator(source: DocumentSource, catalog: ContentCatalog) -> Translator:
    """Segment by segment: the translation, else the source text marked as a fallback."""

    def translate(text: str) -> tuple[str, str | None]:
        if text in catalog.translations:
            return catalog.translations[text], None
        return text, source.source_locale

    return translate


def coverage(source: DocumentSource, catalog: ContentCatalog) -> Coverage:
    """Counts of the document's segments (each distinct text once) in ``catalog``."""
    texts = {segment.text for _where, segment in source.segments}
    critical = source.critical()
    return Coverage(
        total=len(texts),
        translated=len(texts & catalog.translations.keys()),
        stale=len(texts & catalog.fuzzy),
        critical_missing=len(critical - catalog.translations.keys()),
    )


def held_back(source: DocumentSource, catalog: ContentCatalog) -> bool:
    """Whether the document may not be shown in the catalog's language: a safety-critical
    segment is untranslated or stale there (it is then shown whole in its source)."""
    return bool(source.critical() - catalog.translations.keys())


def save_revision(user, source: DocumentSource, locale: str, text: str) -> DocumentCatalogRevision:
    """A new latest catalog (a checked upload's text) for the document in ``locale``."""
    revision = DocumentCatalogRevision(
        document=source.id, locale=locale, content=text, uploaded_by_id=user.id if user else None
    )
    db.session.add(revision)
    db.session.flush()
    return revision


class TranslationProblems(ValidationFailed):
    """Translations refused, each with why (the segment quoted)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def save_translations(
    user, source: DocumentSource, locale: str, translations: dict[str, str]
) -> DocumentCatalogRevision:
    """Translations typed on a page (source text → translation; an empty one clears
    it): merged into the current catalog, checked as an upload is (placeholders,
    markup, a critical segment's doses and routes), stored as a new revision. Nothing is
    stored if any is refused (``TranslationProblems`` names each)."""
    known = {segment.text: where for where, segment in source.segments}
    catalog = read_po(io.BytesIO(catalog_text(source, locale).encode("utf-8")), locale=locale)
    for text, translation in translations.items():
        if text not in known:
            raise TranslationProblems([f"not a segment of this document: “{text[:60]}”"])
        message = catalog.get(text)
        message.string = translation.strip()
        message.flags.discard("fuzzy")
        message.previous_id = []
    text = _po_text(catalog)
    found = ProblemList()
    read_catalog(text, locale, source.id, found, SegmentIndex.of(source.id, source.segments))
    if found:
        raise TranslationProblems([problem.message for problem in found.sorted()])
    return save_revision(user, source, locale, text)


def _po_text(catalog: Catalog) -> str:
    out = io.BytesIO()
    write_po(out, catalog, width=0, ignore_obsolete=True, include_previous=True)
    return out.getvalue().decode("utf-8")
