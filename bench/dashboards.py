"""Dashboards at national scale: 100,000 learners (``flask demo --scale``) on PostgreSQL.

Targets (issue 21, tightened from issue 7's 300 and 200 ms): the scaled world generated in
at most 120 s; the funder's programme dashboard in at most 150 ms server time and the
institution dashboard in at most 120 ms (p95 of 20 requests after a warm-up), each with a
number of SQL queries that does not grow with the data (tests/dashboards/
test_query_count.py asserts that). Printed at the end: both p95s with their targets and
ratios, the load average and a machine reading before and after (bench/http_load.py: a
bare hello-world's speed; the machine is shared and its speed moves). Also printed: the
exports, the API, the trainer's cohorts at a glance, and what keeping the summary tables
current adds to one commit.

    python dashboards.py [--learners N] [--sqlite] [--reuse]

PostgreSQL runs in a database of its own (``palliare_bench``, recreated unless --reuse
finds it filled); --sqlite runs on a temporary SQLite file instead.
"""

import argparse
import os
import sys
from datetime import UTC, datetime

import psycopg
from common import (
    ROOT,
    freeze_like_production,
    percentile,
    session_cookie,
    summary,
    timed,
    use_session,
)
from flask_migrate import upgrade
from http_load import machine_reading
from sqlalchemy import event, func, select

from app import create_app
from app.auth.models import Profession, Role, RoleAssignment, User
from app.courses.importer import import_courses
from app.demo import seed_demo
from app.demo.scale import generate
from app.extensions import db
from app.institutions.models import Programme
from app.learning.models import Completion

PG_SERVER = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/palliare_bench"
RUNS = 20
TARGETS_MS = {"programme dashboard": 150, "institution dashboard": 120}
GENERATION_TARGET_S = 120


def _database(use_sqlite: bool, reuse: bool) -> tuple[str, bool]:
    """The database URL, and whether it already holds the scaled world."""
    if use_sqlite:
        import tempfile

        return f"sqlite:///{tempfile.mkdtemp(prefix='palliare-bench-')}/bench.db", False
    with psycopg.connect(PG_SERVER, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = 'palliare_bench'"
        ).fetchone()
        if exists and reuse:
            return PG_URL, True
        connection.execute("DROP DATABASE IF EXISTS palliare_bench WITH (FORCE)")
        connection.execute("CREATE DATABASE palliare_bench")
    return PG_URL, False


def _build(app, learners: int) -> None:
    with app.app_context():
        upgrade()
        import_courses(ROOT / "courses")
        seed_demo("small")  # the accounts; the scaled world is the benchmark's own
        db.session.commit()
        seconds = timed(lambda: (generate(learners), db.session.commit()))
        print(
            f"generated {learners:,} learners in {seconds:.1f} s "
            f"(target {GENERATION_TARGET_S} s: {seconds / GENERATION_TARGET_S:.2f})"
        )
        if db.engine.dialect.name == "postgresql":
            # Statistics and the visibility map, as autovacuum keeps them in production
            # (without VACUUM no index-only scan pays: every row's page is read too).
            with db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                    "VACUUM ANALYZE"
                )


def _people(app) -> dict:
    """Who looks: the demo funder, a coordinator of the largest institution, a trainer."""
    with app.app_context():
        funder = db.session.scalar(select(User).where(User.email == "funder@example.org"))
        programme_id = next(iter(funder.scoped_ids(Role.FUNDER, "programme_id")))
        largest = db.session.execute(
            select(User.institution_id, func.count())
            .where(User.institution_id.is_not(None))
            .group_by(User.institution_id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
        coordinator = db.session.scalar(
            select(User).where(User.email == "bench-coordinator@example.org")
        )
        if coordinator is None:
            coordinator = User(email="bench-coordinator@example.org", name="Bench",
                               profession=Profession.DOCTOR, password_hash="x",
                               institution_id=largest[0])  # fmt: skip
            coordinator.role_assignments.append(
                RoleAssignment(role=Role.COORDINATOR, institution_id=largest[0])
            )
            db.session.add(coordinator)
            db.session.commit()
        trainer = db.session.scalar(select(User).where(User.email == "trainer@example.org"))
        return {
            "programme": programme_id,
            "institution": largest[0],
            "institution_people": largest[1],
            "funder": funder.get_id(),
            "coordinator": coordinator.get_id(),
            "trainer": trainer.get_id(),
            "programme_name": db.session.get(Programme, programme_id).name,
        }


def _measure(app, session_id: str, url: str) -> tuple[list[float], int, int]:
    """Server times of ``RUNS`` requests (after a warm-up), SQL statements, bytes."""
    client = app.test_client()
    cookie, _token = session_cookie(app, session_id)
    use_session(client, app, cookie)
    statements = []

    def count(*_args):
        statements.append(1)

    with app.app_context():
        engine = db.engine
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    event.listen(engine, "before_cursor_execute", count)
    client.get(url)
    event.remove(engine, "before_cursor_execute", count)
    times = [timed(lambda: client.get(url)) for _ in range(RUNS)]
    return times, len(statements), len(response.data)


def _summary_write_cost(app) -> list[float]:
    """One commit that records a completion (and so recounts one person's summaries)."""
    times = []
    with app.app_context():
        course_id = db.session.scalar(select(func.min(Completion.course_id)))
        people = db.session.scalars(
            select(User.id)
            .where(User.email.like("scale%"), ~User.id.in_(select(Completion.user_id)))
            .limit(30)
        ).all()
        for user_id in people:
            db.session.add(Completion(user_id=user_id, course_id=course_id, rule_version=2,
                                      rule={}, completed_at=datetime.now(UTC)))  # fmt: skip
            times.append(timed(db.session.commit))
        db.session.execute(Completion.__table__.delete().where(Completion.user_id.in_(people)))
        db.session.commit()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    options = parser.parse_args()
    url, filled = _database(options.sqlite, options.reuse)
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False,
                     MAIL_BACKEND="file", RATELIMIT_ENABLED=False)  # fmt: skip
    if not filled:
        _build(app, options.learners)
    who = _people(app)
    freeze_like_production()
    print(f"database: {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}; "
          f"programme {who['programme_name']!r}; institution of {who['institution_people']:,} "
          "people")  # fmt: skip
    pages = [
        ("programme dashboard", who["funder"], f"/dashboards/programmes/{who['programme']}"),
        ("programme dashboard, filtered (nurses, 2025-01..2025-12)", who["funder"],
         f"/dashboards/programmes/{who['programme']}?profession=nurse&since=2025-01&until=2025-12"),
        ("programme CSV (by institution)", who["funder"],
         f"/dashboards/programmes/{who['programme']}/institutions.csv"),
        ("programme workbook (.xlsx)", who["funder"], f"/dashboards/programmes/{who['programme']}.xlsx"),
        ("institution dashboard", who["coordinator"], f"/dashboards/institutions/{who['institution']}"),
        ("trainer's cohorts at a glance", who["trainer"], "/dashboards/cohorts"),
    ]  # fmt: skip
    print(machine_reading())  # before and after: the machine's speed moves
    found = {}
    for label, session_id, page in pages:
        times, statements, size = _measure(app, session_id, page)
        line = summary(label, times) + f" queries={statements} size={size / 1024:.0f} KB"
        target = TARGETS_MS.get(label)
        if target:
            found[label] = percentile([t * 1000 for t in times], 0.95)
            line += f" | target p95 {target} ms: {found[label] / target:.2f}"
        print(line)
    print(summary("commit of one completion, summaries recounted", _summary_write_cost(app)))
    load = ", ".join(f"{figure:.2f}" for figure in os.getloadavg())
    for label, p95 in found.items():
        target = TARGETS_MS[label]
        verdict = "met" if p95 <= target else "MISSED"
        print(
            f"{label} p95: {p95:.0f} ms (target {target} ms: {verdict}, ratio {p95 / target:.2f})"
        )
    print(f"load average (1, 5, 15 min): {load}")
    print(machine_reading())
    return 1 if any(p95 > TARGETS_MS[label] for label, p95 in found.items()) else 0


if __name__ == "__main__":
    sys.exit(main())
