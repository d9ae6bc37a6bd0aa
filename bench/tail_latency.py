"""Tail latency under concurrency: two gunicorn workers, 8 keep-alive clients.

Target (issue 21): p95 at most 2 × p50 for the lesson page (a signed-in learner) and for
the 500-learner cohort page (its trainer), on SQLite and on PostgreSQL.

On SQLite it measures "before" (``SQLITE_DEFERRED_READS=0``: every transaction opened with
BEGIN IMMEDIATE, which took the one write lock for read-only pages too, so the two workers
served them one at a time) and "after" (app/sqlite.py: safe requests read in deferred
transactions). On SQLite it also times one request while another connection holds the
write lock for a second (before: it waits), and walks 16 learners through every lesson
with 8 clients (each visit a first one, which writes): none may fail, each stored once.
PostgreSQL is untouched by the change: measured once. The data is
bench/cohort_matrix.py's (a trainer, a 500-learner cohort with progress).

BENCH_SECONDS (default 8; the cohort page 1.5 ×) sets each run's length and BENCH_ROUNDS
(default 2) the alternating rounds, whose medians are printed. Figures on a shared
machine are noisy: every line carries the load average.
"""

import contextlib
import http.client
import os
import queue
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from cohort_matrix import populate
from common import ROOT
from http_load import Gunicorn, load, load_average, pg_database, request, sign_in, sqlite_url
from sqlalchemy import select

from app import create_app
from app.auth.models import User
from app.courses.models import Lesson
from app.extensions import db

SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
CLIENTS, WORKERS, TARGET = 8, 2, 2.0
VISITORS = 16  # learners walked through every lesson, per SQLite server
HOLD = 1.0  # seconds another connection holds the write lock in the direct check
COURSE, LESSON = "foundations-of-palliative-care", "breakthrough-pain-and-conversions"
PASSWORD = "palliare-demo"


def prepare(url: str) -> tuple[str, str, str]:
    """Migrate and fill the database; the lesson's and the cohort's paths, and the learner."""
    from flask_migrate import upgrade

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, COURSES_DIR=str(ROOT / "courses"))
    with app.app_context():
        upgrade()
        _trainer, large, _small, _last = populate(app)
        lesson = db.session.scalar(select(Lesson.key).where(Lesson.key == LESSON))
        # The second learner took the pre-test (bench/cohort_matrix.py: k % 4 == 1), so the
        # lesson opens instead of sending them to the test.
        learner = db.session.scalars(
            select(User.email).where(User.email.like("learner%")).order_by(User.id)
        ).all()[1]
        db.session.remove()
        db.engine.dispose()
    return f"/courses/{COURSE}/lessons/{lesson}", f"/cohorts/{large}", learner


def _line(page: str, label: str, results) -> bool:
    """One page's figures on one server: the median over the rounds of p50 and p95."""
    p50 = statistics.median(r.p50_ms for r in results)
    p95 = statistics.median(r.p95_ms for r in results)
    ratio = p95 / p50
    errors = sum(r.errors for r in results)
    met = ratio <= TARGET and errors == 0
    rounds = ", ".join(f"{r.p50_ms:.0f}/{r.p95_ms:.0f}" for r in results)
    print(
        f"{page}, {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, p95/p50 {ratio:.2f} "
        f"(target ≤ {TARGET:g}: {'met' if met else 'MISSED'}, ratio {ratio / TARGET:.2f}); "
        f"{statistics.median(r.rps for r in results):.0f} requests/s, "
        f"p99 {statistics.median(r.p99_ms for r in results):.0f} ms, {errors} errors, "
        f"{sum(r.restarts for r in results)} worker restarts; rounds p50/p95 ms: {rounds}; "
        f"load average {statistics.mean(r.load_average for r in results):.1f}",
        flush=True,
    )
    return met


def read_while_a_writer_holds_the_lock(server, url: str, path: str, cookie: str) -> float:
    """Seconds one GET of ``path`` takes while another connection holds SQLite's write lock
    for HOLD seconds: a direct view of what made the tail, free of the machine's load."""
    database = url.removeprefix("sqlite:///")
    locked, done = threading.Event(), threading.Event()

    def writer():
        connection = sqlite3.connect(database, isolation_level=None, timeout=30)
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("UPDATE users SET name = name WHERE id = 1")
        locked.set()
        done.wait(HOLD)
        connection.execute("COMMIT")
        connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    locked.wait(10)
    start = time.perf_counter()
    status, _headers, _body = request(server, "GET", path, cookie=cookie)
    elapsed = time.perf_counter() - start
    done.set()
    thread.join()
    assert status == 200, status
    return elapsed


def first_visits(server, url: str, emails: list[str]) -> str:
    """CLIENTS keep-alive clients walk learners through every lesson of the course, each
    request a first visit that writes (progress, the enrolment's last lesson): no request
    may fail, and every visit must be stored once."""
    database = url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        course = connection.execute("SELECT id FROM courses WHERE key = ?", (COURSE,)).fetchone()
        keys = [k for (k,) in connection.execute(
            "SELECT key FROM lessons WHERE course_id = ? ORDER BY position", course
        )]  # fmt: skip
        ids = dict(connection.execute("SELECT email, id FROM users WHERE email LIKE 'l%'"))
    work = queue.Queue()
    for email in emails:
        work.put((ids[email], sign_in(server, email, PASSWORD)))
    statuses, lock = [], threading.Lock()

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        while True:
            try:
                _user, cookie = work.get_nowait()
            except queue.Empty:
                connection.close()
                return
            for key in keys:
                connection.request(
                    "GET",
                    f"/courses/{COURSE}/lessons/{key}",
                    headers={"Cookie": f"session={cookie}"},
                )
                response = connection.getresponse()
                response.read()
                with lock:
                    statuses.append(response.status)

    start = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    users = [ids[e] for e in emails]
    with sqlite3.connect(database) as connection:
        rows, pairs = connection.execute(
            "SELECT count(*), count(DISTINCT user_id || '-' || lesson_id) FROM lesson_progress "
            f"WHERE user_id IN ({','.join('?' * len(users))})",
            users,
        ).fetchone()
    failed = sum(status != 200 for status in statuses)
    ok = failed == 0 and rows == pairs == len(users) * len(keys)
    return (
        f"{len(statuses)} lesson visits by {len(users)} learners ({len(statuses) / elapsed:.0f}/s), "
        f"{failed} not 200, {rows} progress rows for {len(users) * len(keys)} lessons visited: "
        f"{'all stored once' if ok else 'FAILED: not all stored once'}"
    )


def measure(variants: dict, url: str, learner: str, paths) -> None:
    """Each variant (a label and its extra environment) on a server of its own, all started
    at once; the loads alternate between them, round after round, so that they share the
    machine's (changing) load alike."""
    lesson, cohort = paths
    with contextlib.ExitStack() as stack:
        servers = {
            label: stack.enter_context(Gunicorn(url, workers=WORKERS, env=env))
            for label, env in variants.items()
        }
        pages = {}
        for label, server in servers.items():
            pages[label] = {
                "lesson page (learner)": (lesson, sign_in(server, learner, PASSWORD), SECONDS),
                "500-learner cohort page (trainer)": (
                    cohort,
                    sign_in(server, "trainer@example.org", PASSWORD),
                    int(SECONDS * 1.5),  # a slow page: more time for enough samples
                ),
            }
        results = {(label, page): [] for label in servers for page in pages[label]}
        for _round in range(ROUNDS):
            for label, server in servers.items():
                for page, (path, cookie, seconds) in pages[label].items():
                    result = load(server, path, cookie=cookie, clients=CLIENTS, seconds=seconds)
                    results[label, page].append(result)
        for page in pages[next(iter(servers))]:
            for label in servers:
                _line(page, label, results[label, page])
        if url.startswith("sqlite"):  # now that every worker is warm
            for page in pages[next(iter(servers))]:
                for label, server in servers.items():
                    path, cookie, _seconds = pages[label][page]
                    waits = [
                        read_while_a_writer_holds_the_lock(server, url, path, cookie)
                        for _ in range(3)
                    ]
                    print(
                        f"{page}, {label}, one request while another connection holds the "
                        f"write lock for {HOLD:g} s: {statistics.median(waits) * 1000:.0f} ms "
                        f"(median of 3)",
                        flush=True,
                    )
            # First visits write: the retry at work, through real gunicorn workers.
            with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
                learners = [e for (e,) in connection.execute(
                    "SELECT email FROM users WHERE email LIKE 'learner%' ORDER BY id"
                )]  # fmt: skip
            pre_tested = learners[5::4]  # k % 4 == 1 took the pre-test; the second is busy
            for n, (label, server) in enumerate(servers.items()):
                mine = pre_tested[n * VISITORS : (n + 1) * VISITORS]
                print(f"first visits, {label}: {first_visits(server, url, mine)}", flush=True)


def main() -> int:
    print(
        f"{WORKERS} gunicorn workers × 2 threads, {CLIENTS} keep-alive clients, "
        f"{ROUNDS} alternating rounds of {SECONDS} s (lesson) and {int(SECONDS * 1.5)} s (cohort)"
    )
    print(load_average(), flush=True)
    folder = Path(tempfile.mkdtemp(prefix="palliare-tails-"))
    url = sqlite_url(folder)
    lesson, cohort, learner = prepare(url)
    measure(
        {
            "SQLite, before (BEGIN IMMEDIATE)": {"SQLITE_DEFERRED_READS": "0"},
            "SQLite, after (deferred reads)": {},
        },
        url,
        learner,
        (lesson, cohort),
    )
    with pg_database() as pg:
        if pg is None:
            print("PostgreSQL: skipped (it does not answer on 127.0.0.1:5432)")
        else:
            lesson, cohort, learner = prepare(pg)
            measure({"PostgreSQL": {}}, pg, learner, (lesson, cohort))
    print(load_average())
    return 0


if __name__ == "__main__":
    sys.exit(main())
