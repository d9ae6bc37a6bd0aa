"""The nightly check that the dashboards' summary tables equal the raw rows.

The summaries are kept current at every commit (app/dashboards/summary.py); a bulk write
that bypassed the ORM, a restore, or a bug would make them drift silently. This recounts
every person from the raw rows, and every sum from the per-person rows, and names what
differs; ``check_and_repair`` logs a mismatch loudly and rebuilds the tables.
"""

import logging
from collections import Counter

from sqlalchemy import Connection, func, select

from app.auth.models import User
from app.dashboards import summary
from app.dashboards.summary import COUNT_KEY, COUNTS, GAIN_KEY, GAINS, PEOPLE

log = logging.getLogger(__name__)

# Mismatches named in the log (the rest are counted).
SHOWN = 20
GAIN_COLUMNS = ("institution_id", "profession", "course_id", "language", "month")


def find_mismatches(connection: Connection) -> list[str]:
    """Every difference between the summary tables and a recount, in words."""
    return _people_mismatches(connection) + _sum_mismatches(connection)


def _people_mismatches(connection: Connection) -> list[str]:
    problems = []
    last = connection.scalar(select(func.max(User.id))) or 0
    step = summary.CHUNK * 5
    for start in range(0, last + 1, step):
        end = start + step - 1
        counted = summary.person_rows(connection, lambda c, s=start, e=end: c.between(s, e))
        stored = {
            (row["user_id"], row["course_key"]): dict(row)
            for row in connection.execute(
                select(PEOPLE).where(PEOPLE.c.user_id.between(start, end))
            ).mappings()
        }
        problems += [
            f"person {key[0]}, course {key[1]}: "
            f"stored {stored.get(key)}, counted {counted.get(key)}"
            for key in sorted(counted.keys() | stored.keys())
            if counted.get(key) != stored.get(key)
        ]
    return problems


def _sum_mismatches(connection: Connection) -> list[str]:
    counts, gains = ("people", "begun"), ("pairs", "total", "squares")
    people = [PEOPLE.c[name] for name in COUNT_KEY]
    gain_keys, gain = [PEOPLE.c[name] for name in GAIN_KEY], PEOPLE.c.gain
    recount = select(*people, func.count(), func.sum(PEOPLE.c.begun)).group_by(*people)
    regain = (
        select(*gain_keys, func.count(), func.sum(gain), func.sum(gain * gain))
        .where(gain.is_not(None))
        .group_by(*gain_keys)
    )
    stored_counts = select(*[COUNTS.c[name] for name in (*COUNT_KEY, *counts)])
    stored_gains = select(*[GAINS.c[name] for name in (*GAIN_COLUMNS, *gains)])
    return _differences(
        "counts", _counter(connection, stored_counts, counts), _counter(connection, recount, counts)
    ) + _differences(
        "gains", _counter(connection, stored_gains, gains), _counter(connection, regain, gains)
    )


def _differences(table: str, stored: Counter, counted: Counter) -> list[str]:
    return [
        f"{table} {key}: stored {stored.get(key, 0)}, counted {counted.get(key, 0)}"
        for key in sorted(stored.keys() | counted.keys(), key=repr)
        if stored.get(key, 0) != counted.get(key, 0)
    ]


def _counter(connection: Connection, query, sums: tuple[str, ...]) -> Counter:
    """``{(bucket…, sum name): value}`` without zeros (a bucket emptied keeps its row)."""
    counter = Counter()
    for row in connection.execute(query):
        (*key,) = row[: -len(sums)]
        for name, value in zip(sums, row[-len(sums) :], strict=True):
            counter[(*key, name)] += int(value or 0)
    return +counter


def check_and_repair(connection: Connection) -> list[str]:
    """Check; on a mismatch, log it as an error and rebuild. Returns the mismatches."""
    problems = find_mismatches(connection)
    if problems:
        log.error(
            "Dashboard summary tables differ from the raw rows in %d place(s); rebuilding. %s",
            len(problems),
            "; ".join(problems[:SHOWN]),
        )
        summary.rebuild(connection)
    return problems
