"""A programme's report: its tables as they may be published (small counts suppressed),
each with what it counts. The page, the CSV and the charts all read these tables, so an
export always equals the page."""

import math
from dataclasses import dataclass, field, replace

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.auth.models import PROFESSION_LABELS
from app.cohorts.cascade import Scope as CascadeScope
from app.cohorts.cascade import count_generations
from app.dashboards import queries
from app.dashboards.suppression import (
    ROUNDING,
    THRESHOLD,
    Cell,
    revealed_by_difference,
    suppress,
)

FINISHED = _l("Finished: a completion record of a course under its completion rule.")
GAIN_THRESHOLD = 10  # matched pairs a group needs before an aggregate-only viewer sees it


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)  # first cell a label, then Cells/figures
    total: list | None = None
    definition: str = ""


def _counted(key, title, columns, labels, columns_values, totals, definition, hide=True) -> Table:
    """A table of counts, each column suppressed against its total (unless not ``hide``)."""
    published = [
        suppress(values, total, hide) for values, total in zip(columns_values, totals, strict=True)
    ]
    rows = [
        [label, *(published[c][0][r] for c in range(len(published)))]
        for r, label in enumerate(labels)
    ]
    total = [_l("Total"), *(cells[1] for cells in published)]
    return Table(key, title, columns, rows, total, definition)


def by_institution(scope) -> list[Table]:
    rows = queries.list_finished_by_institution(scope)
    table = _counted(
        "institutions",
        _l("By institution"),
        [_l("Institution"), _l("Country"), _l("Enrolled"), _l("Finished")],
        [r[1] for r in rows],
        [[r[3] for r in rows], [r[4] for r in rows]],
        [sum(r[3] for r in rows), sum(r[4] for r in rows)],
        FINISHED,
    )
    for row, source in zip(table.rows, rows, strict=True):
        row.insert(1, source[2])
    table.total.insert(1, "")
    countries = {}
    for _id, _name, country, enrolled, finished in rows:
        got = countries.setdefault(country, [0, 0])
        got[0], got[1] = got[0] + enrolled, got[1] + finished
    by_country = _counted(
        "countries",
        _l("By country"),
        [_l("Country"), _l("Enrolled"), _l("Finished")],
        list(countries),
        [[v[0] for v in countries.values()], [v[1] for v in countries.values()]],
        [sum(v[0] for v in countries.values()), sum(v[1] for v in countries.values())],
        FINISHED,
    )
    _protect_groups(table)
    return [table, by_country]


def _protect_groups(table: Table) -> None:
    """Country totals are published too: within each country, one hidden institution
    must not be recoverable by subtraction, so hide a second one there as well."""
    for column in (2, 3):  # enrolled, finished (after the name and the country)
        groups = {}
        for index, row in enumerate(table.rows):
            groups.setdefault(row[1], []).append(index)
        for indices in groups.values():
            cells = [table.rows[i][column] for i in indices]
            hidden = {n for n, cell in enumerate(cells) if cell.hidden}
            published, _total = suppress([c.value for c in cells], sum(c.value for c in cells),
                                         forced=hidden)  # fmt: skip
            for i, cell in zip(indices, published, strict=True):
                table.rows[i][column] = cell


def by_profession(scope) -> Table:
    rows = queries.list_finished_by_profession(scope)
    return _counted(
        "professions",
        _l("By profession"),
        [_l("Profession"), _l("Enrolled"), _l("Finished")],
        [PROFESSION_LABELS[p] for p, _e, _f in rows],
        [[e for _p, e, _f in rows], [f for _p, _e, f in rows]],
        [sum(e for _p, e, _f in rows), sum(f for _p, _e, f in rows)],
        FINISHED,
        scope.aggregate_only,
    )


def by_course(scope, locale: str) -> Table:
    rows = queries.list_by_course(scope)
    labels = [_title(titles, locale) for _id, titles, *_rest in rows]
    columns = [[r[2] for r in rows], [r[3] for r in rows], [r[4] for r in rows]]
    return _counted(
        "courses",
        _l("By course"),
        [_l("Course"), _l("Enrolled"), _l("In progress"), _l("Completed")],
        labels,
        columns,
        [sum(c) for c in columns],
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
    values = [n for _m, n in rows]
    hide = scope.aggregate_only
    cells, total = suppress(values, sum(values), hide)
    running, table_rows = 0, []
    for (month, n), cell in zip(rows, cells, strict=True):
        running += n
        table_rows.append([month, cell, Cell(running, base=ROUNDING if hide else 1)])
    return Table(
        "months",
        _l("Finished per month"),
        [
            _l("Month"),
            _l("Finished"),
            _l("Cumulative (rounded to 5)") if hide else _l("Cumulative"),
        ],
        table_rows,
        [_l("Total"), total, ""],
        _l("People by the month of their first completion."),
    )


def gains(scope, dimension: str) -> Table:
    """Knowledge gain per group: n, mean gain (points), effect size (Cohen's dz), shown
    only for groups of at least 5 matched pairs. Aggregate-only viewers see a group only
    from 10 pairs, its n rounded to 5, the mean in whole points and dz to one decimal, so
    that two views differing by a learner or two cannot be solved for that learner's gain."""
    coarse = scope.aggregate_only
    limit, base = (GAIN_THRESHOLD, ROUNDING) if coarse else (THRESHOLD, 1)
    rows = []
    for label, n, mean, mean_square in queries.list_gain_by(dimension, scope):
        if n < limit:
            rows.append([label, Cell(n, hidden=True, base=base, limit=limit), "—", "—"])
            continue
        variance = max(mean_square - mean * mean, 0.0) * n / (n - 1) if n > 1 else 0.0
        sd = math.sqrt(variance)
        shown_mean = f"{mean:+.0f}" if coarse else f"{mean:+.1f}"
        dz = (f"{mean / sd:.1f}" if coarse else f"{mean / sd:.2f}") if sd else "—"
        rows.append([label, Cell(n, base=base), shown_mean, dz])
    title = (
        _l("Knowledge gain by institution")
        if dimension == "institution"
        else _l("Knowledge gain by language")
    )
    return Table(
        f"gain-{dimension}",
        title,
        [_l("Group"), _l("Matched pairs"), _l("Mean gain (points)"), _l("Effect size (dz)")],
        rows,
        None,
        _l(
            "Post-test minus pre-test percent, per learner; "
            "dz = mean gain ÷ standard deviation of gains."
        ),
    )


def cascade(scope) -> Table:
    generations = count_generations(
        CascadeScope(programme_id=scope.programme_id, institution_id=scope.institution_id),
        direct=False,  # the dashboard shows who was reached downstream, not directly
    )
    trainers, _t = suppress([g.trainers for g in generations], None, scope.aggregate_only)
    reached, _r = suppress([g.learners_reached for g in generations], None, scope.aggregate_only)
    rows = [[str(g.number), trainers[i], reached[i]] for i, g in enumerate(generations)]
    return Table(
        "cascade",
        _l("The cascade"),
        [
            _l("Generation"),
            _l("Certified trainers"),
            _l("Learners reached with everyone downstream"),
        ],
        rows,
        None,
        _l("Master trainers are generation 0."),
    )


def conferences(scope) -> Table:
    """Case conferences of the programme: sessions held (with attendance recorded),
    attendances and people; small numbers of people suppressed."""
    rows = queries.list_conference_figures(scope)
    people, _p = suppress([n for *_rest, n in rows], None, scope.aggregate_only)
    counts, _c = suppress([count for _t, _h, count, _n in rows], None, scope.aggregate_only)
    return Table(
        "conferences",
        _l("Case conferences"),
        [_l("Series"), _l("Sessions held"), _l("Attendances"), _l("People")],
        [
            [title, Cell(held), counts[i], people[i]]
            for i, (title, held, count, _n) in enumerate(rows)
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
    ]
    if scope.aggregate_only:
        _hide_differences(tables, scope, locale)
    return tables


def finished_headline(tables: list[Table]) -> Cell:
    """People who finished, as published: the total of the table by month."""
    return next(t for t in tables if t.key == "months").total[1]


NARROWING = ("institution_id", "profession", "course_id", "cohort_id", "language", "since", "until")
TOTAL = "__total__"


def _count_tables(scope, locale: str) -> list[Table]:
    return [*by_institution(scope), by_profession(scope), by_course(scope, locale), by_month(scope)]


def _counts_of(tables: list[Table]) -> dict:
    """(table, row label, column) → value of every count with a total (hidden ones too;
    not the running total by month, which has no total)."""
    found = {}
    for table in tables:
        if table.total is None or table.key not in COUNTED:
            continue
        for row in [*table.rows, [TOTAL, *table.total[1:]]]:
            for column, cell in enumerate(row):
                if isinstance(cell, Cell) and isinstance(table.total[column], Cell):
                    found[(table.key, str(row[0]), column)] = cell.value
    return found


COUNTED = ("institutions", "countries", "professions", "courses", "months")


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


def _suppress_again(table: Table, column: int, labels: set[str]) -> None:
    cells = [row[column] for row in table.rows]
    total = table.total[column]
    if TOTAL in labels or total.hidden:
        published, total = (
            [Cell(c.value, hidden=c.value > 0) for c in cells],
            Cell(total.value, True),
        )
    else:
        hidden = {
            i for i, row in enumerate(table.rows) if row[column].hidden or str(row[0]) in labels
        }
        published, total = suppress([c.value for c in cells], total.value, forced=hidden)
    for row, cell in zip(table.rows, published, strict=True):
        row[column] = cell
    table.total[column] = total


def quiz_pass_rates(scope, locale: str) -> Table:
    """Per quiz: people who took it and the share who passed."""
    rows = []
    for _id, titles, took, passed in queries.list_quiz_pass_rates(scope):
        label = _title(titles, locale)
        rows.append(
            [label, Cell(took), Cell(passed), f"{100 * passed / took:.0f} %" if took else "—"]
        )
    return Table(
        "quizzes",
        _l("Quiz pass rates"),
        [_l("Quiz"), _l("Took it"), _l("Passed"), _l("Pass rate")],
        rows,
        None,
        _l("People who submitted an attempt (pre-tests excluded), and who passed at least once."),
    )


def institution_report(scope, locale: str) -> list[Table]:
    """Every table of an institution's dashboard (coordinators see exact counts)."""
    return [by_profession(scope), by_course(scope, locale), by_month(scope),
            quiz_pass_rates(scope, locale), gains(scope, "language")]  # fmt: skip


def definitions(courses, locale: str) -> list[tuple[str, str]]:
    """What each figure counts, and the completion rule (with its version) of each course
    that "finished" refers to: the footnote of every dashboard and export."""
    terms = [
        (_l("Enrolled"), _l("People enrolled in a course (or with a result in it). Over all "
                             "courses, each person counts once.")),
        (_l("Finished"), _l("People with a completion record: they met the course's "
                             "completion rule in force at the time (the current rules are "
                             "below). Over all courses, a person counts once, in the month "
                             "of their first completion.")),
        (_l("In progress"), _l("Opened at least one lesson and not finished yet.")),
        (_l("Month"), _l("Calendar month in UTC. The month filters limit finishing, "
                         "knowledge tests, quizzes and case conferences to those months; "
                         "on programme dashboards they go by whole calendar quarters "
                         "(from January, April, July or October to March, June, "
                         "September or December).")),
        (_l("Language"), _l("A learner's chosen language, else their institution's; for "
                            "knowledge gain, the language of the post-test.")),
        (_l("Knowledge gain"), _l("Post-test minus pre-test score in percentage points, for "
                                  "learners with both (a matched pair); effect size dz = mean "
                                  "gain ÷ standard deviation of the gains. Groups with fewer "
                                  "than 5 pairs are not shown; on programme dashboards, "
                                  "groups with fewer than 10 pairs are not shown, the number "
                                  "of pairs is rounded to 5, the mean gain to whole points "
                                  "and dz to one decimal.")),
        (_l("Cascade"), _l("Master trainers are generation 0; a trainer certified by a "
                           "trainer of generation n is of generation n + 1.")),
        (_l("Small numbers"), _l("On programme dashboards, counts of 1 to 4 people are shown "
                                 "as “<5”, a second cell is hidden where a total would "
                                 "reveal the first, and every other count (totals and "
                                 "running totals too) is rounded to the nearest 5, so that "
                                 "no two figures differ by 1 to 4.")),
    ]  # fmt: skip
    quiz_titles = queries.quiz_titles()
    for course in courses:
        rule = course.completion_rule
        parts = [_("every required lesson done")]
        if rule.get("quizzes"):
            titles = [_title(quiz_titles.get((course.id, key), {key: key}), locale)
                      for key in rule["quizzes"]]  # fmt: skip
            parts.append(_("passed: %(quizzes)s", quizzes=", ".join(titles)))
        if rule.get("workshop_sessions"):
            parts.append(
                ngettext("%(num)d workshop session attended",
                         "%(num)d workshop sessions attended", rule["workshop_sessions"])
            )  # fmt: skip
        terms.append((
            _("%(course)s: completion rule v%(version)s", course=course.title(locale),
              version=rule.get("version", 1)),
            "; ".join(str(part) for part in parts),
        ))  # fmt: skip
    return terms


def _title(titles: dict, locale: str) -> str:
    return titles.get(locale) or next(iter(titles.values()))
