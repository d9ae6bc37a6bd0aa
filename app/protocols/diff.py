"""The difference between two versions of a protocol, section by section (matched by
key): sections added, removed or changed, with the changed words marked ``<ins>`` and
``<del>``. Every piece of text is escaped before it is marked, so the result is safe."""

import difflib
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from app.protocols.models import ProtocolVersion

WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class SectionChange:
    key: str
    heading: str
    status: str  # added, removed, changed, same
    heading_changed: bool
    html: Markup  # the body with its changes marked


def compare(older: ProtocolVersion, newer: ProtocolVersion) -> list[SectionChange]:
    """Each section of either version, in the newer's order, then the removed ones."""
    before = {s.key: s for s in older.sections}
    after = {s.key: s for s in newer.sections}
    changes = []
    for key, section in after.items():
        old = before.get(key)
        if old is None:
            changes.append(SectionChange(key, section.heading, "added", False,
                                         marked("", section.body)))  # fmt: skip
            continue
        same = old.body == section.body and old.heading == section.heading
        changes.append(
            SectionChange(
                key,
                section.heading,
                "same" if same else "changed",
                old.heading != section.heading,
                marked(old.body, section.body),
            )
        )
    for key, section in before.items():
        if key not in after:
            changes.append(SectionChange(key, section.heading, "removed", False,
                                         marked(section.body, "")))  # fmt: skip
    return changes


def marked(old: str, new: str) -> Markup:
    """``new`` with words removed from ``old`` in <del> and added ones in <ins>."""
    a, b = WORDS.findall(old or ""), WORDS.findall(new or "")
    parts = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(Markup("<del>%s</del>") % "".join(a[i1:i2]))
        if j2 > j1:
            parts.append(Markup("<ins>%s</ins>") % "".join(b[j1:j2]))
    return Markup("").join(parts)


def counts(changes: list[SectionChange]) -> dict[str, int]:
    result = {"added": 0, "removed": 0, "changed": 0, "same": 0}
    for change in changes:
        result[change.status] += 1
    return result
