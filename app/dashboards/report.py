"""A programme's report: its tables as they may be published (small counts suppressed),
each with what it counts. The page, the CSV and the charts all read these tables, so an
export always equals the page."""

import math
from dataclasses import replace
from typing import NamedTuple

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.auth.models import PROFESSION_LABELS, Profession
from app.dashboards import observerships, protocol_adoption, queries
from app.dashboards.suppression import (
    ROUNDING,
    THRESHOLD,
    Cell,
    revealed_by_difference,
    suppress,
)
from app.dashboards.tables import Table
from app.dashboards.tables import headings as _headings
from app.localised import localised
from app.trainers.cascade import Scope as CascadeScope

FINISHED = _l("Finished: a completion record of a course under its completion rule.")
GAIN_THRESHOLD = 10  # matched pairs a group needs before an aggregate-only viewer sees it


# The rows of each table, one NamedTuple per table: cells by name (iterated in column
# order by the page, the exports and the API). ``label`` heads each row.


class InstitutionRow(NamedTuple):
    label: str
    country: str
    enrolled: Cell
    finished: Cell


class CountryRow(NamedTuple):
    label: str
    enrolled: Cell
    finished: Cell


class ProfessionRow(NamedTuple):
    label: str
    enrolled: Cell
    finished: Cell


class CourseRow(NamedTuple):
    label: str
    enrolled: Cell
    in_progress: Cell
    completed: Cell


class MonthRow(NamedTuple):
    label: str
    finished: Cell
    cumulative: Cell | str  # "" in the total row


class GainRow(NamedTuple):
    label: str
    pairs: Cell
    mean_gain: str
    effect_size: str


class GenerationRow(NamedTuple):
    label: str
    trainers: Cell
    reached: Cell


class ConferenceRow(NamedTuple):
    label: str
    sessions_held: Cell
    attendances: Cell
    people: Cell


class QuizRow(NamedTuple):
    label: str
    took: Cell
    passed: Cell
    pass_rate: str


def _counted(key, title, row_type, headings, leading, counts, definition, hide=True) -> Table:
    """A table of counts with rows of ``row_type`` (``headings`` by field name): per row
    its ``leading`` cells (a dict by name, the label first), then each named column of
    ``counts`` suppressed against its total (unless not ``hide``)."""
    published = {name: suppress(values, sum(values), hide) for name, values in counts.items()}
    rows = [
        row_type(**cells, **{name: column[index] for name, (column, _total) in published.items()})
        for index, cells in enumerate(leading)
    ]
    totals = {name: total for name, (_column, total) in published.items()}
    total = row_type(**(dict.fromkeys(row_type._fields, "") | {"label": _l("Total")} | totals))
    return Table(key, title, _headings(row_type, **headings), rows, total, definition)


def by_institution(scope) -> list[Table]:
    """Per institution and per country: people enrolled and finished."""
    rows = queries.list_finished_by_institution(scope)
    table = _counted(
        "institutions",
        _l("By institution"),
        InstitutionRow,
        {
            "label": _l("Institution"),
            "country": _l("Country"),
            "enrolled": _l("Enrolled"),
            "finished": _l("Finished"),
        },
        [{"label": r.name, "country": r.country} for r in rows],
        {"enrolled": [r.enrolled for r in rows], "finished": [r.finished for r in rows]},
        FINISHED,
    )
    _protect_groups(table)
    return [table, by_country(rows)]


def by_country(rows: list[queries.InstitutionFigures]) -> Table:
    """The institutions' figures summed per country."""
    countries = {}
    for row in rows:
        enrolled, finished = countries.get(row.country, (0, 0))
        countries[row.country] = (enrolled + row.enrolled, finished + row.finished)
    return _counted(
        "countries",
        _l("By country"),
        CountryRow,
        {"label": _l("Country"), "enrolled": _l("Enrolled"), "finished": _l("Finished")},
        [{"label": country} for country in countries],
        {
            "enrolled": [enrolled for enrolled, _finished in countries.values()],
            "finished": [finished for _enrolled, finished in countries.values()],
        },
        FINISHED,
    )


GROUP_COUNTS = ("enrolled", "finished")  # the institution table's counts that countries sum


def _protect_groups(table: Table) -> None:
    """Country totals are published too: within each country, one hidden institution
    must not be recoverable by subtraction, so hide a second one there as well."""
    groups = {}
    for index, row in enumerate(table.rows):
        groups.setdefault(row.country, []).append(index)
    for name in GROUP_COUNTS:
        cells = table.column(name)
        for indices in groups.values():
            _protect_group(cells, indices)
        table.set_column(name, cells)


def _protect_group(cells: list[Cell], indices: list[int]) -> None:
    """Suppress the cells at ``indices`` (one country's) against their own sum."""
    group = [cells[i] for i in indices]
    hidden = {n for n, cell in enumerate(group) if cell.hidden}
    values = [cell.value for cell in group]
    published, _total = suppress(values, sum(values), forced=hidden)
    for i, cell in zip(indices, published, strict=True):
        cells[i] = cell


def by_profession(scope) -> Table:
    """Per profession: people enrolled and finished."""
    rows = queries.list_finished_by_profession(scope)
    return _counted(
        "professions",
        _l("By profession"),
        ProfessionRow,
        {"label": _l("Profession"), "enrolled": _l("Enrolled"), "finished": _l("Finished")},
        [{"label": PROFESSION_LABELS[r.profession]} for r in rows],
        {"enrolled": [r.enrolled for r in rows], "finished": [r.finished for r in rows]},
        FINISHED,
        scope.aggregate_only,
    )


def by_course(scope, locale: str) -> Table:
    """Per course: people enrolled, in progress and completed."""
    rows = queries.list_by_course(scope)
    return _counted(
        "courses",
        _l("By course"),
        CourseRow,
        {
            "label": _l("Course"),
            "enrolled": _l("Enrolled"),
            "in_progress": _l("In progress"),
            "completed": _l("Completed"),
        },
        [{"label": localised(r.titles, locale)} for r in rows],
        {
            "enrolled": [r.enrolled for r in rows],
            "in_progress": [r.in_progress for r in rows],
            "completed": [r.completed for r in rows],
        },
        _l(
            "Enrolled: people enrolled in the course. In progress: opened a lesson, not "
            "finished yet. Completed: finished within the chosen months."
        ),
        scope.aggregate_only,
    )


def by_month(scope) -> Table:
    """People by month of first completion; the monthly counts are suppressed against
    their total, and (for aggregate-only viewers) every figure, the running total too, is
    rounded to 5, so that differences between months cannot reveal a hidden month."""
    rows = queries.list_completions_by_month(scope)
    values = [row.finished for row in rows]
    hide = scope.aggregate_only
    cells, total = suppress(values, sum(values), hide)
    running, table_rows = 0, []
    for row, cell in zip(rows, cells, strict=True):
        running += row.finished
        table_rows.append(MonthRow(row.month, cell, Cell(running, base=ROUNDING if hide else 1)))
    return Table(
        "months",
        _l("Finished per month"),
        _headings(
            MonthRow,
            label=_l("Month"),
            finished=_l("Finished"),
            cumulative=_l("Cumulative (rounded to 5)") if hide else _l("Cumulative"),
        ),
        table_rows,
        MonthRow(_l("Total"), total, ""),
        _l("People by the month of their first completion."),
    )


def gains(scope, dimension: str) -> Table:
    """Knowledge gain per group: n, mean gain (points), effect size (Cohen's dz), shown
    only for groups of at least 5 matched pairs. Aggregate-only viewers see a group only
    from 10 pairs, its n rounded to 5, the mean in whole points and dz to one decimal, so
    that two views differing by a learner or two cannot be solved for that learner's gain."""
    rows = [
        _gain_row(figures, scope.aggregate_only)
        for figures in queries.list_gain_by(dimension, scope)
    ]
    title = (
        _l("Knowledge gain by institution")
        if dimension == "institution"
        else _l("Knowledge gain by language")
    )
    return Table(
        f"gain-{dimension}",
        title,
        _headings(
            GainRow,
            label=_l("Group"),
            pairs=_l("Matched pairs"),
            mean_gain=_l("Mean gain (points)"),
            effect_size=_l("Effect size (dz)"),
        ),
        rows,
        None,
        _l(
            "Post-test minus pre-test percent, per learner; "
            "dz = mean gain ÷ standard deviation of gains."
        ),
    )


def _gain_row(figures: queries.GainFigures, coarse: bool) -> GainRow:
    """One group's gain as it may be published (``coarse``: to aggregate-only viewers)."""
    limit, base = (GAIN_THRESHOLD, ROUNDING) if coarse else (THRESHOLD, 1)
    n, mean = figures.pairs, figures.mean
    if n < limit:
        return GainRow(figures.group, Cell(n, hidden=True, base=base, limit=limit), "—", "—")
    variance = max(figures.mean_square - mean * mean, 0.0) * n / (n - 1) if n > 1 else 0.0
    sd = math.sqrt(variance)
    shown_mean = f"{mean:+.0f}" if coarse else f"{mean:+.1f}"
    dz = (f"{mean / sd:.1f}" if coarse else f"{mean / sd:.2f}") if sd else "—"
    return GainRow(figures.group, Cell(n, base=base), shown_mean, dz)


def cascade(scope) -> Table:
    """Certified trainers per generation, and the learners each generation reached."""
    generations = queries.count_generations(
        CascadeScope(programme_id=scope.programme_id, institution_id=scope.institution_id),
        direct=False,  # the dashboard shows who was reached downstream, not directly
    )
    trainers, _t = suppress([g.trainers for g in generations], None, scope.aggregate_only)
    reached, _r = suppress([g.learners_reached for g in generations], None, scope.aggregate_only)
    rows = [
        GenerationRow(str(g.number), trainers[i], reached[i]) for i, g in enumerate(generations)
    ]
    return Table(
        "cascade",
        _l("The cascade"),
        _headings(
            GenerationRow,
            label=_l("Generation"),
            trainers=_l("Certified trainers"),
            reached=_l("Learners reached with everyone downstream"),
        ),
        rows,
        None,
        _l("Master trainers are generation 0."),
    )


def conferences(scope) -> Table:
    """Case conferences of the programme: sessions held (with attendance recorded),
    attendances and people; small numbers of people suppressed."""
    rows = queries.list_conference_figures(scope)
    people, _p = suppress([r.people for r in rows], None, scope.aggregate_only)
    counts, _c = suppress([r.attendances for r in rows], None, scope.aggregate_only)
    return Table(
        "conferences",
        _l("Case conferences"),
        _headings(
            ConferenceRow,
            label=_l("Series"),
            sessions_held=_l("Sessions held"),
            attendances=_l("Attendances"),
            people=_l("People"),
        ),
        [
            ConferenceRow(row.title, Cell(row.sessions_held), counts[i], people[i])
            for i, row in enumerate(rows)
        ],
        None,
        _l("Sessions with attendance recorded; attendances counted once per person and session."),
    )


def programme_report(scope, locale: str) -> list[Table]:
    """Every table of the programme dashboard; with filters, a funder's view also hides
    what subtracting it from the view with one filter fewer would reveal."""
    tables = [
        *_count_tables(scope, locale),
        gains(scope, "institution"),
        gains(scope, "language"),
        cascade(scope),
        conferences(scope),
        *observerships.programme_tables(scope),
        *protocol_adoption.programme_tables(scope),
    ]
    if scope.aggregate_only:
        _hide_differences(tables, scope, locale)
    return tables


def finished_headline(tables: list[Table]) -> Cell:
    """People who finished, as published: the total of the table by month."""
    return next(t for t in tables if t.key == "months").total.finished


NARROWING = ("institution_id", "profession", "course_id", "cohort_id", "language", "since", "until")
TOTAL = "__total__"


def _count_tables(scope, locale: str) -> list[Table]:
    return [*by_institution(scope), by_profession(scope), by_course(scope, locale), by_month(scope)]


COUNTED = ("institutions", "countries", "professions", "courses", "months")


def _counts_of(tables: list[Table]) -> dict:
    """(table, row label, column name) → value of every count with a total (hidden ones
    too; not the running total by month, which has no total)."""
    found = {}
    for table in tables:
        if table.total is None or table.key not in COUNTED:
            continue
        for row in [*table.rows, table.total._replace(label=TOTAL)]:
            for name, cell in row._asdict().items():
                if isinstance(cell, Cell) and isinstance(getattr(table.total, name), Cell):
                    found[(table.key, str(row.label), name)] = cell.value
    return found


def _hide_differences(tables: list[Table], scope, locale: str) -> None:
    """Each view with one filter fewer is published too: hide every cell that differs
    from its counterpart there by 1 to 4 people, then complete the suppression of its
    column again (a hidden total hides its whole column: the cells would add up to it)."""
    here = _counts_of(tables)
    forced = set()
    for name in NARROWING:
        if getattr(scope, name) is not None:
            wider = replace(scope, **{name: None})
            forced |= revealed_by_difference(here, _counts_of(_count_tables(wider, locale)))
    for table in tables:
        for column in sorted({c for key, _label, c in forced if key == table.key}):
            labels = {label for key, label, c in forced if key == table.key and c == column}
            _suppress_again(table, column, labels)
        if table.key == "institutions" and any(key == "institutions" for key, *_ in forced):
            _protect_groups(table)


def _suppress_again(table: Table, column: str, labels: set[str]) -> None:
    """Suppress the named column again, hiding the cells of the rows ``labels`` too."""
    cells = table.column(column)
    total = getattr(table.total, column)
    if TOTAL in labels or total.hidden:
        published = [Cell(c.value, hidden=c.value > 0) for c in cells]
        total = Cell(total.value, True)
    else:
        hidden = {
            i
            for i, (row, cell) in enumerate(zip(table.rows, cells, strict=True))
            if cell.hidden or str(row.label) in labels
        }
        published, total = suppress([c.value for c in cells], total.value, forced=hidden)
    table.set_column(column, published, total)


def quiz_pass_rates(scope, locale: str) -> Table:
    """Per quiz: people who took it and the share who passed."""
    rows = [
        QuizRow(
            localised(quiz.titles, locale),
            Cell(quiz.took),
            Cell(quiz.passed),
            f"{100 * quiz.passed / quiz.took:.0f} %" if quiz.took else "—",
        )
        for quiz in queries.list_quiz_pass_rates(scope)
    ]
    return Table(
        "quizzes",
        _l("Quiz pass rates"),
        _headings(
            QuizRow,
            label=_l("Quiz"),
            took=_l("Took it"),
            passed=_l("Passed"),
            pass_rate=_l("Pass rate"),
        ),
        rows,
        None,
        _l("People who submitted an attempt (pre-tests excluded), and who passed at least once."),
    )


def institution_report(scope, locale: str) -> list[Table]:
    """Every table of an institution's dashboard (coordinators see exact counts)."""
    return [
        by_profession(scope),
        by_course(scope, locale),
        by_month(scope),
        quiz_pass_rates(scope, locale),
        gains(scope, "language"),
        *observerships.institution_tables(scope),
        *protocol_adoption.institution_tables(scope),
    ]


# What each figure counts (lazy: each dashboard shows them in its viewer's language).
TERMS = (
    (
        _l("Enrolled"),
        _l(
            "People enrolled in a course (or with a result in it). Over all "
            "courses, each person counts once."
        ),
    ),
    (
        _l("Finished"),
        _l(
            "People with a completion record: they met the course's "
            "completion rule in force at the time (the current rules are "
            "below). Over all courses, a person counts once, in the month "
            "of their first completion."
        ),
    ),
    (_l("In progress"), _l("Opened at least one lesson and not finished yet.")),
    (
        _l("Month"),
        _l(
            "Calendar month in UTC. The month filters limit finishing, "
            "knowledge tests, quizzes and case conferences to those months; "
            "on programme dashboards they go by whole calendar quarters "
            "(from January, April, July or October to March, June, "
            "September or December)."
        ),
    ),
    (
        _l("Language"),
        _l(
            "A learner's chosen language, else their institution's; for "
            "knowledge gain, the language of the post-test."
        ),
    ),
    (
        _l("Knowledge gain"),
        _l(
            "Post-test minus pre-test score in percentage points, for "
            "learners with both (a matched pair); effect size dz = mean "
            "gain ÷ standard deviation of the gains. Groups with fewer "
            "than 5 pairs are not shown; on programme dashboards, "
            "groups with fewer than 10 pairs are not shown, the number "
            "of pairs is rounded to 5, the mean gain to whole points "
            "and dz to one decimal."
        ),
    ),
    (
        _l("Cascade"),
        _l(
            "Master trainers are generation 0; a trainer certified by a "
            "trainer of generation n is of generation n + 1."
        ),
    ),
    (
        _l("Small numbers"),
        _l(
            "On programme dashboards, counts of 1 to 4 people are shown "
            "as “<5”, a second cell is hidden where a total would "
            "reveal the first, and every other count (totals and "
            "running totals too) is rounded to the nearest 5, so that "
            "no two figures differ by 1 to 4."
        ),
    ),
)


def definitions(courses, locale: str) -> list[tuple[str, str]]:
    """What each figure counts, and the completion rule (with its version) of each course
    that "finished" refers to: the footnote of every dashboard and export."""
    quiz_titles = queries.quiz_titles()
    return [
        *TERMS,
        *observerships.TERMS,
        *protocol_adoption.TERMS,
        *(_completion_rule(course, quiz_titles, locale) for course in courses),
    ]


def _completion_rule(course, quiz_titles: dict, locale: str) -> tuple[str, str]:
    """A course's completion rule, with its version, in words (and each profession's
    own path, where the course gives one)."""
    rule = course.completion_rule
    parts = [_("every required lesson done"), *_clauses_in_words(course, rule, quiz_titles, locale)]
    for profession, path in rule.get("paths", {}).items():
        clauses = _clauses_in_words(course, path, quiz_titles, locale) or [_("no quiz")]
        parts.append(
            _(
                "%(profession)s instead: %(clauses)s",
                profession=PROFESSION_LABELS[Profession(profession)],
                clauses=", ".join(str(clause) for clause in clauses),
            )
        )
    term = _(
        "%(course)s: completion rule v%(version)s",
        course=course.title(locale),
        version=rule.get("version", 1),
    )
    return term, "; ".join(str(part) for part in parts)


def _clauses_in_words(course, rule: dict, quiz_titles: dict, locale: str) -> list[str]:
    parts = []
    if rule.get("quizzes"):
        titles = [
            localised(quiz_titles.get((course.id, key)), locale, default=key)
            for key in rule["quizzes"]
        ]
        parts.append(_("passed: %(quizzes)s", quizzes=", ".join(titles)))
    if rule.get("workshop_sessions"):
        parts.append(
            ngettext(
                "%(num)d workshop session attended",
                "%(num)d workshop sessions attended",
                rule["workshop_sessions"],
            )
        )
    return parts
