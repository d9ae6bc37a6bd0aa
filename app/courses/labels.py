"""Interface words inside rendered lessons (callout titles), in the viewer's language.

Lessons are rendered once per language at import; the callout titles belong to the
interface catalog, so they are filled in at view time from empty ``data-label`` slots.
"""

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

LABELS = {
    "key-point": _l("Key point"),
    "warning": _l("Clinical warning"),
    "dose": _l("Safety-critical: dose, conversion or route"),
    "case": _l("Case"),
    "transcript": _l("Transcript"),
    "formulary": _l(
        "Check every dose against your national or local formulary, which governs; "
        "drugs, strengths and rules differ between countries. Ask a specialist if unsure."
    ),
}


def fill_labels(html: str) -> Markup:
    """The sanitised lesson HTML with its label slots filled in."""
    for name, label in LABELS.items():
        html = html.replace(
            f'<span data-label="{name}"></span>',
            f'<span data-label="{name}">{escape(label)}</span>',
        )
    return Markup(html)  # noqa: S704 - sanitised by app.html at import, labels escaped
