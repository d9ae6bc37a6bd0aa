"""Quiz choices whose translation could have come from another segment.

A choice's translation decides what a learner reads as the answer the source keys right
or wrong. The review of issue 17 found choices whose stale translation was another
segment's: "The patient" as «Топ» / 团队 ("the team", the translation of "The care
team"), answers replaced by a lesson's case narrative, a distractor turned into a true
statement. Babel's fuzzy matching (now off, see ``merging``) copied them, and copy and
paste does the same. Two signs are sound and give few false alarms:

1. **The same translation as a segment that says something else.** The choice's
   translation, compared loosely (case, spaces, Markdown emphasis and closing
   punctuation aside), equals the translation of another msgid of the same catalog
   whose source uses other words: its set of content words (articles, prepositions and
   plural -s aside) differs from the choice's. "Myoclonus (sudden muscle jerks)" and
   "**Myoclonus** (sudden jerks of the muscles)" say the same words and may share a
   translation; "Mixed delirium" and "Delirium", "The patient" and "The team" may not.
   A translated choice is compared with the *translated* entries only: a fuzzy entry
   holding the same text was most likely copied *from* it, and is reported itself.
2. **Suggested from another kind of segment.** A fuzzy choice whose previous source
   (``#| msgid``) is a segment still in the course that is not a quiz choice: its
   suggestion came from a paragraph, a heading or a stem, never from this choice.

A translated choice reported so is an error (``flask courses validate`` fails); a fuzzy
one, which learners never see, is a warning, for the translator who would clear the flag.
"""

import re
from dataclasses import dataclass, field

from babel.messages.pofile import denormalize
from flask_babel import gettext as _

CHOICE = "quiz-choice"
_EMPHASIS = re.compile(r"[*_`]+")
_CLOSING = re.compile(r"[\s.,;:!?。，；：！？…]+$")


def loose(text: str) -> str:
    """``text`` for comparing: case, spaces, emphasis and closing punctuation aside."""
    text = _EMPHASIS.sub("", text)
    return _CLOSING.sub("", " ".join(text.split()).casefold())


_STOP_WORDS = frozenset(
    (
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "and",
        "or",
        "as",
        "is",
        "are",
        "be",
        "it",
        "its",
        "their",
        "his",
        "her",
        "this",
        "that",
        "from",
        "into",
    )
)


def words(text: str) -> frozenset[str]:
    """The content words of an English text: no articles, prepositions or plural -s."""
    found = re.findall(r"[a-z0-9]+", loose(text))
    return frozenset(
        w[:-1] if len(w) > 3 and w.endswith("s") else w for w in found if w not in _STOP_WORDS
    )


@dataclass
class Finding:
    """One choice whose translation could have come from another segment."""

    line: int
    msgid: str
    fuzzy: bool
    reason: str


@dataclass
class _Entry:
    msgid: str
    string: str
    fuzzy: bool
    line: int
    kinds: frozenset[str] = field(default_factory=frozenset)


def borrowed_choices(messages, kinds_of, previous: dict[str, str]) -> list[Finding]:
    """The quiz choices among ``messages`` (Babel messages of one catalog) whose
    translation could have come from another segment. ``kinds_of(message)`` gives a
    message's segment kinds; ``previous`` maps msgids to their ``#| msgid``."""
    entries = [
        _Entry(m.id, m.string, bool(m.fuzzy), m.lineno or 1, frozenset(kinds_of(m)))
        for m in messages
        if m.id and isinstance(m.id, str) and isinstance(m.string, str) and m.string
    ]
    kinds = {m.id: frozenset(kinds_of(m)) for m in messages if m.id and isinstance(m.id, str)}
    translated: dict[str, list[_Entry]] = {}
    every: dict[str, list[_Entry]] = {}
    for entry in entries:
        every.setdefault(loose(entry.string), []).append(entry)
        if not entry.fuzzy:
            translated.setdefault(loose(entry.string), []).append(entry)
    findings = []
    for entry in entries:
        if CHOICE not in entry.kinds:
            continue
        pool = (every if entry.fuzzy else translated).get(loose(entry.string), [])
        twin = next((o for o in pool if words(o.msgid) != words(entry.msgid)), None)
        if twin is not None:
            reason = _(
                "its translation is that of “%(other)s” (line %(line)d)",
                other=_short(twin.msgid),
                line=twin.line,
            )
            findings.append(Finding(entry.line, entry.msgid, entry.fuzzy, reason))
            continue
        source = previous.get(entry.msgid)
        if entry.fuzzy and source in kinds and CHOICE not in kinds[source]:
            kind = "/".join(sorted(kinds[source])) or "segment"
            reason = _(
                "its translation was suggested from “%(other)s”, a %(kind)s",
                other=_short(source),
                kind=kind,
            )
            findings.append(Finding(entry.line, entry.msgid, True, reason))
    return findings


def _short(text: str, width: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def previous_sources(text: str) -> dict[str, str]:
    """``{msgid: previous msgid}`` from the ``#| msgid`` comments of a PO file, which
    gettext and Babel write for stale entries (Babel does not read them back)."""
    found, previous, current, target = {}, None, None, None
    for line in text.splitlines():
        if line.startswith("#| msgid "):
            previous, target = [line[9:]], "previous"
        elif line.startswith('#| "') and target == "previous":
            previous.append(line[3:])
        elif line.startswith("msgid "):
            current, target = [line[6:]], "current"
        elif line.startswith('"') and target == "current":
            current.append(line)
        else:
            if line.startswith("msgstr") and previous and current:
                found[denormalize("\n".join(current))] = denormalize("\n".join(previous))
            if not line.startswith("#"):
                previous = None if line.startswith("msgstr") else previous
            target = None
    return found
