"""Lesson Markdown: one parser, segments for translation, and rendering in a language.

CommonMark with tables and the callout containers of courses/README.md; raw HTML off.
A *segment* is the inline text of one paragraph, heading, list item or table cell: the
unit a translator translates and that turns stale on its own when its source changes.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

CALLOUTS = ("key-point", "warning", "dose", "case", "transcript")
CRITICAL_CALLOUT = "dose"
FILES_PREFIX = "files/"
EXTERNAL_SCHEMES = ("https://", "http://", "mailto:")
CONTAINER_LINE = re.compile(r"^\s*:::+\s*(\S*)")
# Numbers a clinician might act on; they belong inside a ::: dose block.
DOSE_PATTERN = re.compile(
    r"\b\d+(?:[.,]\d+)?\s*(?:mg|mcg|micrograms?|µg|mL|ml|mmol|units?/kg|mg/kg)\b"
)


@dataclass(frozen=True)
class Segment:
    """A translatable piece of text, where it stands, and whether it is safety-critical."""

    text: str
    kind: str  # title, heading, paragraph, list-item, table-cell, caption
    line: int  # 1-based line in its file
    critical: bool = False


@dataclass
class RenderStats:
    """How a rendering used the translations."""

    total: int = 0
    fallback: int = 0  # segments shown in another language than the one asked for


# A translator maps a source segment to (text to show, language of a fallback or None).
Translator = Callable[[str], tuple[str, str | None]]


@cache
def parser() -> MarkdownIt:
    """The one Markdown parser for course content."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    md.use(front_matter_plugin)
    for name in CALLOUTS:
        md.use(container_plugin, name=name, render=_render_callout)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("table_close", _render_table_close)
    md.add_render_rule("image", _render_image)
    return md


def _render_callout(renderer, tokens, idx, options, env):
    token = tokens[idx]
    # container_<name>_open / container_<name>_close (a closing token has no info)
    name = token.type.removeprefix("container_").rsplit("_", 1)[0]
    if name == "transcript":
        if token.nesting == 1:
            return (
                '<details class="transcript">'
                '<summary><span data-label="transcript"></span></summary>\n'
            )
        return "</details>\n"
    if token.nesting == 1:
        return (
            f'<aside class="callout callout-{name}">'
            f'<p class="callout-title"><span data-label="{name}"></span></p>\n'
        )
    if name == CRITICAL_CALLOUT:
        return '<p class="callout-note"><span data-label="formulary"></span></p></aside>\n'
    return "</aside>\n"


def _render_table_open(renderer, tokens, idx, options, env):
    """Wide tables scroll inside their own box on a phone, never the page."""
    return '<div class="table-wrap">' + renderer.renderToken(tokens, idx, options, env)


def _render_table_close(renderer, tokens, idx, options, env):
    return renderer.renderToken(tokens, idx, options, env) + "</div>"


def course_file_url(href: str, env: dict) -> str:
    """Turn ``files/x.pdf`` into the course's download address; leave others alone."""
    if href.startswith(FILES_PREFIX):
        return env.get("files_base", "/files") + "/" + href[len(FILES_PREFIX) :]
    return href


def _render_link_open(renderer, tokens, idx, options, env):
    token = tokens[idx]
    token.attrSet("href", course_file_url(token.attrGet("href") or "", env))
    return renderer.renderToken(tokens, idx, options, env)


def _render_image(renderer, tokens, idx, options, env):
    token = tokens[idx]
    token.attrSet("src", course_file_url(token.attrGet("src") or "", env))
    return renderer.image(tokens, idx, options, env)


def segments_of(tokens) -> list[Segment]:
    """The segments of a parsed lesson (``parser().parse(source)``), in order."""
    return [segment for segment, _token in _inline_segments(tokens)]


def _inline_segments(tokens):
    """(Segment, inline token) for every translatable inline token."""
    stack: list[str] = []
    for token in tokens:
        if token.nesting == 1:
            stack.append(token.type)
        elif token.nesting == -1:
            stack.pop()
        elif token.type == "inline" and token.content.strip():
            segment = Segment(
                text=token.content,
                kind=_kind(stack),
                line=(token.map[0] + 1) if token.map else 1,
                critical=f"container_{CRITICAL_CALLOUT}_open" in stack,
            )
            yield segment, token


def _kind(stack: list[str]) -> str:
    parent = stack[-1] if stack else ""
    if parent == "heading_open":
        return "heading"
    if parent in ("th_open", "td_open"):
        return "table-cell"
    if "list_item_open" in stack:
        return "list-item"
    return "paragraph"


def render(
    source: str, translate: Translator, files_base: str, mark=None
) -> tuple[str, RenderStats]:
    """Render a lesson body, each segment through ``translate``; HTML is not yet sanitised.

    A passage shown in a fallback language is marked with its ``lang`` (screen readers
    pronounce it right). ``mark(source text)`` may name a class for a segment, which is
    then wrapped in ``<mark class=…>`` (the translator's preview: stale, missing).
    """
    md = parser()
    env = {"files_base": files_base}
    tokens = md.parse(source, env)
    stats = RenderStats()
    for segment, token in _inline_segments(tokens):
        shown, fallback_locale = translate(segment.text)
        stats.total += 1
        if fallback_locale is not None:
            stats.fallback += 1
            _mark_language(tokens, tokens.index(token), fallback_locale)
        if shown != segment.text:
            token.content = shown
            token.children = md.parseInline(shown, env)[0].children
        if mark is not None and (label := mark(segment.text)):
            token.children = [_html(f'<mark class="{label}">'), *token.children, _html("</mark>")]
    return md.renderer.render(tokens, md.options, env), stats


def _html(content: str) -> Token:
    token = Token("html_inline", "", 0)
    token.content = content
    return token


def render_inline(text: str, translate: Translator) -> tuple[str, str | None]:
    """Render one inline segment (a quiz choice); returns (HTML, fallback language)."""
    shown, fallback_locale = translate(text)
    return parser().renderInline(shown), fallback_locale


def _mark_language(tokens, index: int, locale: str) -> None:
    """Set ``lang`` on the visible block that holds the inline token at ``index``."""
    for opening in reversed(tokens[:index]):
        if opening.nesting == 1 and not opening.hidden:
            opening.attrSet("lang", locale.replace("_", "-"))
            return


@lru_cache(maxsize=65536)
def markup_signature(text: str) -> tuple[str, ...]:
    """What a translation must keep of a segment: its inline markup, links and code."""
    children = parser().parseInline(text)[0].children or []
    signature = []
    for token in children:
        if token.type in ("text", "softbreak", "hardbreak"):
            continue
        detail = token.attrGet("href") or token.attrGet("src") or ""
        if token.type == "code_inline":
            detail = token.content
        signature.append(f"{token.type}:{detail}")
    return tuple(sorted(signature))


def front_matter(tokens) -> tuple[str | None, int]:
    """The front matter text of a parsed lesson and the lines it spans (with fences)."""
    for token in tokens[:1]:
        if token.type == "front_matter":
            return token.content, token.map[1] if token.map else 0
    return None, 0
