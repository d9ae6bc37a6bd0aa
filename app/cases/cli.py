"""``flask conferences scan-text``: the case form's de-identification checks on samples in
JSON Lines, for information-governance officers. The command lives with the checks, in
the ``conferences`` group it has always had (``init_app`` adds it there)."""

import json
import sys
from difflib import SequenceMatcher

import click

from app.cases.services import IdentifiersFound, checked_texts


@click.command("scan-text")
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-")
def scan_text_command(file):
    """Run the case form's de-identification checks on texts in JSON Lines.

    Reads FILE (or standard input), one JSON object a line: {"id": ..., "text": "..."}.
    Writes one line per text: {"id": ..., "findings": [{"kind", "start", "end",
    "text"}]}, where start and end are character offsets into the text as given and
    "text" is that passage. The checks are exactly those of the case form (markup
    removed, character references and hidden characters read as a reader sees them).

    A bad line (not JSON, not an object, no "id", or a "text" that is not a string) is
    reported on standard error with its line number and skipped; the other lines are
    still checked, and the exit status is then 1. Blank lines are ignored. Exit status 0
    means every line was checked.
    """
    bad = 0
    for number, line in enumerate(file, 1):
        if not line.strip():
            continue
        try:
            item = _parse(line)
        except ValueError as error:
            bad += 1
            click.echo(f"line {number}: {error}", err=True)
            continue
        findings = [
            {"kind": kind, "start": start, "end": end, "text": item["text"][start:end]}
            for kind, start, end in _findings(item["text"])
        ]
        sys.stdout.write(
            json.dumps({"id": item["id"], "findings": findings}, ensure_ascii=False) + "\n"
        )
    if bad:
        click.echo(f"{bad} bad line(s) skipped.", err=True)
        sys.exit(1)


def _parse(line: str) -> dict:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON ({error.msg}, column {error.colno})") from None
    if not isinstance(item, dict):
        raise ValueError('not a JSON object such as {"id": 1, "text": "..."}')
    if "id" not in item:
        raise ValueError('no "id"')
    if not isinstance(item.get("text"), str):
        raise ValueError('"text" missing or not a string')
    return item


def _findings(text: str) -> list[tuple[str, int, int]]:
    """(kind, start, end) in ``text``, found by the case form's own check, which reads
    the text as it would be stored (stripped, without markup) and unescaped."""
    try:
        checked_texts({"text": text})
    except IdentifiersFound as error:
        checked = error.texts["text"]
        to_input = _offsets(checked, text)
        return [(f.kind, *to_input(f.start, f.end)) for f in error.findings]
    return []


def _offsets(checked: str, text: str):
    """A function taking a span of ``checked`` to the span of ``text`` it came from: the
    form only removes (surrounding space, tags) and unescapes, so the characters in
    common, in order, line the two up."""
    if checked == text:
        return lambda start, end: (start, end)
    lead = len(text) - len(text.lstrip())
    if checked == text.strip():
        return lambda start, end: (start + lead, end + lead)
    blocks = SequenceMatcher(None, checked, text, autojunk=False).get_matching_blocks()

    def to_input(start: int, end: int) -> tuple[int, int]:
        # The start: in a common block, or just after the block before it (what lies in
        # between was rewritten, e.g. a reference); the end likewise, from the other side.
        new_start = next(
            (b + start - a for a, b, size in blocks if a <= start < a + size),
            max((b + size for a, b, size in blocks if a + size <= start), default=0),
        )
        new_end = next(
            (b + end - a for a, b, size in blocks if a < end <= a + size),
            min((b for a, b, size in blocks if a >= end and size), default=len(text)),
        )
        return new_start, max(new_end, new_start)

    return to_input
