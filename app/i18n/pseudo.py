"""A pseudo-locale: every interface string accented, wrapped in ⟦ ⟧ and 30% longer, so
that a page read in it shows at once which text cannot be translated (it stays plain)
and where longer languages will overflow. Placeholders, markup and entities are kept."""

import re
import shutil
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

OPEN, CLOSE = "⟦", "⟧"
ACCENTED = str.maketrans("aceinorstuyACEINORSTUYz", "áçéîñöŕšţûýÁÇÉÎÑÖŔŠŢÛÝž")
# Kept as they are: %(name)s and %% placeholders, {name}, HTML tags and entities.
KEEP = re.compile(r"%\(\w+\)[sdf]|%%|\{\w*\}|<[^>]+>|&\w+;|&#\d+;")


def pseudo_text(text: str) -> str:
    """``text`` accented, 30% longer, between ⟦ and ⟧ (what must stay, stays)."""
    parts, last = [], 0
    for match in KEEP.finditer(text):
        parts.append(text[last : match.start()].translate(ACCENTED))
        parts.append(match.group())
        last = match.end()
    parts.append(text[last:].translate(ACCENTED))
    extra = max(1, round(len(text) * 0.3))  # in short words, as longer languages have
    padding = " ".join("·····"[: min(5, extra - i)] for i in range(0, extra, 6))
    return f"{OPEN}{''.join(parts)} {padding}{CLOSE}"


def write_pseudo_translations(source: Path, output: Path, locale: str = "en") -> Path:
    """A copy of the translations folder ``source`` in ``output`` whose ``locale``
    catalog (English, by default) is the pseudo-locale, compiled; returns its path."""
    if output.exists():
        shutil.rmtree(output)
    shutil.copytree(source, output)
    with (source / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    catalog = Catalog(locale=locale, fuzzy=False)
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            string = tuple(pseudo_text(form) for form in message.id)
        else:
            string = pseudo_text(message.id)
        catalog.add(message.id, string, flags=message.flags, context=message.context)
    folder = output / locale / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "messages.po").open("wb") as handle:
        write_po(handle, catalog, width=76)
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, catalog)
    return output
