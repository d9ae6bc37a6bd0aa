"""How much of the interface is translated into a locale (read from its PO catalog)."""

from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po
from flask import current_app


@dataclass(frozen=True)
class Coverage:
    """Counts of a catalog's messages."""

    locale: str
    translated: int
    fuzzy: int
    total: int

    @property
    def missing(self) -> int:
        return self.total - self.translated - self.fuzzy

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 0.0


def catalog_path(locale: str) -> Path:
    """Where the interface catalog of ``locale`` lives."""
    root = Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])
    return root / locale / "LC_MESSAGES" / "messages.po"


def interface_coverage(locale: str) -> Coverage:
    """Translated, fuzzy (stale) and total messages of the interface in ``locale``."""
    path = catalog_path(locale)
    if not path.exists():
        return Coverage(locale, 0, 0, 0)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    messages = [message for message in catalog if message.id]
    fuzzy = sum(1 for message in messages if message.fuzzy)
    translated = sum(
        1 for message in messages if not message.fuzzy and _is_translated(message.string)
    )
    return Coverage(locale, translated, fuzzy, len(messages))


def _is_translated(string) -> bool:
    if isinstance(string, tuple | list):  # plural forms: every form must be there
        return all(string)
    return bool(string)
