"""The lesson page against the floor: a bare Flask hello-world in the same run, both under
the production gunicorn settings (deploy/gunicorn.conf.py: 2 workers x 2 threads, gthread,
preloaded app), with keep-alive clients (one process each, a signed-in learner each for
the lesson). Also: SQL statements per lesson request, the share of repeat views answered
304, and the memory (RSS and PSS) of gunicorn's master and workers at peak.

Targets (issue 21): lesson >= 0.15 x hello-world; at most 4 SQL statements per lesson
request; master + 2 workers <= 200 MiB PSS at peak.

The machine is shared and has 2 cores, which the clients share with the servers: rounds
alternate (hello, lesson, hello, lesson...) and the load average is printed.
"""

import multiprocessing
import os
import statistics
import sys
import threading
import time
from pathlib import Path

from common import ROOT
from procs import BIN, HOST, Browser, Stack, app_env, free_port, wait_until

sys.path.insert(0, str(ROOT))

LEARNERS = 10_000
COURSE = "foundations-of-palliative-care"
LESSON = "breakthrough-pain-and-conversions"
URL = f"/courses/{COURSE}/lessons/{LESSON}"
ROUNDS = int(os.environ.get("FLOOR_ROUNDS", "3"))
SECONDS = float(os.environ.get("FLOOR_SECONDS", "4"))
CLIENTS = (1, 4)
TARGET_RATIO = 0.15
TARGET_QUERIES = 4
TARGET_PSS = 200  # MiB


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


def _tree(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [pid, *(int(c) for c in children)]


def memory_of(pid: int) -> tuple[float, float]:
    """RSS and PSS (MiB) of one process."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss"):
            fields[name] = int(rest.split()[0]) / 1024
    return fields["Rss"], fields["Pss"]


def memory(pid: int) -> tuple[float, float]:
    """RSS and PSS (MiB) of a gunicorn master and its workers together."""
    each = [memory_of(p) for p in _tree(pid)]
    return sum(r for r, _ in each), sum(p for _, p in each)


class Peak(threading.Thread):
    """Samples the memory of a gunicorn tree while a load runs; keeps the peak."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.rss, self.pss, self.done = pid, 0.0, 0.0, threading.Event()
        self.each: list[tuple[int, float, float]] = []

    def run(self):
        while not self.done.is_set():
            try:  # one pass: the total and each process from the same reads
                each = [(p, *memory_of(p)) for p in _tree(self.pid)]
            except OSError:
                each = []  # a worker recycled between reads (max_requests): read again
            pss = sum(p for _pid, _r, p in each)
            if pss > self.pss:
                self.rss, self.pss, self.each = sum(r for _p, r, _s in each), pss, each
            self.done.wait(0.2)


def main() -> None:
    multiprocessing.set_start_method("fork")
    with Stack(prefix="palliare-floor-") as stack:
        database = prepare(stack.dir)
        env = app_env(PALLIARE_ENV="production", SECRET_KEY="bench-" + os.urandom(8).hex(),
                      TRUSTED_HOSTS=HOST, SERVER_NAME=HOST, DATABASE_URL=database,
                      LOGIN_RATE_LIMIT="10000 per minute")  # fmt: skip
        hello, hello_port = gunicorn(stack, "hello", env, "hello_wsgi:app",
                                     ["--pythonpath", ROOT / "bench"])  # fmt: skip
        lesson, lesson_port = gunicorn(stack, "lesson", env, "wsgi:app")
        signing_in = Peak(lesson.pid)  # Argon2id: each sign-in takes 64 MiB for a moment
        signing_in.start()
        sessions = sign_in_all(lesson_port, max(CLIENTS))
        signing_in.done.set()
        signing_in.join()
        peak = Peak(lesson.pid)
        peak.start()
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
        peak.done.set()
        peak.join()
        hello_memory = memory(hello.pid)
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
        print(
            f"memory at peak, master + 2 workers: RSS {peak.rss:.0f} MiB, PSS {peak.pss:.0f} MiB; "
            f"target {TARGET_PSS} MiB PSS: {'met' if peak.pss <= TARGET_PSS else 'MISSED'} "
            f"(ratio {peak.pss / TARGET_PSS:.2f}); bare Flask: RSS {hello_memory[0]:.0f} MiB, "
            f"PSS {hello_memory[1]:.0f} MiB"
        )
        print(
            f"  while {max(CLIENTS)} learners signed in one after another (Argon2id hashes take "
            f"64 MiB each for a moment): PSS {signing_in.pss:.0f} MiB, RSS {signing_in.rss:.0f} MiB"
        )
        print(
            f"  the {len(peak.each)} processes at the peak (master first; a worker recycled by "
            "max_requests briefly makes 4): "
            + ", ".join(f"RSS {r:.0f} / PSS {p:.0f} MiB" for _pid, r, p in peak.each)
        )
        load_average = os.getloadavg()
        print(
            f"load average {load_average[0]:.2f} {load_average[1]:.2f} {load_average[2]:.2f} on "
            f"{os.cpu_count()} cores (shared machine: figures are noisy)"
        )


if __name__ == "__main__":
    main()
