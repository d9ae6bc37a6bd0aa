"""A protocol version as a reader sees it in a language.

Segment by segment from the version's catalog in that language (``translation.py``), a
segment not translated there shown in English and marked with ``lang="en"``; but the
whole version in English (``held_back``) when any safety-critical segment (a ``::: dose``
block) is untranslated or stale in that language: a language's version is published only
when its doses are translated and current. The version page and the PDF call only
``render_version``.
"""

from dataclasses import dataclass

from app.courses import documents
from app.courses.content.markdown import render
from app.html import sanitise
from app.protocols.models import ProtocolVersion
from app.protocols.translation import source_of

SOURCE_LOCALE = documents.SOURCE_LOCALE


@dataclass(frozen=True)
class RenderedSection:
    key: str
    heading: str  # plain text (autoescaped by templates)
    html: str  # sanitised HTML of the body
    heading_lang: str | None = None  # set when the heading fell back to English


@dataclass(frozen=True)
class RenderedVersion:
    title: str
    scope_html: str
    sections: list[RenderedSection]
    locale: str  # the language shown
    held_back: bool  # asked for another language, shown in English for safety
    title_lang: str | None = None  # set when the title fell back to English
    critical_missing: int = 0  # safety-critical segments to translate (when held back)


def _keep(text: str) -> tuple[str, str | None]:
    return text, None


def render_version(version: ProtocolVersion, locale: str) -> RenderedVersion:
    """``version`` in ``locale`` where its catalog allows, else in English."""
    if not locale or locale == SOURCE_LOCALE:
        return _rendered(version, _keep, SOURCE_LOCALE, False, 0)
    source = source_of(version)
    catalog = documents.catalog_of(source, locale)
    if documents.held_back(source, catalog):
        missing = documents.coverage(source, catalog).critical_missing
        return _rendered(version, _keep, SOURCE_LOCALE, True, missing)
    return _rendered(version, documents.translator(source, catalog), locale, False, 0)


def _rendered(version, translate, locale: str, held: bool, missing: int) -> RenderedVersion:
    title, title_lang = _plain(version.title, translate)
    sections = []
    for section in version.sections:
        heading, heading_lang = _plain(section.heading, translate)
        html = _html(section.body, translate)
        sections.append(RenderedSection(section.key, heading, html, heading_lang))
    scope = _html(version.scope or "", translate)
    return RenderedVersion(title, scope, sections, locale, held, title_lang, missing)


def _plain(text: str, translate) -> tuple[str, str | None]:
    """A one-line text through ``translate`` (blank text as it is)."""
    return translate(text) if text.strip() else (text, None)


def _html(markdown: str, translate) -> str:
    html, _stats = render(markdown, translate, "")
    return sanitise(html)
