"""The list as a person sees it: each notification's words in the viewer's language and
time zone, and whether its link still leads somewhere (a deleted case or certificate
leaves the text without a dead link)."""

from collections import defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask_babel import get_timezone

from app.notifications import queries
from app.notifications.kinds import kind_named
from app.notifications.models import Notification
from app.notifications.texts import Words, link_values, path_for, words_for


@dataclass(frozen=True)
class Entry:
    """One line of the list."""

    notification: Notification
    words: Words
    has_link: bool

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None


def entries(rows: list[Notification]) -> list[Entry]:
    """The rows as the viewer reads them; rows of a kind no longer known are left out.
    One query per kind of target checks which links still work."""
    tz = ZoneInfo(str(get_timezone()))
    alive = _living(rows)
    return [
        Entry(row, words_for(kind, row.params, tz), row.id in alive)
        for row in rows
        if (kind := kind_named(row.kind)) is not None
    ]


def target_path(notification: Notification) -> str | None:
    """Where opening ``notification`` leads, or None when its target is gone."""
    if notification.id not in _living([notification]):
        return None
    return path_for(notification.kind, notification.params)


def _living(rows: list[Notification]) -> set[int]:
    """The ids of the rows whose link leads to something that still exists."""
    wanted: dict[tuple[str, str], list[tuple[int, object]]] = defaultdict(list)
    alive = set()
    for row in rows:
        kind = kind_named(row.kind)
        if kind is None or link_values(kind, row.params) is None:
            continue
        if kind.link.target is None:
            alive.add(row.id)
            continue
        table, column, param = kind.link.target
        wanted[(table, column)].append((row.id, row.params[param]))
    for (table, column), pairs in wanted.items():
        existing = queries.existing_values(table, column, [value for _, value in pairs])
        alive |= {row_id for row_id, value in pairs if value in existing}
    return alive
