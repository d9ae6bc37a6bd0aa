"""A protocol version as a reader sees it in a language.

Owned by the translation part: today English only (the source); it becomes the
translated version, whole in English when a safety-critical segment is untranslated or
stale in the reader's language. The version page and the PDF call only ``render_version``.
"""

from dataclasses import dataclass

from app.courses.content.markdown import render
from app.html import sanitise
from app.protocols.models import ProtocolVersion


@dataclass(frozen=True)
class RenderedSection:
    key: str
    heading: str  # plain text (autoescaped by templates)
    html: str  # sanitised HTML of the body


@dataclass(frozen=True)
class RenderedVersion:
    title: str
    scope_html: str
    sections: list[RenderedSection]
    locale: str  # the language shown
    held_back: bool  # asked for another language, shown in English for safety


def render_version(version: ProtocolVersion, locale: str) -> RenderedVersion:
    """``version`` in ``locale`` where its catalog allows, else in English."""
    keep = lambda text: (text, None)  # noqa: E731
    sections = [
        RenderedSection(section.key, section.heading, _html(section.body, keep))
        for section in version.sections
    ]
    return RenderedVersion(version.title, _html(version.scope, keep), sections, "en", False)


def _html(markdown: str, translate) -> str:
    html, _stats = render(markdown, translate, "")
    return sanitise(html)
