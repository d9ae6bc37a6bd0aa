"""A notification's words and link, written when it is shown or sent, in the language and
time zone current then (the list: the viewer's; the e-mail: the recipient's)."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from flask import url_for
from flask_babel import format_date, get_locale
from werkzeug.routing import BuildError

from app.locales import format_local
from app.notifications.kinds import Kind, kind_named
from app.urls import external_url


@dataclass(frozen=True)
class Words:
    """What a person reads: a title, a body (may be empty) and their own note, if any
    (an organiser's note on a moved session: not translated, it is theirs)."""

    title: str
    body: str
    note: str


def plain(params: dict) -> dict:
    """``params`` as JSON can hold them: moments and dates as ISO text."""
    return {
        name: value.isoformat() if isinstance(value, datetime | date) else value
        for name, value in params.items()
    }


def words_for(kind: Kind, params: dict, tz: ZoneInfo) -> Words:
    """The kind's title and body for ``params``, in the current language; a parameter
    missing from an old row shows as empty rather than failing the whole list."""
    message = kind.message(params.get("variant"))
    values = _Values({name: _shown(name, value, tz) for name, value in params.items()})
    body = str(message.body) % values if message.body else ""
    return Words(str(message.title) % values, body, str(params.get("note") or ""))


class _Values(dict):
    def __missing__(self, key):
        return ""


def _shown(name: str, value, tz: ZoneInfo) -> str:
    """One parameter as a reader sees it (see ``app/notifications/kinds.py``)."""
    if value is None:
        return ""
    if isinstance(value, dict):  # a text by language
        locale = str(get_locale())
        return value.get(locale) or value.get("en") or next(iter(value.values()), "")
    if name.endswith("_at"):
        return format_local(datetime.fromisoformat(value), tz)
    if name.endswith("_on"):
        return format_date(date.fromisoformat(value), "long")
    if name == "locale":
        return _language(value)
    return str(value)


def _language(code: str) -> str:
    """A language's name in the reader's language (``kk`` → ``Kazakh`` in English)."""
    try:
        return Locale.parse(code).get_display_name(get_locale()) or code
    except (ValueError, UnknownLocaleError):
        return code


def link_values(kind: Kind, params: dict) -> dict | None:
    """The values the kind's link needs, or None when it has none or a value is missing."""
    if kind.link is None or any(params.get(name) is None for name in kind.link.values):
        return None
    return {name: params[name] for name in kind.link.values}


def path_for(kind_name: str, params: dict) -> str | None:
    """The link as a path on this site, or None (no link, or no such page any more)."""
    kind = kind_named(kind_name)
    values = link_values(kind, params) if kind else None
    if values is None:
        return None
    try:
        return url_for(kind.link.endpoint, **values)
    except BuildError:  # the page's address changed since the row was written
        return None


def external_link(kind: Kind, params: dict) -> str | None:
    """The link as an absolute address, for an e-mail."""
    values = link_values(kind, params)
    return external_url(kind.link.endpoint, **values) if values is not None else None
