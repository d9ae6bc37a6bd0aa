"""The web app manifest: what a browser needs to install Palliare (name, icons, colours)."""

from flask import url_for
from flask_babel import gettext as _

# app.css: --accent (the header and buttons) and --bg (the page), light scheme.
THEME_COLOUR = "#0b5d5b"
BACKGROUND_COLOUR = "#ffffff"


def web_app_manifest() -> dict:
    """The manifest in the request's language."""
    return {
        "name": _("Palliare: palliative care learning"),
        "short_name": "Palliare",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {
                "src": url_for("static", filename="img/favicon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
            },
            *(
                {
                    "src": url_for("static", filename=f"img/icon-{size}.png"),
                    "sizes": f"{size}x{size}",
                    "type": "image/png",
                }
                for size in (192, 512)
            ),
        ],
    }
