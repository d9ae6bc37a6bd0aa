"""The learner's CPD statement beyond certificates: hours from activities other packages
own (case conferences attended, and later observership days). Each package registers a
source; this package imports none of them."""

from collections.abc import Callable
from dataclasses import dataclass

from app.auth.models import User


@dataclass(frozen=True)
class Activity:
    """One line of a CPD statement: e.g. a conference series and the sessions attended."""

    title: str
    sessions: int
    minutes: int


@dataclass(frozen=True)
class Source:
    heading: str  # lazily translated: "Case conferences attended"
    column: str  # what a line is: "Series"
    activities: Callable[[User], list[Activity]]
    count_column: str | None = None  # what ``sessions`` counts ("Days"); "Sessions" if None


@dataclass(frozen=True)
class Section:
    source: Source
    activities: list[Activity]

    @property
    def hours(self) -> float:
        return sum(activity.minutes for activity in self.activities) / 60


_SOURCES: list[Source] = []


def register_cpd_source(
    heading, column, activities: Callable[[User], list[Activity]], count_column=None
) -> None:
    _SOURCES.append(Source(heading, column, activities, count_column))


def cpd_statement(user: User) -> list[Section]:
    """Each registered source's lines for ``user`` (sources with none are left out)."""
    sections = [Section(source, source.activities(user)) for source in _SOURCES]
    return [section for section in sections if section.activities]
