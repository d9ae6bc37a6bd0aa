"""The text the de-identification guard reads, and the way back to the text as written.

A phone number or an e-mail address can hide from a pattern behind characters a reader
never notices: full-width digits (usual with a Chinese input method), zero-width spaces,
soft hyphens, a non-breaking hyphen, or an HTML character reference such as ``&#8203;``.
The guard scans the text as a reader sees it: character references unescaped, every
character in its NFKC compatibility form (full-width ``１２３`` is ``123``), invisible
format characters (Unicode category Cf: zero-width spaces and joiners, soft hyphens,
direction marks, byte-order marks) dropped, and hyphen-like dashes made ``-``. Each
character of the result remembers the passage of the original it came from, so that a
finding points at the text the submitter wrote.
"""

import html
import re
import unicodedata
from dataclasses import dataclass

# A character reference: &#8203; &#x200B; &amp; (the semicolon is optional in HTML).
_REFERENCE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")
# Hyphen, non-breaking hyphen, figure dash, en dash, minus sign: a reader sees a hyphen.
_HYPHENS = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2212", "-"))


@dataclass(frozen=True)
class Normalised:
    """``text`` as the guard reads it; its character i came from ``original[starts[i]:
    ends[i]]``."""

    original: str
    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The passage of the original that ``text[start:end]`` (not empty) came from."""
        return self.starts[start], self.ends[end - 1]


def _units(text: str):
    """(start, end, what a reader sees) for each character reference or character, a
    character carrying its combining marks along (NFKC composes them with it)."""
    i = 0
    while i < len(text):
        reference = _REFERENCE.match(text, i) if text[i] == "&" else None
        if reference and (seen := html.unescape(reference[0])) != reference[0]:
            yield i, reference.end(), seen
            i = reference.end()
            continue
        j = i + 1
        while j < len(text) and unicodedata.category(text[j]).startswith("M"):
            j += 1
        yield i, j, text[i:j]
        i = j


def normalise(text: str) -> Normalised:
    """The text as the guard reads it, with the map back to ``text``."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end, seen in _units(text):
        for char in unicodedata.normalize("NFKC", seen).translate(_HYPHENS):
            if unicodedata.category(char) == "Cf":
                continue
            out.append(char)
            starts.append(start)
            ends.append(end)
    return Normalised(text, "".join(out), tuple(starts), tuple(ends))
