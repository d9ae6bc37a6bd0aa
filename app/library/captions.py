"""Caption files: a strict WebVTT reader (every problem listed with its line, nothing
kept from a refused file), the writer of the tracks served, and setting a video's cues.

What is read: the ``WEBVTT`` header; header lines, ``NOTE``, ``STYLE`` and ``REGION``
blocks (ignored); cues with an optional identifier, timings ``hh:mm:ss.ttt`` or
``mm:ss.ttt`` (cue settings after them ignored) and one or more lines of text, joined by
a space. Cue text is plain: WebVTT's own spans (``<v Name>``, ``<i>``, ``<b>``, ``<u>``,
``<c.x>``, ``<lang xx>``, ``<ruby>``/``<rt>``, inner timestamps) are stripped, since a
translator translates words, not markup; any other tag (``<script>``, ``<a href>``) is
refused, as is ``<`` or ``>`` left over."""

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _

from app.auth.models import Role
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.library.models import CaptionCue, Video

MAX_CUES = 2000
MAX_CUE_CHARACTERS = 500
MAX_FILE_BYTES = 512 * 1024

_TIME = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
TIMING = re.compile(rf"^{_TIME}[ \t]+-->[ \t]+{_TIME}(?:[ \t]+.*)?$")
# The spans WebVTT defines, opening or closing, with classes and annotations.
VTT_TAG = re.compile(
    r"</?(?:v|i|b|u|c|lang|ruby|rt)(?:\.[\w.-]*)?(?:[ \t][^<>]*)?>|<\d{2,}:\d{2}:\d{2}\.\d{3}>"
    r"|<\d{2}:\d{2}\.\d{3}>"
)
ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": " ", "&lrm;": "", "&rlm;": ""}


@dataclass(frozen=True)
class Cue:
    """A cue as read or to be written: times in milliseconds and plain text."""

    start_ms: int
    end_ms: int
    text: str


@dataclass(frozen=True)
class Problem:
    line: int  # 1-based; 0 for the whole file
    message: str


class CaptionProblems(ValidationFailed):
    """A caption file refused, with every problem found (each on its line)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


# --- Reading ---------------------------------------------------------------------------


def parse_vtt(data: bytes, duration_ms: int | None = None, max_cues: int = MAX_CUES) -> list[Cue]:
    """The cues of a WebVTT file, or ``CaptionProblems`` naming every problem found."""
    problems: list[Problem] = []
    text = _decoded(data, problems)
    if text is None:
        raise CaptionProblems(problems)
    lines = text.split("\n")
    if not re.match(r"^WEBVTT(?:[ \t].*)?$", lines[0]):
        raise CaptionProblems(
            [Problem(1, _("Line 1: a WebVTT file starts with the line “WEBVTT”."))]
        )
    cues: list[Cue] = []
    for first, block in _blocks(lines):
        cue = _cue(first, block, problems)
        if cue is None:
            continue
        _check_order(cue, cues, first, problems, duration_ms)
        cues.append(cue)
    if not cues and not problems:
        problems.append(Problem(0, _("The file has no cues.")))
    if len(cues) > max_cues:
        message = _("The file has %(count)d cues; at most %(most)d are allowed.")
        problems.append(Problem(0, message % {"count": len(cues), "most": max_cues}))
    if problems:
        raise CaptionProblems(sorted(problems, key=lambda problem: problem.line))
    return cues


def _decoded(data: bytes, problems: list[Problem]) -> str | None:
    if len(data) > MAX_FILE_BYTES:
        message = _("The file is larger than %(size)d KB.") % {"size": MAX_FILE_BYTES // 1024}
        problems.append(Problem(0, message))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = _("Line %(line)d: the file is not UTF-8 text; save it as UTF-8.")
        problems.append(Problem(line, message % {"line": line}))
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _blocks(lines: list[str]) -> Iterable[tuple[int, list[str]]]:
    """(line number of its first line, lines) of each block after the header's."""
    block: list[str] = []
    start = 0
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def _cue(first: int, block: list[str], problems: list[Problem]) -> Cue | None:
    """The cue a block holds, or None for the header, a note, a style, a region or a
    block with a problem (recorded)."""
    if first == 1:  # the header: a cue needs a blank line before it
        for offset, line in enumerate(block):
            if "-->" in line:
                message = _("Line %(line)d: leave a blank line between the header and a cue.")
                problems.append(Problem(first + offset, message % {"line": first + offset}))
        return None
    if re.match(r"^(NOTE|STYLE|REGION)(?:[ \t]|$)", block[0]):
        return None
    timing_at = 1 if "-->" not in block[0] and len(block) > 1 else 0  # an identifier
    timing_line = first + timing_at
    match = TIMING.match(block[timing_at].strip())
    if match is None:
        message = _("Line %(line)d: the timing must read “00:00:01.000 --> 00:00:04.000”.")
        problems.append(Problem(timing_line, message % {"line": timing_line}))
        return None
    start, end = _ms(match.groups()[:4]), _ms(match.groups()[4:])
    text_lines = block[timing_at + 1 :]
    if end <= start:
        message = _("Line %(line)d: the cue ends before it starts (or when it starts).")
        problems.append(Problem(timing_line, message % {"line": timing_line}))
    # A refused text still leaves the timing to be checked against its neighbours.
    text = _plain(text_lines, timing_line + (1 if text_lines else 0), problems)
    return Cue(start, end, text or "")


def _ms(parts) -> int:
    hours, minutes, seconds, millis = parts
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)


def _plain(text_lines: list[str], line: int, problems: list[Problem]) -> str | None:
    """The cue's lines as one line of plain text, or None (a problem recorded)."""
    text = " ".join(part.strip() for part in text_lines if part.strip())
    if not text:
        message = _("Line %(line)d: the cue has no text.")
        problems.append(Problem(line, message % {"line": line}))
        return None
    stripped = VTT_TAG.sub("", text)
    for entity, character in ENTITIES.items():
        stripped = stripped.replace(entity, character)
    if "<" in stripped or ">" in stripped:
        message = _("Line %(line)d: captions are plain text; HTML or markup is not allowed.")
        problems.append(Problem(line, message % {"line": line}))
        return None
    stripped = re.sub(r"\s+", " ", stripped).strip()
    if not stripped:
        message = _("Line %(line)d: the cue has no text.")
        problems.append(Problem(line, message % {"line": line}))
        return None
    if len(stripped) > MAX_CUE_CHARACTERS:
        message = _("Line %(line)d: a cue may have at most %(most)d characters.")
        problems.append(Problem(line, message % {"line": line, "most": MAX_CUE_CHARACTERS}))
        return None
    return stripped


def _check_order(
    cue: Cue, cues: list[Cue], line: int, problems: list[Problem], duration_ms: int | None
) -> None:
    """Cues follow each other: each starts when or after the one before ends."""
    if cues and cue.start_ms < cues[-1].end_ms:
        message = _(
            "Line %(line)d: the cue starts at %(start)s, before the one before it ends "
            "(%(end)s); cues must be in order and must not overlap."
        )
        values = {"line": line, "start": format_time(cue.start_ms)}
        problems.append(Problem(line, message % (values | {"end": format_time(cues[-1].end_ms)})))
    if duration_ms is not None and cue.end_ms > duration_ms:
        message = _("Line %(line)d: the cue ends at %(end)s, after the video (%(length)s).")
        values = {"line": line, "end": format_time(cue.end_ms)}
        problems.append(Problem(line, message % (values | {"length": format_time(duration_ms)})))


# --- Writing ---------------------------------------------------------------------------


def format_time(ms: int) -> str:
    """``3723004`` → ``01:02:03.004`` (WebVTT's timestamp, hours always written)."""
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def format_vtt(cues: Iterable[Cue], lang: dict[int, str] | None = None) -> str:
    """A WebVTT file of ``cues`` (numbered from 1). ``lang`` maps a cue's index to the
    language its text is in when it is not the track's (a fallback), which is then
    wrapped in ``<lang xx>`` (players and screen readers can tell)."""
    out = ["WEBVTT", ""]
    for index, cue in enumerate(cues):
        text = html.escape(cue.text, quote=False)
        if lang and index in lang:
            text = f"<lang {lang[index].replace('_', '-')}>{text}</lang>"
        out += [str(index + 1), f"{format_time(cue.start_ms)} --> {format_time(cue.end_ms)}"]
        out += [text, ""]
    return "\n".join(out)


# --- Setting a video's cues ------------------------------------------------------------


def set_captions(actor, video: Video, data: bytes) -> list[CaptionCue]:
    """An administrator replaces the video's English captions with an uploaded file's."""
    if not actor.has_role(Role.ADMIN):
        raise PermissionDenied(_("Only an administrator may do this."))
    duration = round(video.duration_seconds * 1000) if video.duration_seconds else None
    return set_cues(video, parse_vtt(data, duration))


def set_cues(video: Video, cues: list[Cue]) -> list[CaptionCue]:
    """The video's cues become ``cues``, in one flush: rows at the same position are
    updated in place (the (video, position) key never clashes), extra rows deleted."""
    rows = list(video.cues)
    for position, cue in enumerate(cues, start=1):
        if position <= len(rows):
            row = rows[position - 1]
            row.start_ms, row.end_ms, row.text = cue.start_ms, cue.end_ms, cue.text
        else:
            video.cues.append(
                CaptionCue(
                    position=position, start_ms=cue.start_ms, end_ms=cue.end_ms, text=cue.text
                )
            )
    for row in rows[len(cues) :]:
        video.cues.remove(row)  # delete-orphan
    db.session.flush()
    return list(video.cues)


def cues_of(video: Video) -> list[Cue]:
    """The video's English cues, in order."""
    return [Cue(row.start_ms, row.end_ms, row.text) for row in video.cues]
