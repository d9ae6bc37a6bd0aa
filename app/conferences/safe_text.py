"""Web addresses and file names that end up in headers and calendars, where a line break
splits one line into two: a meeting link is a plain web address or nothing, and a file
name keeps its readable words but loses what a header cannot carry."""

import re
import unicodedata
from urllib.parse import urlsplit

MAX_FILENAME = 200


def _hidden_or_breaking(char: str) -> bool:
    # Control characters (CR, LF, tab, NUL), invisible format characters (zero-width,
    # direction overrides) and every kind of space or line separator.
    return unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def clean_url(value: str | None, schemes=("http", "https")) -> str | None:
    """``value`` (surrounding spaces trimmed) when it is an http(s) address with a host and
    no whitespace, control or invisible character anywhere; None otherwise."""
    value = (value or "").strip(" ")
    if not value or any(_hidden_or_breaking(char) for char in value):
        return None
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:  # an invalid port or IPv6 literal
        return None
    if parts.scheme.lower() not in schemes or not host:
        return None
    return value


def safe_filename(name: str | None) -> str:
    """The last part of an uploaded file's name, readable and safe in a header: line
    breaks, tabs and other spaces become one space, control and invisible characters go,
    at most 200 characters (the extension kept); "file" when nothing is left."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        " "
        if char.isspace() or unicodedata.category(char) in ("Zl", "Zp")
        else ""
        if _hidden_or_breaking(char)
        else char
        for char in name
    )
    name = re.sub(r" {2,}", " ", name).strip(" .")
    if len(name) > MAX_FILENAME:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = stem[: MAX_FILENAME - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:MAX_FILENAME].rstrip()
    return name or "file"
