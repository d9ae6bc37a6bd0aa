"""The task queue's speed targets (issue 13).

"Queuing adds at most 2 ms to a request; 1,000 reminder e-mails drain at 50 or more a
second to a local SMTP sink with two consumers."

(a) What queuing one e-mail adds to a request's transaction, measured in this process,
    in a request context, as pairs of the same transaction (one user's row changed, then
    commit) without and with ``queue_email`` (render the message in the recipient's
    language, write its outbox row, and after the commit put its ``deliver`` task in the
    queue store). Pairs alternate their order; the figures are p50/p95 of the per-pair
    difference, and of the enqueue alone (the after-commit ``huey.enqueue``). Once on
    SQLite with the Huey SQLite store (one machine, the default) and once on PostgreSQL
    with Redis (several servers), both private instances started here.
(b) 1,000 reminder e-mails queued in one transaction, drained by two `flask tasks worker`
    consumers (4 threads each) from Redis to an SMTP sink in this process: first with the
    shipped pacing (MAIL_BATCH_RATE=10 a second per connection), then unpaced.

Everything runs on 127.0.0.1 in a temporary folder (bench/procs.py) and is torn down.
"""

import os
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))

from procs import (  # noqa: E402
    HOST,
    ROOT,
    Failure,
    Postgres,
    SmtpSink,
    Stack,
    app_env,
    exit_on_signals,
    start_consumer,
    start_redis,
    wait_until,
)

sys.path.insert(0, str(ROOT))

PAIRS, WARMUP = 300, 30
EMAILS, CONSUMER_THREADS = 1000, 4
TARGET_MS, TARGET_RATE = 2.0, 50
SECRET = "bench-queue-secret"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def make_app(database_url: str, queue_url: str, folder: Path):
    from flask_migrate import upgrade

    from app import create_app

    app = create_app(
        "production",
        SECRET_KEY=SECRET,
        SERVER_NAME="127.0.0.1",
        SQLALCHEMY_DATABASE_URI=database_url,
        TASK_QUEUE_URL=queue_url,
        RATELIMIT_STORAGE_URI="memory://",
        STORAGE_URL=f"file://{folder / 'files'}",
        MAIL_COPY_DIR=None,
        TRUSTED_HOSTS=[HOST],
    )
    with app.app_context():
        upgrade()
    return app


def queuing_cost(app, label: str) -> float:
    """Print p50/p95 of what queue_email adds to a transaction; returns the p95 (ms)."""
    from sqlalchemy import delete

    from app.auth.models import Profession, User
    from app.auth.services import create_user
    from app.email import build_message, render_email
    from app.extensions import db
    from app.notifications.models import OutboxMessage
    from app.notifications.outbox import queue_email
    from app.notifications.tasks import deliver
    from app.tasks import huey

    with app.test_request_context("/"):
        user = create_user("queue-bench@example.org", "Queue Bench", "a long password",
                           Profession.NURSE)  # fmt: skip
        db.session.commit()
        link = "https://palliare.example/password/reset/abcdef"

        def without(i: int) -> float:
            start = time.perf_counter()
            user.name = f"Queue Bench {i}"
            db.session.commit()
            return time.perf_counter() - start

        def with_mail(i: int) -> float:
            start = time.perf_counter()
            user.name = f"Queue Bench {i}"
            queue_email(user.email, "reset_password", "en", user=user, link=link)
            db.session.commit()  # ... and its deliver task goes to the store after it
            return time.perf_counter() - start

        plain, mailed, added = [], [], []
        for i in range(WARMUP + PAIRS):
            if i % 2:
                a, b = without(2 * i), with_mail(2 * i + 1)
            else:
                b, a = with_mail(2 * i), without(2 * i + 1)
            if i >= WARMUP:
                plain.append(a * 1000)
                mailed.append(b * 1000)
                added.append((b - a) * 1000)
        enqueue, render, mime = [], [], []
        for _ in range(PAIRS):
            start = time.perf_counter()
            huey.enqueue(deliver.s([0]))  # the after-commit hook's work alone
            enqueue.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            parts = render_email("reset_password", "en", user=user, link=link)
            render.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            build_message(user.email, *parts, f"<{uuid.uuid4().hex}@palliare.local>")
            mime.append((time.perf_counter() - start) * 1000)
        huey.flush()  # no consumer will run these
        db.session.execute(delete(OutboxMessage))
        db.session.execute(delete(User).where(User.id == user.id))
        db.session.commit()
    ok = percentile(added, 0.95) <= TARGET_MS
    print(
        f"(a) {label}: transaction without e-mail p50 {statistics.median(plain):.2f} ms "
        f"p95 {percentile(plain, 0.95):.2f} ms; with one queued e-mail p50 "
        f"{statistics.median(mailed):.2f} ms p95 {percentile(mailed, 0.95):.2f} ms"
    )
    print(
        f"    added by queuing one e-mail (render + outbox row + enqueue after commit), "
        f"{PAIRS} pairs: p50 {statistics.median(added):.2f} ms p95 "
        f"{percentile(added, 0.95):.2f} ms (target {TARGET_MS:.0f} ms: "
        f"{'met' if ok else 'MISSED'})"
    )
    parts = {"rendering the templates": render, "building the MIME message": mime,
             "the enqueue after the commit": enqueue}  # fmt: skip
    rest = statistics.median(added) - sum(statistics.median(v) for v in parts.values())
    print(
        "    of which (p50): "
        + ", ".join(f"{name} {statistics.median(v):.2f} ms" for name, v in parts.items())
        + f"; the outbox row (insert, a larger commit) about {rest:.2f} ms",
        flush=True,
    )
    return percentile(added, 0.95)


def drain(app, stack: Stack, sink: SmtpSink, env: dict, batch_rate: str) -> float:
    """Queue EMAILS reminders in one transaction; two consumers deliver them; e-mails/s."""
    from app.extensions import db
    from app.notifications.outbox import Mail, queue_emails
    from app.notifications.queries import count_by_status

    env = {**env, "MAIL_BATCH_RATE": batch_rate}
    consumers = [
        start_consumer(stack, f"consumer-{batch_rate}-1", env, CONSUMER_THREADS, periodic=True),
        start_consumer(stack, f"consumer-{batch_rate}-2", env, CONSUMER_THREADS, periodic=False),
    ]
    reference = f"drain-{batch_rate}"
    cohort = SimpleNamespace(name="Bench cohort", ends_on=date.today() + timedelta(days=30))
    trainer = SimpleNamespace(name="Bench Trainer")
    with app.test_request_context("/"):
        started = time.perf_counter()
        rows = queue_emails(
            [
                Mail(f"learner{i}@example.org", "reminder", "en",
                     {"learner": SimpleNamespace(name=f"Learner {i}"), "cohort": cohort,
                      "trainer": trainer, "link": "https://palliare.example/cohorts/1"})
                for i in range(EMAILS)
            ],
            reference=reference,
        )  # fmt: skip
        expected = {row.message_id for row in rows}
        db.session.commit()
        queued = time.perf_counter()

        def all_arrived():
            stack.watch(*consumers)
            return len(expected.intersection(sink.snapshot()[1])) == EMAILS

        wait_until(f"{EMAILS} e-mails at the sink", all_arrived, 300, interval=0.02)
        done = time.perf_counter()
        counts = wait_until("every row marked sent", lambda: _sent(count_by_status, reference),
                            30)  # fmt: skip
    for consumer in consumers:
        stack.stop(consumer)
        stack.procs.remove(consumer)
    deliveries = sum(n for mid, n in sink.snapshot()[1].items() if mid in expected)
    rate = EMAILS / (done - queued)
    print(
        f"(b) MAIL_BATCH_RATE={batch_rate}/s per connection: {EMAILS} reminders rendered and "
        f"queued in {queued - started:.2f} s, delivered by 2 consumers x {CONSUMER_THREADS} "
        f"threads in {done - queued:.2f} s = {rate:.0f} e-mails/s (target {TARGET_RATE}: "
        f"{'met' if rate >= TARGET_RATE else 'MISSED'}); {deliveries} deliveries, rows {counts}",
        flush=True,
    )
    return rate


def _sent(count_by_status, reference):
    from app.extensions import db

    counts = count_by_status(reference)
    db.session.rollback()
    return counts if counts.get("sent") == EMAILS else None


def main() -> int:
    exit_on_signals()
    started = time.monotonic()
    stack = Stack(prefix="palliare-bench-queue-")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    try:
        pg = Postgres(stack)
        pg.start()
        redis_url = start_redis(stack)
        sink = SmtpSink().start()
        stack.on_close("smtp sink", sink.stop)
        database_url = pg.create_database("palliare")
        env = app_env(
            PALLIARE_ENV="production",
            SECRET_KEY=SECRET,
            SERVER_NAME=HOST,
            DATABASE_URL=database_url,
            REDIS_URL=redis_url,
            STORAGE_URL=f"file://{stack.path('files')}",
            MAIL_BACKEND="smtp",
            MAIL_SERVER=HOST,
            MAIL_PORT=sink.port,
            MAIL_COPY_DIR="",
            TASK_WORKERS=CONSUMER_THREADS,
        )
        for key in list(os.environ):  # config.py reads the environment when imported
            if key not in env:
                os.environ.pop(key)
        os.environ.update(env)
        sqlite_app = make_app(f"sqlite:///{stack.dir / 'palliare.db'}",
                              f"sqlite:///{stack.dir / 'huey.db'}", stack.dir)  # fmt: skip
        queuing_cost(sqlite_app, "SQLite, Huey's SQLite store")
        pg_app = make_app(database_url, redis_url, stack.dir)  # the queue now on Redis
        queuing_cost(pg_app, "PostgreSQL, Redis")
        drain(pg_app, stack, sink, env, "10")
        drain(pg_app, stack, sink, env, "1000")
        print(f"queue bench: {time.monotonic() - started:.0f} s")
        return 0
    except Failure as failure:
        print(f"queue bench: FAILED: {failure}", file=sys.stderr)
        return 1
    finally:
        stack.close()


if __name__ == "__main__":
    sys.exit(main())
