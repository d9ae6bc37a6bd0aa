"""Bringing a content catalog up to date with its course's template (.pot).

A segment is identified by its source text (the msgid; content catalogs use no msgctxt),
so a changed paragraph arrives as a new msgid while the old one leaves. Babel's fuzzy
matching would then offer, for every new msgid, the translation of *any* similar msgid
of the catalog — even one still in use elsewhere — and so filled quiz choices with the
translations of other choices and of lesson paragraphs ("The patient" became "the
team"). Here a new segment gets, as a fuzzy suggestion, only its **own previous
translation**: that of the segment which stood in its place before the change —

- in the same file (the catalog's ``#:`` locations and the template's);
- at the same place in that file's sequence of segments: between the same unchanged
  neighbours (``difflib`` aligns the old and new sequences; only a *replaced* stretch
  pairs old with new segments, one to one, in order; an inserted segment has no
  previous source);
- of the same kind (a quiz choice only from a quiz choice, a table cell from a table
  cell);
- and still recognisably the same text (``difflib`` ratio at least ``SIMILAR``): a
  segment rewritten from scratch starts untranslated.

A stale entry's previous source is written as gettext writes it (``#| msgid "…"``, one
line, or ``#| "…"`` lines for a text with line breaks): Babel wraps it as a comment at
76 columns, which is no longer PO syntax (``msgfmt``: "end-of-line within string"), and
does not read it back, so the previous sources of entries already stale are kept from
the catalog's text.

Content catalogs carry no format flags: their text is no format string, yet Babel flags
any "%" followed by a letter ("39% c") as ``python-format``, which ``msgfmt --check``
then rejects. Every catalog and template written here has them removed.
"""

import copy
import io
import re
from difflib import SequenceMatcher

from babel.messages.catalog import Catalog
from babel.messages.pofile import normalize, unescape, write_po

SIMILAR = 0.5
FORMAT_FLAGS = frozenset({"python-format", "python-brace-format", "c-format"})


def update_catalog(catalog: Catalog, template: Catalog, previous: dict | None = None) -> None:
    """Update ``catalog`` from ``template`` in place: new segments untranslated, changed
    ones fuzzy with their own previous translation, gone ones dropped (obsolete).
    ``previous`` (``{msgid: previous msgid}``, read from the catalog's text) keeps the
    previous sources of entries that were already stale."""
    old = {message.id: message for message in catalog if message.id}
    # Babel's update adds the template's own message objects for new segments: given
    # a copy, filling this catalog's suggestion cannot fill the next catalog's too.
    template = copy.deepcopy(template)
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
    for message in catalog:
        if message.fuzzy and not message.previous_id and message.id in (previous or {}):
            message.previous_id = [previous[message.id]]
    for new_id, old_id in own_previous_sources(old.values(), template):
        message, previous = catalog[new_id], old[old_id]
        if message is None or message.string or not previous.string:
            continue
        message.string = previous.string
        message.flags.add("fuzzy")
        message.previous_id = [old_id]
        message.user_comments = list(previous.user_comments)
    without_format_flags(catalog)


def po_bytes(catalog: Catalog) -> bytes:
    """The PO file of ``catalog`` (no line wrapping), each stale entry with its previous
    source as a valid ``#|`` comment, and no format flag: Babel adds one to any message
    with a "%" when it reads a catalog, so every catalog read and written again would
    gain some (see the module's docstring)."""
    without_format_flags(catalog)
    for message in catalog:
        _previous_source_from_comments(message)
    out = io.BytesIO()
    write_po(out, catalog, width=0, ignore_obsolete=True, include_previous=False)
    text = out.getvalue().decode("utf-8")
    for message in catalog:
        if not (message.id and isinstance(message.id, str) and message.previous_id):
            continue
        anchor = f"\nmsgid {normalize(message.id, width=0)}\n"
        at = text.find(anchor)
        if at >= 0:
            comment = f"#| msgid {normalize(message.previous_id[0], prefix='#| ', width=0)}\n"
            text = text[: at + 1] + comment + text[at + 1 :]
    return text.encode("utf-8")


def _previous_source_from_comments(message) -> None:
    """Babel reads a ``#| msgid "…"`` line back as a translator comment (``| msgid "…"``)
    and writes it as ``# | msgid …``, wrapped over several comment lines. Turn it back
    into the previous source while the entry is stale; drop it once it is translated."""
    comments = message.user_comments
    first = next((i for i, comment in enumerate(comments) if comment.startswith("| ")), None)
    if first is None:
        return
    message.user_comments, lines = comments[:first], comments[first:]
    if message.fuzzy and not message.previous_id:
        text = " ".join(line.removeprefix("| ") for line in lines).removeprefix("msgid ")
        literals = re.findall(r'"((?:[^"\\]|\\.)*)"', text)
        message.previous_id = ["".join(unescape(f'"{literal}"') for literal in literals)]


def without_format_flags(catalog: Catalog) -> Catalog:
    """``catalog`` with no format flag on any message (see the module's docstring)."""
    for message in catalog:
        message.flags -= FORMAT_FLAGS
    return catalog


def own_previous_sources(old_messages, template: Catalog) -> list[tuple[str, str]]:
    """``(new msgid, old msgid)`` pairs: each segment of ``template`` that is not in the
    old catalog, with the old segment that stood in its place (see the module's
    docstring). The first pair found for a new msgid wins."""
    old_ids = {message.id for message in old_messages}
    before, after = _sequences(old_messages), _sequences(template)
    pairs: dict[str, str] = {}
    for file, new_sequence in after.items():
        old_sequence = before.get(file, [])
        for new_id, old_id in _aligned(old_sequence, new_sequence):
            if new_id not in old_ids:
                pairs.setdefault(new_id, old_id)
    return list(pairs.items())


def _sequences(messages) -> dict[str, list[tuple[str, str]]]:
    """``{file: [(msgid, kind), …] in line order}`` from the messages' locations."""
    located: dict[str, list[tuple[int, str, str]]] = {}
    for message in messages:
        if not message.id or not isinstance(message.id, str):
            continue
        kind = message.auto_comments[0] if message.auto_comments else ""
        for file, line in message.locations:
            located.setdefault(file, []).append((int(line or 0), message.id, kind))
    return {file: [(i, k) for _l, i, k in sorted(items)] for file, items in located.items()}


def _aligned(old: list[tuple[str, str]], new: list[tuple[str, str]]):
    """Pairs (new msgid, old msgid) that replaced one another in one file."""
    matcher = SequenceMatcher(None, [i for i, _k in old], [i for i, _k in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace":
            yield from _paired(old[i1:i2], new[j1:j2])


def _paired(old: list[tuple[str, str]], new: list[tuple[str, str]]):
    """One to one, in order, same kind, most similar first, at least ``SIMILAR``."""
    candidates = sorted(
        (
            (_similarity(old_id, new_id), i, j)
            for i, (old_id, old_kind) in enumerate(old)
            for j, (new_id, new_kind) in enumerate(new)
            if old_kind == new_kind
        ),
        reverse=True,
    )
    chosen: list[tuple[int, int]] = []
    for ratio, i, j in candidates:
        if ratio < SIMILAR:
            break
        if all((i - ci) * (j - cj) > 0 for ci, cj in chosen):  # no crossing, no reuse
            chosen.append((i, j))
    for i, j in sorted(chosen):
        yield new[j][0], old[i][0]


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a.lower(), b.lower(), autojunk=False).ratio()
