"""The lesson page against the floor: a bare Flask hello-world in the same run, both under
the production gunicorn settings (deploy/gunicorn.conf.py: 2 workers x 2 threads, gthread,
preloaded app), with keep-alive clients (one process each, a signed-in learner each for
the lesson). Also: SQL statements per lesson request and the share of repeat views
answered 304. The servers' memory is bench/memory.py's (one place for it).

Targets (issue 21): lesson >= 0.15 x hello-world; at most 4 SQL statements per lesson
request.

The machine is shared and has 2 cores, which the clients share with the servers: rounds
alternate (hello, lesson, hello, lesson...) and the load average is printed.
"""

import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

from common import ROOT
from http_load import deploy_environment
from procs import BIN, HOST, Browser, Stack, app_env, free_port, wait_until

sys.path.insert(0, str(ROOT))

LEARNERS = 10_000
COURSE = "foundations-of-palliative-care"
LESSON = "breakthrough-pain-and-conversions"
URL = f"/courses/{COURSE}/lessons/{LESSON}"
ROUNDS = int(os.environ.get("FLOOR_ROUNDS", "5"))  # medians: the machine is shared
SECONDS = float(os.environ.get("FLOOR_SECONDS", "4"))
CLIENTS = (1, 4)
TARGET_RATIO = 0.15
TARGET_QUERIES = 4


def prepare(folder: Path) -> str:
    """A migrated SQLite database with the courses and 10,000 enrolled learners; returns
    its URL after counting the statements of a warm lesson request (printed)."""
    from flask_migrate import upgrade
    from lesson_page import populate
    from sqlalchemy import event

    from app import create_app
    from app.extensions import db

    url = f"sqlite:///{folder / 'floor.db'}"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False)
    with app.app_context():
        upgrade()
        populate(app)
    client = app.test_client()
    client.post("/login", data={"email": "learner5000@example.org", "password": "palliare-demo"})
    for _ in range(3):
        assert client.get(URL).status_code == 200
    statements: list[str] = []
    with app.app_context():
        engine = db.engine
    listener = lambda _c, _cur, statement, *a: statements.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    client.get(URL)
    event.remove(engine, "before_cursor_execute", listener)
    queries = [s for s in statements if not s.startswith(("BEGIN", "COMMIT"))]
    print(
        f"SQL per warm lesson request: {len(queries)} queries (+{len(statements) - len(queries)} "
        f"BEGIN/COMMIT); target {TARGET_QUERIES}: "
        f"{'met' if len(queries) <= TARGET_QUERIES else 'MISSED'}"
    )
    return url


def gunicorn(stack: Stack, name: str, env: dict, app: str, extra=()):
    port = free_port()
    argv = [BIN / "gunicorn", "-c", ROOT / "deploy/gunicorn.conf.py", "--bind", f"{HOST}:{port}",
            "--access-logfile", "/dev/null", *extra, app]  # fmt: skip
    proc = stack.start(name, argv, env)
    wait_until(f"{name} answers", lambda: Browser(port, timeout=2).get("/").status < 500, 120,
               stack, [proc], )  # fmt: skip
    return proc, port


def sign_in_all(port: int, clients: int) -> list[dict]:
    """The session cookies of ``clients`` signed-in learners, each seen the lesson once
    (the first view after signing in shows a flash message)."""
    cookies = []
    for i in range(clients):
        browser = Browser(port)
        browser.sign_in(f"learner{100 + i}@example.org", "palliare-demo")
        assert browser.get(URL).status == 200
        cookies.append(dict(browser.cookies))
        browser.close()
    return cookies


def _client(port: int, path: str, cookies, seconds: float, conditional, out) -> None:
    browser = Browser(port)
    browser.cookies = dict(cookies or {})
    first = browser.get(path)
    assert first.status == 200, (path, first.status)
    headers = {}
    if conditional and first.header("ETag"):
        headers["If-None-Match"] = first.header("ETag")
    count = not_modified = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        status = browser.get(path, headers=headers).status
        assert status in (200, 304), status
        count += 1
        not_modified += status == 304
    out.put((count, not_modified))


def load(port, path, clients, seconds=SECONDS, sessions=None, conditional=False):
    """Requests per second of ``clients`` keep-alive client processes (and the 304 share);
    ``sessions``: the cookies of signed-in learners, one per client."""
    out = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(
            target=_client,
            args=(port, path, sessions[i] if sessions else None, seconds, conditional, out),
        )
        for i in range(clients)
    ]
    for worker in workers:
        worker.start()
    results = [out.get(timeout=seconds + 120) for _ in workers]
    for worker in workers:
        worker.join()
    total = sum(count for count, _ in results)
    return total / seconds, sum(n for _, n in results) / max(total, 1)


def main() -> None:
    multiprocessing.set_start_method("fork")
    with Stack(prefix="palliare-floor-") as stack:
        database = prepare(stack.dir)
        env = app_env(PALLIARE_ENV="production", SECRET_KEY="bench-" + os.urandom(8).hex(),
                      TRUSTED_HOSTS=HOST, SERVER_NAME=HOST, DATABASE_URL=database,
                      LOGIN_RATE_LIMIT="10000 per minute")  # fmt: skip
        env.update(deploy_environment())  # MALLOC_ARENA_MAX…: what production runs
        _hello, hello_port = gunicorn(stack, "hello", env, "hello_wsgi:app",
                                     ["--pythonpath", ROOT / "bench"])  # fmt: skip
        _lesson, lesson_port = gunicorn(stack, "lesson", env, "wsgi:app")
        sessions = sign_in_all(lesson_port, max(CLIENTS))
        load(lesson_port, URL, 2, 1.0, sessions)  # warm both workers
        load(hello_port, "/", 2, 1.0)
        rates: dict[tuple, list[float]] = {}
        for _round in range(ROUNDS):
            for clients in CLIENTS:
                rates.setdefault(("hello", clients), []).append(load(hello_port, "/", clients)[0])
                rates.setdefault(("lesson", clients), []).append(
                    load(lesson_port, URL, clients, sessions=sessions)[0]
                )
        repeat, share = load(lesson_port, URL, CLIENTS[-1], sessions=sessions, conditional=True)
        for clients in CLIENTS:
            h = statistics.median(rates[("hello", clients)])
            les = statistics.median(rates[("lesson", clients)])
            ratio = les / h
            print(
                f"{clients} client(s): lesson {les:,.0f}/s, bare Flask {h:,.0f}/s "
                f"(medians of {ROUNDS} alternating rounds of {SECONDS:.0f} s): ratio "
                f"{ratio:.3f}, target {TARGET_RATIO}: {'met' if ratio >= TARGET_RATIO else 'MISSED'}"
            )
        print(
            f"repeat views with If-None-Match, {CLIENTS[-1]} clients: {repeat:,.0f}/s, "
            f"{share:.0%} answered 304"
        )
        load_average = os.getloadavg()
        print(
            f"load average {load_average[0]:.2f} {load_average[1]:.2f} {load_average[2]:.2f} on "
            f"{os.cpu_count()} cores (shared machine: figures are noisy)"
        )


if __name__ == "__main__":
    main()
