"""Addresses the app hands out: absolute links for e-mails, and where a redirect may go.

Links that leave the request (e-mails, above all password-reset and invitation links) are
built from configuration (``SERVER_NAME``, ``PREFERRED_URL_SCHEME``, ``APPLICATION_ROOT``),
never from the request's Host header or scheme, so a forged header cannot point a reset
link at another site. ``safe_next`` is the one check for ``?next=``-style redirects.
"""

import re
from urllib.parse import urlsplit

from flask import current_app, url_for

# Backslashes (browsers read them as slashes), control characters and whitespace: none
# belongs in a local path, and each has been used to turn one into "//other.site".
_UNSAFE = re.compile(r"[\\\x00-\x20\x7f]")


def external_url(endpoint: str, **values) -> str:
    """The absolute address of ``endpoint`` for an e-mail, from configuration only."""
    app = current_app._get_current_object()
    server_name = app.config.get("SERVER_NAME")
    if not server_name:
        raise RuntimeError("SERVER_NAME must be set to build links for e-mails.")
    adapter = app.url_map.bind(
        server_name,
        script_name=app.config.get("APPLICATION_ROOT") or "/",
        url_scheme=app.config["PREFERRED_URL_SCHEME"],
    )
    app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)


def safe_next(target: str | None, default: str | None = None) -> str:
    """``target`` if it is a path on this site, else ``default`` (the home page): no
    scheme, no host, no scheme-relative ``//``, no backslash, no control character."""
    fallback = default or url_for("main.index")
    if not target or _UNSAFE.search(target):
        return fallback
    if not target.startswith("/") or target.startswith("//"):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target
