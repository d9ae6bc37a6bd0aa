"""Logs: one format for the app and its workers, a request id on every line, and no
secret that travels in a URL (a feed token, a reset link, a join code) ever written.

``LOG_FORMAT=text`` (the default) writes readable lines; ``LOG_FORMAT=json`` one JSON
object a line (timestamp, level, logger, message, request_id) for a log collector. Every
request has an id: nginx's ``X-Request-ID`` when it looks sane, else a new one; it is sent
back in the ``X-Request-ID`` response header and stamped on every record logged while the
request runs, so one line in nginx's log leads to all of the app's lines about it.

The redaction functions below also serve gunicorn's access log (deploy/gunicorn.conf.py).
"""

import logging
import re
import sys
import uuid
from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"

REDACTED = "[redacted]"
# Route arguments that are secrets: whoever knows one may act on it.
SECRET_ARGUMENTS = frozenset({"token", "code", "join_code"})
# Query parameters that are secrets (/verify/?code=…), and those that carry a URL which
# may hold one (/login?next=/cohorts/join/<code>).
SECRET_QUERY_KEYS = SECRET_ARGUMENTS
URL_QUERY_KEYS = frozenset({"next"})
# Every route with a secret in its path; tests/test_logs.py fails when app.url_map has
# a route with a secret argument that is missing here.
SECRET_ROUTES = (
    "/password/reset/<token>",
    "/join/<token>",
    "/calendar/<token>.ics",
    "/cohorts/join/<join_code>",
    "/certificates/<code>",
    "/certificates/<code>/pdf",
    "/certificates/<code>/revoke",
    "/certificates/<code>/reinstate",
    "/verify/<code>",
    "/placements/certificates/<code>",
    "/placements/certificates/<code>/pdf",
    "/placements/certificates/<code>/revoke",
    "/placements/certificates/<code>/reinstate",
)


def init_app(app: Flask) -> None:
    """Give every request an id (returned in a header) and log in ``LOG_FORMAT``."""
    app.before_request(_assign_request_id)
    app.after_request(_send_request_id)
    configure_logging(app.config.get("LOG_FORMAT", "text"), app.config.get("LOG_LEVEL", "INFO"))
    app.logger.removeHandler(default_handler)  # the root handler below writes its records


def request_id() -> str | None:
    """This request's id (None outside a request): nginx's, if sane, else a new one."""
    if not has_request_context():
        return None
    if "request_id" not in g:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if _SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
    return g.request_id


def _assign_request_id() -> None:
    request_id()  # returns None: a before_request hook that returns a value answers


def _send_request_id(response):
    response.headers[REQUEST_ID_HEADER] = request_id()
    return response


class RequestContextFilter(logging.Filter):
    """Stamps ``request_id`` on every record (``-`` outside a request), and keeps the
    request's path out of messages when it holds a secret (Flask's "Exception on …")."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id() or "-"
        if has_request_context() and isinstance(record.msg, str) and request.path in record.msg:
            record.msg = record.msg.replace(request.path, redact_path(request.path))
        return True


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record comes (pytest swaps it)."""

    def __init__(self):
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def configure_logging(log_format: str, level: str | int = "INFO") -> logging.Handler:
    """One handler on the root logger, in ``text`` or ``json``; calling it again (a
    second app in the tests) replaces it rather than doubling every line."""
    if log_format not in {"text", "json"}:
        raise RuntimeError(f"LOG_FORMAT={log_format!r}: use text or json")
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "palliare", False)]:
        root.removeHandler(handler)
    handler = _StderrHandler()
    handler.palliare = True
    handler.addFilter(RequestContextFilter())
    json = log_format == "json"
    handler.setFormatter(_json_formatter() if json else logging.Formatter(TEXT_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    # Alembic announces each of its plugins whenever it is imported (every command).
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    return handler


def _json_formatter() -> logging.Formatter:
    from pythonjsonlogger.json import JsonFormatter

    return JsonFormatter(
        "%(levelname)s %(name)s %(message)s %(request_id)s",
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp=True,  # ISO 8601, UTC
    )


# Redaction -------------------------------------------------------------------------

_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")


def route_pattern(rule: str) -> re.Pattern:
    """A regex matching paths of ``rule`` (a Flask rule string) from its start through
    its last secret argument, each secret a group: whatever follows it (``/pdf``, a
    query, a 404's extra segments) is matched by the same pattern."""
    matches = list(_ARGUMENT.finditer(rule))
    secrets = [m for m in matches if m["name"] in SECRET_ARGUMENTS]
    if not secrets:
        raise ValueError(f"{rule} has no secret argument")
    pieces, end = [], 0
    for match in matches[: matches.index(secrets[-1]) + 1]:
        pieces.append(re.escape(rule[end : match.start()]))
        if match["name"] in SECRET_ARGUMENTS:
            follows = re.escape(rule[match.end() :].split("/", 1)[0])  # ".ics"
            ahead = f"{follows}(?:[/?#]|$)|" if follows else ""
            pieces.append(f"([^/?#]+?)(?={ahead}[/?#]|$)")
        else:
            pieces.append(".+?" if match["converter"] == "path" else "[^/?#]+")
        end = match.end()
    return re.compile("".join(pieces))


_SECRET_PATHS = [route_pattern(rule) for rule in SECRET_ROUTES]


def redact_path(path: str) -> str:
    """``path`` with every secret segment replaced by ``[redacted]``."""
    for pattern in _SECRET_PATHS:
        match = pattern.match(path)
        if match and match.lastindex:
            for group in range(match.lastindex, 0, -1):  # from the end: spans stay valid
                start, end = match.span(group)
                path = path[:start] + REDACTED + path[end:]
            return path
    return path


def redact_query(query: str) -> str:
    """A query string with the values of secret parameters replaced (a ``next`` URL is
    redacted in turn)."""
    if not query:
        return query
    pairs = []
    for pair in query.split("&"):
        key, sep, value = pair.partition("=")
        name = unquote_plus(key)
        if name in SECRET_QUERY_KEYS and value:
            value = REDACTED
        elif name in URL_QUERY_KEYS and value:
            url = unquote_plus(value)
            redacted = redact_url(url)
            value = value if redacted == url else quote(redacted, safe="/[]")
        pairs.append(f"{key}{sep}{value}")
    return "&".join(pairs)


def redact_url(url: str) -> str:
    """A URL, absolute (``https://host/path?query``) or not (``/path?query``), redacted."""
    if not url or url == "-":
        return url
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=redact_path(parts.path), query=redact_query(parts.query)))


def redact_request_line(line: str) -> str:
    """``GET /join/abc?x=1 HTTP/1.1`` → ``GET /join/[redacted]?x=1 HTTP/1.1``."""
    method, space, rest = line.partition(" ")
    target, space2, protocol = rest.rpartition(" ") if " " in rest else (rest, "", "")
    return f"{method}{space}{redact_url(target)}{space2}{protocol}"


def redact_access_atoms(atoms: dict) -> dict:
    """gunicorn's access-log atoms with every URL in them redacted (in place)."""
    for key, redact in _URL_ATOMS.items():
        if isinstance(atoms.get(key), str):
            atoms[key] = redact(atoms[key])
    return atoms


_URL_ATOMS = {
    "r": redact_request_line,
    "U": redact_path,
    "q": redact_query,
    "f": redact_url,
    "{referer}i": redact_url,
    "{location}o": redact_url,
    "{raw_uri}e": redact_url,
    "{request_uri}e": redact_url,
    "{path_info}e": redact_path,
    "{query_string}e": redact_query,
    "{http_referer}e": redact_url,
}
