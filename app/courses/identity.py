"""A course's small visual identity: a colour of a fixed palette, an icon of a fixed set
and an optional cover image, named in course.yaml and shown on the course's cards.

A fixed palette rather than any colour: the content security policy forbids style=""
attributes, so each colour is a class of app.css (``tint-<name>``), with a light-mode and
a dark-mode value that both meet WCAG AA for text (4.5:1) on the card's background;
tests/courses/test_identity.py checks the figures and that app.css holds these values.
"""

from pathlib import Path

# name → (light-mode value, dark-mode value); app.css holds the same values.
PALETTE = {
    "teal": ("#0b5d5b", "#5eead4"),
    "blue": ("#1d4ed8", "#93c5fd"),
    "plum": ("#7e2a6e", "#f0abfc"),
    "amber": ("#8a4b00", "#fcd34d"),
    "green": ("#1f6a2d", "#86efac"),
    "rose": ("#a4133c", "#fda4af"),
    "slate": ("#475569", "#cbd5e1"),
}
# The symbols of app/static/img/course-icons.svg.
ICONS = ("book", "chat", "heart", "home", "pill", "users")
# Covers are pictures a browser shows without help; SVG is left out (it can carry script).
COVER_TYPES = {".png": b"\x89PNG\r\n\x1a\n", ".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff"}
COVER_TYPES[".webp"] = b"RIFF"
COVER_MAX_BYTES = 300 * 1024
COVER_FOLDER = "files"


def check_colour(value) -> str | None:
    """The problem with a ``colour`` value, or None when it is a palette name."""
    if value in PALETTE:
        return None
    names = ", ".join(sorted(PALETTE))
    if isinstance(value, str) and value.startswith("#"):
        return (
            f"colour '{value}': name one of the palette ({names}); any other colour "
            "could not be shown, since pages may carry no inline styles"
        )
    return f"colour must be one of: {names}"


def check_icon(value) -> str | None:
    """The problem with an ``icon`` value, or None when it is one of ``ICONS``."""
    return None if value in ICONS else f"icon must be one of: {', '.join(ICONS)}"


def check_cover(value, folder: Path) -> str | None:
    """The problem with a ``cover`` value (``files/<name>`` in the course ``folder``), or
    None when it names a picture there of an allowed type and size."""
    if not isinstance(value, str) or not value.startswith(f"{COVER_FOLDER}/"):
        return f"cover names a picture in the course's {COVER_FOLDER}/ folder: files/cover.webp"
    name = value.removeprefix(f"{COVER_FOLDER}/")
    suffix = Path(name).suffix.lower()
    if "/" in name or "\\" in name or name.startswith(".") or suffix not in COVER_TYPES:
        types = ", ".join(sorted(COVER_TYPES))
        return f"cover '{value}': a file directly in {COVER_FOLDER}/, of type {types}"
    path = folder / COVER_FOLDER / name
    if not path.is_file():
        return f"cover '{value}' does not exist"
    if path.stat().st_size > COVER_MAX_BYTES:
        return f"cover '{value}' is larger than {COVER_MAX_BYTES // 1024} KB"
    with path.open("rb") as handle:
        head = handle.read(12)
    if not head.startswith(COVER_TYPES[suffix]) or (suffix == ".webp" and head[8:12] != b"WEBP"):
        return f"cover '{value}' is not a {suffix[1:].upper()} picture"
    return None


def cover_name(value: str | None) -> str | None:
    """The file name, within files/, of a checked ``cover`` value."""
    return value.removeprefix(f"{COVER_FOLDER}/") if value else None
