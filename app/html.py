"""The one HTML allow-list for course content and anything people write.

Markdown is rendered with raw HTML switched off, then the result goes through bleach with
this list, so a ``<script>`` or an ``onerror=`` in a lesson or a translation can never
reach a page.
"""

import bleach

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "aside",
        "blockquote",
        "br",
        "caption",
        "code",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "img",
        "mark",
        "ol",
        "p",
        "pre",
        "source",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "track",
        "ul",
        "video",
    }
)

# ``lang`` marks passages shown in a fallback language.
ALLOWED_ATTRIBUTES = {
    **{tag: ["lang"] for tag in ("h2", "h3", "h4", "h5", "h6", "li", "blockquote")},
    "a": ["href", "title", "download"],
    "abbr": ["title"],
    "img": ["src", "alt", "title"],
    "aside": ["class", "aria-label"],
    "div": ["class"],
    "p": ["class", "lang"],
    "span": ["class", "data-label"],
    "mark": ["class"],
    "details": ["class"],
    "td": ["align", "lang"],
    "th": ["align", "scope", "lang"],
    "ol": ["start"],
    "video": ["controls", "preload", "src", "width", "height"],
    "source": ["src", "type"],
    "track": ["kind", "src", "srclang", "label", "default"],
}

ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def sanitise(html: str) -> str:
    """``html`` with everything outside the allow-list removed (tags, attributes, URLs)."""
    return bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )


def plain_text(text: str) -> str:
    """User text with every tag removed and the rest escaped (bleach): safe to show as
    HTML, and what the reader sees is what was checked."""
    return bleach.clean(text, tags=set(), strip=True)
