"""The cases the series and session pages show (a session's agenda, the organisers'
queue, the viewer's own cases), and whether a series has any (its schedule is then
fixed, app/conferences/services.py).

Cases are their own package, above this one (``app/cases/``): a case belongs to a
session. So that these pages never import it, the cases package registers how to list
its cases here (``register_case_lists``, in its ``init_app``), as other packages register
completion-rule clauses and CPD sources with ``learning``. Until it has, every list is
empty.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.auth.models import User
from app.conferences.models import ConferenceSeries


@dataclass(frozen=True)
class CaseLists:
    """What this package asks of the cases package (registered by it)."""

    agenda: Callable[[ConferenceSeries, datetime], list]  # a session's accepted, in order
    queue: Callable[[ConferenceSeries], list]  # waiting for the organisers, oldest first
    submitted_by: Callable[[User, ConferenceSeries], list]  # one person's, newest first
    any_in: Callable[[ConferenceSeries], bool]  # whether any case was submitted to it


_registered: CaseLists | None = None


def register_case_lists(lists: CaseLists) -> None:
    """Called by the cases package (again on every app it is set up for: the last wins)."""
    global _registered
    _registered = lists


def agenda_for(series: ConferenceSeries, original_start: datetime) -> list:
    """The accepted cases of one session, in order."""
    return _registered.agenda(series, original_start) if _registered else []


def queue_for(series: ConferenceSeries) -> list:
    """Cases waiting for the organisers' decision, oldest first."""
    return _registered.queue(series) if _registered else []


def cases_of(user: User, series: ConferenceSeries) -> list:
    """The cases ``user`` submitted to a series, newest first."""
    return _registered.submitted_by(user, series) if _registered else []


def has_cases(series: ConferenceSeries) -> bool:
    """Whether any case was submitted to a session of the series."""
    return _registered.any_in(series) if _registered else False
