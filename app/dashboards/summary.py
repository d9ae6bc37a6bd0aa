"""The dashboards' summary tables, kept equal to the raw rows on every commit.

Each person counts once per course they are in (enrolled, finished or with a knowledge
gain) and once over all their courses (course key 0), in one bucket: who they are
(institution, profession, language) and how far they got (month of finishing, begun or
not, knowledge gain). ``report_people`` keeps each person's rows; ``report_counts`` and
``report_gains`` are their sums, so a dashboard reads a few thousand rows however many
millions of progress rows there are.

The services that change a person's enrolments, completions, knowledge gains or profile
say so with a signal (``app.events``); at the next commit that person's rows are
recomputed from the raw rows (``person_rows``, the one definition) and the difference is
added to the sums. The person's row in ``users`` is locked meanwhile, so two
commits about one person cannot both subtract the same old row. Writes that bypass the
ORM (the scaled demo's bulk inserts) call ``rebuild`` instead; so does
``flask reports rebuild``. The tests prove the sums equal counts made from the raw rows.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from sqlalchemy import BigInteger, Connection, cast, delete, event, func, insert, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.courses.models import Enrolment
from app.dashboards.models import ANY_COURSE, NOT_FINISHED, ReportCount, ReportGain, ReportPerson
from app.db_types import insert_with_on_conflict
from app.events import PEOPLE_SIGNALS, institutions_changed
from app.extensions import db
from app.institutions.models import Institution
from app.learning.models import Completion, KnowledgeGain
from app.quizzes.models import Attempt

TOUCHED = "report_people_touched"  # session.info key: ids of people to recount at commit
CHUNK = 1000
PEOPLE = ReportPerson.__table__
COUNTS = ReportCount.__table__
GAINS = ReportGain.__table__
COUNT_KEY = ("institution_id", "profession", "language", "course_key", "finished_month")
GAIN_KEY = ("institution_id", "profession", "course_key", "gain_language", "gain_month")
GAIN_BUCKET = ("institution_id", "profession", "course_id", "language", "month")  # report_gains
# A person's row before their enrolments, completions and gains are read.
NOTHING_YET = {
    "finished_month": NOT_FINISHED,
    "begun": 0,
    "gain": None,
    "gain_language": "",
    "gain_month": "",
}


def month_of(moment: datetime) -> str:
    """``YYYY-MM`` of a moment, in UTC (the reports' calendar)."""
    return moment.astimezone(UTC).strftime("%Y-%m")


def person_rows(connection: Connection, people: Callable) -> dict[tuple[int, int], dict]:
    """What each person selected by ``people(user_id column)`` contributes, from the raw
    rows: ``{(user id, course key): row of report_people}``. People without an
    institution count nowhere (every dashboard is an institution's or a programme's)."""
    who = _who(connection, people)
    rows: dict[tuple[int, int], dict] = {}

    def row(user_id: int, course_id: int) -> dict | None:
        if user_id not in who:
            return None
        return rows.setdefault((user_id, course_id), _course_row(user_id, course_id, who))

    for user_id, course_id, begun in connection.execute(_enrolments(people)):
        if (found := row(user_id, course_id)) is not None:
            found["begun"] = int(bool(begun))
    for user_id, course_id, at in connection.execute(_completions(people)):
        if (found := row(user_id, course_id)) is not None:
            found["finished_month"] = month_of(at)
    for user_id, course_id, gain, language, at in connection.execute(_gains(people)):
        if (found := row(user_id, course_id)) is not None:
            found.update(gain=round(gain * 100), gain_language=language, gain_month=month_of(at))
    _add_overall_rows(rows)
    return rows


def _who(connection: Connection, people: Callable) -> dict[int, tuple]:
    """``{user id: (institution id, profession, language)}``, for people with an
    institution; their language is the institution's unless they chose one."""
    query = (
        select(
            User.id,
            User.institution_id,
            User.profession,
            func.coalesce(User.locale, Institution.default_locale),
        )
        .join(Institution, Institution.id == User.institution_id)
        .where(people(User.id))
    )
    return {
        user_id: (institution_id, str(profession), language)
        for user_id, institution_id, profession, language in connection.execute(query)
    }


def _course_row(user_id: int, course_key: int, who: dict[int, tuple]) -> dict:
    institution_id, profession, language = who[user_id]
    return {
        "user_id": user_id,
        "course_key": course_key,
        "institution_id": institution_id,
        "profession": profession,
        "language": language,
        **NOTHING_YET,
    }


def _enrolments(people: Callable):
    return select(
        Enrolment.user_id, Enrolment.course_id, Enrolment.last_activity_at.is_not(None)
    ).where(people(Enrolment.user_id))


def _completions(people: Callable):
    return select(Completion.user_id, Completion.course_id, Completion.completed_at).where(
        people(Completion.user_id)
    )


def _gains(people: Callable):
    """Each knowledge gain, in the language and month of its post-test."""
    return (
        select(
            KnowledgeGain.user_id,
            KnowledgeGain.course_id,
            KnowledgeGain.gain,
            Attempt.locale,
            Attempt.submitted_at,
        )
        .join(Attempt, Attempt.id == KnowledgeGain.post_attempt_id)
        .where(people(KnowledgeGain.user_id))
    )


def _add_overall_rows(rows: dict[tuple[int, int], dict]) -> None:
    """Each person's row over all their courses: begun if they began any, finished in
    the month of their first completion. Knowledge gains are per course only."""
    for (user_id, _course), course_row in list(rows.items()):
        overall = rows.setdefault(
            (user_id, ANY_COURSE), {**course_row, "course_key": ANY_COURSE, **NOTHING_YET}
        )
        overall["begun"] = max(overall["begun"], course_row["begun"])
        months = [m for m in (overall["finished_month"], course_row["finished_month"]) if m]
        overall["finished_month"] = min(months, default=NOT_FINISHED)  # the first completion


def refresh(connection: Connection, user_ids: Iterable[int]) -> None:
    """Recount these people: replace their rows and add the difference to the sums."""
    ids = sorted(set(user_ids))
    for start in range(0, len(ids), CHUNK):
        _refresh_chunk(connection, ids[start : start + CHUNK])


def lock_people(connection: Connection, user_ids: Iterable[int]) -> None:
    """Lock these people's rows in ``users`` until the transaction ends, in id order (so
    that two commits cannot deadlock on them); SQLite transactions are serialised
    already."""
    ids = sorted(set(user_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        connection.execute(
            select(User.id).where(User.id.in_(chunk)).order_by(User.id).with_for_update()
        )


def _refresh_chunk(connection: Connection, chunk: list[int]) -> None:
    lock_people(connection, chunk)  # before reading their old rows (held already at commit)
    old = {
        (row["user_id"], row["course_key"]): dict(row)
        for row in connection.execute(select(PEOPLE).where(PEOPLE.c.user_id.in_(chunk)))
        .mappings()
        .all()
    }
    new = person_rows(connection, lambda column: column.in_(chunk))
    changed = sorted(key for key in old.keys() | new.keys() if old.get(key) != new.get(key))
    if not changed:
        return
    counts, gains = Counter(), Counter()
    for key in changed:
        if key in old:
            _add(counts, gains, old[key], -1)
        if key in new:
            _add(counts, gains, new[key], +1)
    _replace_rows(connection, [key for key in changed if key in old], new, changed)
    _apply(connection, counts, gains)


def _replace_rows(connection: Connection, stale: list, new: dict, changed: list) -> None:
    for user_id, course_key in stale:
        connection.execute(
            delete(PEOPLE).where(PEOPLE.c.user_id == user_id, PEOPLE.c.course_key == course_key)
        )
    if fresh := [new[key] for key in changed if key in new]:
        connection.execute(insert(PEOPLE), fresh)


def _add(counts: Counter, gains: Counter, row: dict, sign: int) -> None:
    key = tuple(row[name] for name in COUNT_KEY)
    counts[key + ("people",)] += sign
    counts[key + ("begun",)] += sign * row["begun"]
    if row["gain"] is not None:
        key = tuple(row[name] for name in GAIN_KEY)
        gains[key + ("pairs",)] += sign
        gains[key + ("total",)] += sign * row["gain"]
        gains[key + ("squares",)] += sign * row["gain"] * row["gain"]


def _apply(connection: Connection, counts: Counter, gains: Counter) -> None:
    """Add the differences to the sums (insert a bucket the first time it is used)."""
    count_rows = _by_key(counts, ("people", "begun"))
    rows = [dict(zip(COUNT_KEY, key, strict=True)) | values for key, values in count_rows]
    _upsert(connection, COUNTS, rows, ("people", "begun"))
    gain_rows = _by_key(gains, ("pairs", "total", "squares"))
    rows = [dict(zip(GAIN_BUCKET, key, strict=True)) | values for key, values in gain_rows]
    _upsert(connection, GAINS, rows, ("pairs", "total", "squares"))


def _by_key(deltas: Counter, fields: tuple[str, ...]) -> list[tuple[tuple, dict]]:
    keys = sorted({key[:-1] for key in deltas})  # sorted: every commit locks in one order
    found = [(key, {name: deltas[key + (name,)] for name in fields}) for key in keys]
    return [(key, values) for key, values in found if any(values.values())]


def _upsert(connection: Connection, table, rows: list[dict], sums: tuple[str, ...]) -> None:
    if not rows:
        return
    statement = insert_with_on_conflict(connection.dialect.name)(table)
    statement = statement.on_conflict_do_update(
        index_elements=[column.name for column in table.primary_key],
        set_={name: table.c[name] + statement.excluded[name] for name in sums},
    )
    connection.execute(statement, rows)


def rebuild(connection: Connection) -> None:
    """Recompute every summary table from the raw rows (after bulk writes)."""
    for table in (PEOPLE, COUNTS, GAINS):
        connection.execute(delete(table))
    _rebuild_people(connection)
    _sum_counts(connection)
    _sum_gains(connection)


def _rebuild_people(connection: Connection) -> None:
    """Everyone's rows, a block of user ids at a time (a few thousand rows in memory)."""
    last = connection.scalar(select(func.max(User.id))) or 0
    for start in range(0, last + 1, CHUNK * 5):
        end = start + CHUNK * 5 - 1
        rows = person_rows(connection, lambda column, s=start, e=end: column.between(s, e))
        if rows:
            connection.execute(insert(PEOPLE), list(rows.values()))


def _sum_counts(connection: Connection) -> None:
    people = [PEOPLE.c[name] for name in COUNT_KEY]
    connection.execute(
        insert(COUNTS).from_select(
            [*COUNT_KEY, "people", "begun"],
            select(*people, func.count(), func.sum(PEOPLE.c.begun)).group_by(*people),
        )
    )


def _sum_gains(connection: Connection) -> None:
    keys = [PEOPLE.c[name] for name in GAIN_KEY]
    gain = cast(PEOPLE.c.gain, BigInteger)
    connection.execute(
        insert(GAINS).from_select(
            [*GAIN_BUCKET, "pairs", "total", "squares"],
            select(*keys, func.count(), func.sum(gain), func.sum(gain * gain))
            .where(PEOPLE.c.gain.is_not(None))
            .group_by(*keys),
        )
    )


# --- Keeping the sums up to date: the services name who changed, recount them at commit.


def connect(session_class) -> None:
    """Recount, at each commit of a session of ``session_class`` (the app's), the people
    the services' signals named during the transaction (``app.events``)."""
    for signal in PEOPLE_SIGNALS:
        signal.connect(_note_people)
    institutions_changed.connect(_note_members)
    for name, listener in (
        ("before_commit", _recount_noted_people),
        ("after_transaction_end", _forget_noted_people),
    ):
        if not event.contains(session_class, name, listener):
            event.listen(session_class, name, listener)


def _note_people(_sender, user_ids) -> None:
    db.session.info.setdefault(TOUCHED, set()).update(user_ids)


def _note_members(_sender, institution_ids) -> None:
    members = select(User.id).where(User.institution_id.in_(institution_ids))
    _note_people(None, db.session.scalars(members))


def _recount_noted_people(session: Session) -> None:
    # Lock the people first, then write: a flush that inserts rows referring to a person
    # takes a share lock on their row, and two commits each holding one while asking for
    # the other's update lock would deadlock (PostgreSQL).
    if noted := session.info.get(TOUCHED):
        lock_people(session.connection(), noted)
    session.flush()  # the recount reads the raw rows: the last changes must be there
    if touched := session.info.pop(TOUCHED, None):
        refresh(session.connection(), touched)


def _forget_noted_people(session: Session, transaction) -> None:
    if transaction.parent is None:  # rolled back (a commit has recounted them already)
        session.info.pop(TOUCHED, None)
