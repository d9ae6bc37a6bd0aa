"""Checks on what authors and reviewers write: plain-text fields (title, heading, notes)
refuse markup; section bodies and the scope are Markdown in the lessons' dialect
(``::: dose`` blocks included, raw HTML off) and refuse HTML tags outright, and every
number that looks like a dose must stand inside a ``::: dose`` block, so that
translations treat it as safety-critical. Each message names the field or section."""

import re

from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app.courses.content.markdown import DOSE_PATTERN, parser, render, segments_of
from app.courses.labels import fill_labels
from app.exceptions import ValidationFailed
from app.html import sanitise

# A tag or comment (``<script>``, ``</div>``, ``<!--``); not an autolink (<https://…>)
# nor a comparison ("< 5 mg").
TAG = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(?:\s[^>]*)?/?>|<!--|<\s*script", re.I)
MAX_BODY = 50_000
MAX_NOTE = 5_000


def plain(value: str, label, field: str, maximum: int = 200, required: bool = True) -> str:
    """``value`` trimmed, or ValidationFailed naming ``label`` (empty, too long, markup)."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(_l("%(field)s: this field is required.", field=label), field)
    if len(value) > maximum:
        raise ValidationFailed(
            _l("%(field)s: at most %(max)d characters.", field=label, max=maximum), field
        )
    if "<" in value and (">" in value or TAG.search(value)):
        raise ValidationFailed(
            _l("%(field)s: plain text only, without “<” or “>” markup.", field=label), field
        )
    return value


def markdown(body: str, where: str, field: str = "body") -> str:
    """A Markdown body (a section's, the scope) checked: no HTML, doses in dose blocks.
    ``where`` names it in messages (the section's heading, "Scope")."""
    body = (body or "").replace("\r\n", "\n").strip()
    if len(body) > MAX_BODY:
        raise ValidationFailed(
            _l("%(section)s: at most %(max)d characters.", section=where, max=MAX_BODY), field
        )
    for number, line in enumerate(body.split("\n"), start=1):
        if TAG.search(line):
            raise ValidationFailed(
                _l(
                    "%(section)s, line %(line)d: HTML is not allowed (found “%(tag)s”). "
                    "Write Markdown: ## headings, lists, **bold**, ::: dose blocks.",
                    section=where,
                    line=number,
                    tag=TAG.search(line).group(0)[:40],
                ),
                field,
            )
    for segment in segments_of(parser().parse(body)):
        found = DOSE_PATTERN.search(segment.text)
        if found and not segment.critical:
            raise ValidationFailed(
                _l(
                    "%(section)s, line %(line)d: “%(dose)s” looks like a dose or conversion "
                    "outside a “::: dose” block. Put doses, conversions and routes inside "
                    "one, so that every translation of them is checked: nothing was saved.",
                    section=where,
                    line=segment.line,
                    dose=found.group(0),
                ),
                field,
            )
    return body


def html(text: str, labels: bool = True) -> Markup:
    """A draft's Markdown as safe HTML, callout titles filled in unless ``labels`` is
    False (drafts are shown in their authors' words; published versions go through
    ``rendering``)."""
    rendered, _stats = render(text or "", lambda segment: (segment, None), "")
    safe = sanitise(rendered)
    return fill_labels(safe) if labels else Markup(safe)  # noqa: S704 - sanitised
