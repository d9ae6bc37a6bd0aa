"""Content catalogs: one gettext file per course and language, one entry per segment.

Babel's ``pofile`` reads and writes them, so they stay compatible with Poedit, Lokalize
and Weblate. A fuzzy (stale) or empty entry is not a translation.
"""

import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po
from flask_babel import gettext as _

from app.courses.content.markdown import Segment, markup_signature
from app.courses.content.merging import po_bytes, update_catalog, without_format_flags
from app.courses.content.problems import Problem, ProblemList
from app.courses.content.provenance import borrowed_choices, previous_sources
from app.courses.content.quantities import compare as compare_quantities

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
CRITICAL_COMMENT = "safety-critical: dose, conversion or route - clinician and pharmacist review"


@dataclass
class ContentCatalog:
    """The usable translations of one course into one language."""

    locale: str
    translations: dict[str, str] = field(default_factory=dict)
    fuzzy: set[str] = field(default_factory=set)  # msgids whose translation is stale
    # what learners never see but a translator should know (stale entries borrowed from
    # other segments): shown by ``flask courses validate``, not a reason to fail
    warnings: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class SegmentIndex:
    """What the course's files say about its segments (the catalog's comments may be
    stale or edited): which are safety-critical, and each one's kinds."""

    course: str
    critical: frozenset[str]
    kinds: dict[str, frozenset[str]]

    @classmethod
    def of(cls, course: str, located_segments) -> "SegmentIndex":
        critical, kinds = set(), {}
        for _file, segment in located_segments:
            kinds.setdefault(segment.text, set()).add(segment.kind)
            if segment.critical:
                critical.add(segment.text)
        frozen = {text: frozenset(found) for text, found in kinds.items()}
        return cls(course, frozenset(critical), frozen)


def read_catalog(
    source: Path | str,
    locale: str,
    relative: str,
    problems: ProblemList,
    segments: SegmentIndex | None = None,
):
    """Read and check one ``.po`` file, or a PO text (a catalog revision from the
    database); problems are added, never raised. ``segments`` (the course's) says which
    entries are safety-critical; without it, the catalog's own comments do."""
    data = source.encode("utf-8") if isinstance(source, str) else source.read_bytes()
    catalog = _parse(data, locale, relative, problems)
    result = ContentCatalog(locale)
    if catalog is None:
        return result
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        if message.fuzzy:
            result.fuzzy.add(message.id)
            continue
        if (
            message.string
            and _entry_is_sound(message, relative, problems)
            and _quantities_kept(message, locale, relative, problems, segments)
        ):
            result.translations[message.id] = message.string
    _check_choices(catalog, data, result, relative, problems, segments)
    return result


def _parse(data: bytes, locale: str, relative: str, problems: ProblemList):
    """The catalog, or None with the reason added to ``problems``."""
    try:
        return read_po(io.BytesIO(data), locale=locale, abort_invalid=True)
    except PoFileError as error:
        problems.add(relative, getattr(error, "lineno", 0) + 1, f"invalid PO file: {error}")
    except (ValueError, UnicodeDecodeError) as error:
        problems.add(relative, 1, f"invalid PO file: {error}")
    return None


def _check_choices(
    catalog,
    data: bytes,
    result: ContentCatalog,
    relative: str,
    problems: ProblemList,
    segments: SegmentIndex | None,
) -> None:
    """Quiz choices whose translation could have come from another segment
    (``provenance``): translated ones are problems (and not used), fuzzy ones warnings."""

    def kinds_of(message):
        if segments is not None:
            return segments.kinds.get(message.id, frozenset())
        return frozenset(message.auto_comments[:1])

    previous = previous_sources(data.decode("utf-8", errors="replace"))
    course = segments.course if segments else relative.split("/", 1)[0]
    for finding in borrowed_choices(catalog, kinds_of, previous):
        problem = Problem(relative, finding.line, _borrowed_message(finding, course, result.locale))
        if finding.fuzzy:
            result.warnings.append(problem)
        else:
            problems.add(problem.file, problem.line, problem.message)
            result.translations.pop(finding.msgid, None)


def _borrowed_message(finding, course: str, locale: str) -> str:
    names = {
        "choice": shortened(finding.msgid),
        "course": course,
        "locale": locale,
        "reason": finding.reason,
    }
    if finding.fuzzy:
        return _(
            "stale quiz choice “%(choice)s” (%(course)s, %(locale)s): %(reason)s; a "
            "choice's translation may not come from another segment",
            **names,
        )
    return _(
        "quiz choice “%(choice)s” (%(course)s, %(locale)s): %(reason)s; a "
        "choice's translation may not come from another segment",
        **names,
    )


def _entry_is_sound(message, relative: str, problems: ProblemList) -> bool:
    """A translation must keep its source's placeholders and Markdown markup."""
    line = message.lineno or 1
    if "<" in message.string and "<" not in message.id:
        problems.add(
            relative, line, "the translation contains HTML; use Markdown as the source does"
        )
        return False
    if sorted(PLACEHOLDER.findall(message.id)) != sorted(PLACEHOLDER.findall(message.string)):
        problems.add(relative, line, "the translation's placeholders differ from the source's")
        return False
    if markup_signature(message.id) != markup_signature(message.string):
        problems.add(
            relative,
            line,
            "the translation's markup (links, emphasis, code) differs from the source's",
        )
        return False
    return True


def _is_critical(message, segments: SegmentIndex | None) -> bool:
    if segments is not None:
        return message.id in segments.critical
    return CRITICAL_COMMENT in message.auto_comments


def _quantities_kept(message, locale, relative, problems, segments) -> bool:
    """A safety-critical translation has the same doses, fractions, ratios and times
    as its source (see ``quantities``)."""
    if not _is_critical(message, segments):
        return True
    differences = compare_quantities(message.id, message.string, locale)
    if not differences:
        return True
    course = segments.course if segments else relative.split("/", 1)[0]
    text = _(
        "safety-critical segment “%(segment)s” (%(course)s, %(locale)s): %(differences)s",
        segment=shortened(message.id),
        course=course,
        locale=locale,
        differences="; ".join(differences),
    )
    problems.add(relative, message.lineno or 1, text)
    return False


def shortened(text: str, width: int = 60) -> str:
    """``text`` on one line, cut to about ``width`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def build_template(course_id: str, located_segments) -> Catalog:
    """A catalog template (.pot) of a course: (relative file, Segment) pairs, in order."""
    template = Catalog(project=course_id, charset="utf-8", fuzzy=False)
    template.creation_date = datetime(2000, 1, 1, tzinfo=UTC)  # stable files, clean diffs
    for relative, segment in located_segments:
        _add(template, relative, segment)
    return without_format_flags(template)


def _add(template: Catalog, relative: str, segment: Segment) -> None:
    existing = template.get(segment.text)
    location = (relative, segment.line)
    if existing is not None:
        existing.locations.append(location)
        if segment.critical and CRITICAL_COMMENT not in existing.auto_comments:
            existing.auto_comments.append(CRITICAL_COMMENT)
        return
    comments = [segment.kind] + ([CRITICAL_COMMENT] if segment.critical else [])
    template.add(segment.text, locations=[location], auto_comments=comments)


def write_template(template: Catalog, path: Path) -> None:
    """Write the .pot file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, template, width=0, omit_header=False, sort_output=False)


def merged_text(template: Catalog, text: str, locale: str) -> str:
    """A catalog's text brought up to date with ``template`` (as ``merge_into``), when its
    segments differ from the template's; else ``text`` itself."""
    catalog = read_po(io.BytesIO(text.encode("utf-8")), locale=locale)
    if {m.id for m in catalog if m.id} == {m.id for m in template if m.id}:
        return text
    update_catalog(catalog, template, previous_sources(text))
    return po_bytes(catalog).decode("utf-8")


def merge_into(template: Catalog, path: Path, locale: str) -> None:
    """Update (or create) ``path`` from ``template``; a changed segment turns fuzzy with
    its own previous translation only (``merging``); no format flags are written."""
    previous = {}
    if path.exists():
        data = path.read_bytes()
        catalog = read_po(io.BytesIO(data), locale=locale)
        previous = previous_sources(data.decode("utf-8", errors="replace"))
    else:
        catalog = Catalog(locale=locale, project=template.project, fuzzy=False)
    update_catalog(catalog, template, previous)
    path.write_bytes(po_bytes(catalog))  # "#| msgid": the old source, for the stale list
