"""What the translators' pages of documents written in the app show and accept (any
registered kind: protocol versions, library videos): coverage per language, a
document's stale and missing segments (critical first), typed translations checked
segment by segment before ``documents.save_translations`` stores them."""

import io
from dataclasses import dataclass

from babel.messages.pofile import read_po, write_po

from app.courses import documents
from app.courses.content.catalogs import CRITICAL_COMMENT, SegmentIndex, read_catalog
from app.courses.content.problems import ProblemList
from app.courses.content.provenance import previous_sources
from app.courses.documents import DocumentSource


@dataclass(frozen=True)
class DocumentEntry:
    """One segment of a document's catalog, as the page shows it."""

    number: int  # its place on the page (the form's field names)
    location: str  # where it stands in the document (section-dosing, cue-12)
    source: str
    previous: str | None  # the source the translation was made for (when stale)
    translation: str
    critical: bool


@dataclass(frozen=True)
class DocumentRow:
    """A document's coverage in one language (the overview)."""

    kind: str
    kind_label: str
    source: DocumentSource
    locale: str
    coverage: documents.Coverage
    held_back: bool


def overview_rows(languages: list[str]) -> list[DocumentRow]:
    """Every registered document in each of ``languages``, held-back ones first."""
    rows = []
    for kind in documents.KINDS.values():
        for source in kind.list_sources():
            for locale in languages:
                catalog = documents.catalog_of(source, locale)
                rows.append(
                    DocumentRow(
                        kind.name,
                        kind.label(),
                        source,
                        locale,
                        documents.coverage(source, catalog),
                        documents.held_back(source, catalog),
                    )
                )
    return sorted(rows, key=lambda row: (not row.held_back, row.kind, row.source.title, row.locale))


def stale_and_missing(source: DocumentSource, locale: str):
    """The stale entries (old source, new source, translation) and the missing ones,
    safety-critical first, then in reading order."""
    text = documents.catalog_text(source, locale)
    previous = previous_sources(text)
    order = {segment.text: n for n, (_where, segment) in enumerate(source.segments)}
    where = {segment.text: location for location, segment in reversed(source.segments)}
    stale, missing = [], []
    for message in read_po(io.BytesIO(text.encode("utf-8")), locale=locale):
        if not message.id or message.id not in order:
            continue
        translation = message.string if isinstance(message.string, str) else ""
        entry = DocumentEntry(
            number=order[message.id],
            location=where[message.id],
            source=message.id,
            previous=previous.get(message.id),
            translation=translation,
            critical=CRITICAL_COMMENT in message.auto_comments,
        )
        if message.fuzzy:
            stale.append(entry)
        elif not translation:
            missing.append(entry)
    by_risk = lambda entry: (not entry.critical, entry.number)  # noqa: E731
    return sorted(stale, key=by_risk), sorted(missing, key=by_risk)


def problems_by_segment(
    source: DocumentSource, locale: str, typed: dict[str, str]
) -> dict[str, list[str]]:
    """Each typed translation's problems, by its source text (empty: all may be saved):
    the checks ``save_translations`` makes, placed next to the segment they concern."""
    catalog = read_po(
        io.BytesIO(documents.catalog_text(source, locale).encode("utf-8")), locale=locale
    )
    for text, translation in typed.items():
        message = catalog.get(text)
        if message is None:
            continue
        message.string = translation.strip()
        message.flags.discard("fuzzy")
        message.previous_id = []
    out = io.BytesIO()
    write_po(out, catalog, width=0, ignore_obsolete=True, include_previous=True)
    text = out.getvalue().decode("utf-8")
    lines = {
        message.lineno: message.id
        for message in read_po(io.BytesIO(text.encode("utf-8")), locale=locale)
        if message.id
    }
    found = ProblemList()
    read_catalog(text, locale, source.id, found, SegmentIndex.of(source.id, source.segments))
    problems: dict[str, list[str]] = {}
    for problem in found.sorted():
        msgid = lines.get(problem.line, "")
        problems.setdefault(msgid, []).append(problem.message)
    return problems
