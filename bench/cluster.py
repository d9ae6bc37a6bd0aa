"""The proof: several servers, faults, nothing lost (`make cluster-test`).

Starts on 127.0.0.1, on free ports, in a temporary folder, private instances of: nginx
(Debian's) in front of two gunicorn app servers, two queue consumers (`flask tasks
worker`), PostgreSQL (its own cluster, initdb'd here), Redis, SeaweedFS (S3) and an SMTP
sink (aiosmtpd, in this process). Then checks:

1. A learner signs in through nginx; requests alternate between the servers; every page
   the learner can reach from the home page works.
2. A translator's catalog upload through server A is visible through server B (the
   re-import runs on a consumer).
3. 1,000 e-mails are queued in one transaction; one consumer is killed (SIGKILL) mid-batch
   and started again: every message reaches the sink's mailbox exactly once (the mailbox
   keeps one copy per Message-ID; an SMTP hand-over is at-least-once, so a message the
   killed consumer had handed over without recording it is delivered again, with the same
   Message-ID: at most one per worker thread of the killed consumer).
4. PostgreSQL is restarted (pg_ctl restart -m fast) during a 50-client quiz-submission load
   through nginx whose clients retry with the same submission (the attempt) on a 5xx or a
   broken connection: stored attempts = accepted submissions, none lost, none doubled.
5. The sign-in limit holds across both servers (counted in Redis, not per server).

Everything is torn down at the end, also on failure or Ctrl-C (KEEP_CLUSTER_DIR=1 keeps
the logs). Exit status 0 only when every check passed; the last line is

    cluster: 2 app servers, N e-mails sent exactly once, M submissions stored = accepted, 0 lost, 0 doubled
"""

import collections
import http.client
import os
import queue
import re
import secrets
import sys
import threading
import time
import traceback
from datetime import date, timedelta
from html import unescape
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from procs import (  # noqa: E402
    HOST,
    ROOT,
    S3_KEYS,
    Browser,
    Failure,
    Postgres,
    SmtpSink,
    Stack,
    app_env,
    exit_on_signals,
    s3_client,
    start_consumer,
    start_gunicorn,
    start_nginx,
    start_redis,
    start_seaweedfs,
    wait_ready,
    wait_until,
)

sys.path.insert(0, str(ROOT))  # the app, as in bench/common.py

DEMO_PASSWORD = "palliare-demo"
COURSE = "foundations-of-palliative-care"
LOGIN_LIMIT = 5  # sign-in attempts per minute and client address, all servers together
EMAILS = 1000
CONSUMER_THREADS = 4
KILL_AT = 0.3  # kill a consumer once this share of the e-mails has reached the sink
SHEETS, CLIENTS, DUPLICATE_EVERY = 1500, 50, 5
RESTART_AT = 0.3  # restart PostgreSQL once this share of the sheets was accepted
DRAIN_TARGET = 50  # e-mails per second with two consumers


def log(message: str) -> None:
    print(message, flush=True)


class Cluster:
    """The servers of the test, started in order, each waited for."""

    def __init__(self, stack: Stack):
        self.stack = stack
        self.secret = secrets.token_hex(16)

    def start(self) -> "Cluster":
        stack, started = self.stack, time.monotonic()
        self.pg = Postgres(stack)
        pg_ready = threading.Thread(target=self._start_postgres, daemon=True)
        pg_ready.start()  # initdb meanwhile (pg_ctl's server is not our child: no PDEATHSIG)
        self.redis_url = start_redis(stack)
        self.s3 = start_seaweedfs(stack)
        self.sink = SmtpSink().start()
        stack.on_close("smtp sink", self.sink.stop)
        pg_ready.join()
        if self.pg_error:
            raise self.pg_error
        self.database_url = self.pg.create_database("palliare")
        self.env = app_env(
            PALLIARE_ENV="production",  # secure cookies: the Browser keeps them over http
            SECRET_KEY=self.secret,
            TRUSTED_HOSTS=HOST,
            SERVER_NAME=HOST,  # links in e-mails come from here, never from a Host header
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis_url,
            STORAGE_URL="s3://palliare",
            S3_ENDPOINT_URL=self.s3,
            **S3_KEYS,
            MAIL_BACKEND="smtp",
            MAIL_SERVER=HOST,
            MAIL_PORT=self.sink.port,
            MAIL_COPY_DIR="",
            MAIL_BATCH_RATE=1000,
            TRUSTED_PROXIES=1,
            LOGIN_RATE_LIMIT=f"{LOGIN_LIMIT} per minute",
            OUTBOX_LEASE_SECONDS=15,  # a killed consumer's messages come back soon
            TASK_WORKERS=CONSUMER_THREADS,
            LOG_FORMAT="text",
        )
        # This process's own app (to queue mail, read rows) on the same settings: set
        # before the app is imported, as config.py reads the environment then.
        for key in list(os.environ):
            if key not in self.env:
                os.environ.pop(key)
        os.environ.update(self.env)
        services = time.monotonic() - started
        for name, argv in [("db-upgrade", ["db", "upgrade"]),
                           ("courses-import", ["courses", "import"]), ("demo", ["demo"])]:  # fmt: skip
            stack.run(name, [Path(sys.executable).parent / "flask", *argv], self.env)
        prepared = time.monotonic() - started - services
        self.a, self.a_port = start_gunicorn(stack, "app-a", self.env)
        self.b, self.b_port = start_gunicorn(stack, "app-b", self.env)
        self.consumers = [
            start_consumer(stack, "consumer-1", self.env, CONSUMER_THREADS, periodic=True),
            start_consumer(stack, "consumer-2", self.env, CONSUMER_THREADS, periodic=False),
        ]
        wait_ready(stack, self.a, self.a_port)
        wait_ready(stack, self.b, self.b_port)
        self.nginx_port = start_nginx(stack, [self.a_port, self.b_port])
        self.upstream = {f"{HOST}:{self.a_port}": "A", f"{HOST}:{self.b_port}": "B"}
        log(
            f"Started in {time.monotonic() - started:.1f} s: PostgreSQL :{self.pg.port}, "
            f"Redis {self.redis_url}, SeaweedFS S3 {self.s3}, SMTP sink :{self.sink.port} "
            f"({services:.1f} s); migrations, courses, demo ({prepared:.1f} s); "
            f"app A :{self.a_port}, app B :{self.b_port}, 2 consumers x {CONSUMER_THREADS} "
            f"threads, nginx :{self.nginx_port}; files in {stack.dir}; load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        return self

    def _start_postgres(self) -> None:
        self.pg_error = None
        try:
            self.pg.start()
        except Exception as error:  # noqa: BLE001 (raised in the main thread)
            self.pg_error = error

    def alive(self) -> None:
        self.stack.watch(self.a, self.b, *self.consumers)

    def app(self):
        """This process's own app on the cluster's settings (to queue mail, read rows)."""
        if not hasattr(self, "_app"):
            from app import create_app

            self._app = create_app("production")
        return self._app


# --- 1. every page, both servers --------------------------------------------------------

SKIP = re.compile(r"^/(static/|logout|login)|\.po(\?|$)")
VERBOSE = os.environ.get("CLUSTER_VERBOSE") == "1"


def check_pages(cluster: Cluster) -> dict:
    browser = Browser(cluster.nginx_port)
    served = []

    def fetch(path: str):
        response = browser.get(path)
        served.append(cluster.upstream.get(response.header("X-Upstream"), "?"))
        return response

    token = browser.csrf_token(fetch("/login").text)
    response = browser.post("/login", {"csrf_token": token, "email": "learner@example.org",
                                       "password": DEMO_PASSWORD})  # fmt: skip
    served.append(cluster.upstream.get(response.header("X-Upstream"), "?"))
    if response.status != 302:
        raise Failure(f"check 1: the learner's sign-in answered {response.status}")
    seen, todo, statuses = set(), collections.deque(["/"]), collections.Counter()
    broken, files = [], {}
    while todo and len(seen) < 150:
        path = todo.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = fetch(path)
        statuses[response.status] += 1
        if VERBOSE:
            log(f"   {served[-1]} {response.status} {path} {response.header('Content-Type')}")
        if response.status in (301, 302, 303):
            target = urlsplit(response.header("Location") or "")
            if target.path.startswith("/login"):
                broken.append(f"{path}: sent to sign in (the session was not shared)")
            elif target.path and target.path not in seen:
                todo.append(target.path + (f"?{target.query}" if target.query else ""))
            continue
        if response.status != 200:
            broken.append(f"{path}: {response.status}")
            continue
        if "text/html" not in (response.header("Content-Type") or ""):
            files[path] = response.body
            continue
        for href in re.findall(r'href="(/[^"#]*)"', response.text):
            href = unescape(href)
            if not SKIP.search(href) and "lang=" not in href and href not in seen:
                todo.append(href)
    if broken:
        raise Failure("check 1: pages that do not work:\n  " + "\n  ".join(broken))
    alternations = sum(1 for x, y in zip(served, served[1:], strict=False) if x != y)
    if set(served) != {"A", "B"} or alternations != len(served) - 1:
        raise Failure(f"check 1: requests did not alternate between A and B: {''.join(served)}")
    log(
        f"1. pages: the learner signed in through nginx and opened every page reachable from "
        f"the home page, {len(seen)} ({len(files)} of them files), answers {dict(statuses)}; "
        f"{len(served)} requests alternated A/B every time (A {served.count('A')}, "
        f"B {served.count('B')}): {''.join(served[:16])}…"
    )
    check_certificate(cluster)
    return {"pages": len(seen)}


def check_certificate(cluster: Cluster) -> None:
    """The demo doctor's certificate PDF, made on A and kept in the S3 store, is the same
    file on B."""
    doctor = Browser(cluster.nginx_port)
    if doctor.sign_in("doctor@example.org", DEMO_PASSWORD).status != 302:
        raise Failure("check 1: the demo doctor could not sign in")
    links = re.findall(r'href="(/certificates/[^"/]+/pdf[^"]*)"', doctor.get("/certificates/").text)
    if not links:
        raise Failure("check 1: the demo doctor has no certificate PDF link")
    path = unescape(links[0])
    before = set(s3_keys(cluster.s3))
    made = doctor.at(cluster.a_port).get(path)
    stored = set(s3_keys(cluster.s3)) - before
    again = doctor.at(cluster.b_port).get(path)
    for name, response in (("A", made), ("B", again)):
        if response.status != 200 or not response.body.startswith(b"%PDF"):
            raise Failure(f"check 1: the certificate PDF on {name} answered {response.status}")
    if made.body != again.body:
        raise Failure("check 1: the certificate PDF differs between A and B (not shared)")
    log(
        f"   a certificate PDF ({len(made.body) // 1024} KB) made on A, kept in the S3 store "
        f"({', '.join(sorted(stored)) or 'stored before'}), the same bytes from B"
    )


def s3_keys(endpoint: str) -> list[str]:
    client = s3_client(endpoint)
    pages = client.get_paginator("list_objects_v2").paginate(Bucket="palliare")
    return [item["Key"] for page in pages for item in page.get("Contents", [])]


# --- 2. a catalog upload on A, seen on B ------------------------------------------------

ENTRY = re.compile(
    r'#\. paragraph\n#: (?P<ref>[^\n]+\.md):\d+\nmsgid "(?P<id>(?:[^"\\]|\\.)+)"\n'
    r'msgstr "(?P<str>(?:[^"\\]|\\.)+)"\n'
)


def check_catalog(cluster: Cluster) -> dict:
    from sqlalchemy import select

    from app.courses.models import Course, Lesson, LessonText
    from app.extensions import db

    translator = Browser(cluster.a_port)
    if translator.sign_in("translator@example.org", DEMO_PASSWORD).status != 302:
        raise Failure("check 2: the translator could not sign in on A")
    catalog = translator.get(f"/translate/kk/{COURSE}.po")
    if catalog.status != 200:
        raise Failure(f"check 2: the catalog download on A answered {catalog.status}")
    text = catalog.text
    with cluster.app().app_context():  # a Kazakh paragraph shown as such (not held back)
        rows = db.session.execute(
            select(Lesson.key, LessonText.html)
            .join(LessonText, LessonText.lesson_id == Lesson.id)
            .join(Course, Course.id == Lesson.course_id)
            .where(
                Course.key == COURSE, LessonText.locale == "kk", LessonText.held_back_to.is_(None)
            )  # fmt: skip
        ).all()
        db.session.rollback()
    target = None
    for entry in ENTRY.finditer(text):
        snippet = entry["str"][:40]
        lesson = next((key for key, html in rows if snippet in html), None)
        if lesson and "\\" not in entry["str"]:
            target = entry, lesson
            break
    if target is None:
        raise Failure("check 2: no translated Kazakh paragraph found in a lesson shown in Kazakh")
    entry, lesson = target
    marker = f"КЛАСТЕР-{secrets.token_hex(3).upper()}"
    changed = entry["str"].rstrip(".") + f" ({marker})."
    edited = text.replace(entry.group(0), entry.group(0).replace(
        f'msgstr "{entry["str"]}"', f'msgstr "{changed}"'))  # fmt: skip
    token = translator.csrf_token(translator.get(f"/translate/kk/{COURSE}").text)
    started = time.monotonic()
    upload = translator.post_multipart(
        f"/translate/kk/{COURSE}.po",
        {"csrf_token": token},
        {"catalog": ("kk.po", edited.encode("utf-8"), "text/x-gettext-translation")},
    )
    if upload.status != 200 or "revision" not in upload.text:
        problems = re.findall(r"<code>([^<]+)</code>", upload.text)[:5]
        raise Failure(f"check 2: the upload on A answered {upload.status} {problems}")
    reader = translator.at(cluster.b_port)
    path = f"/courses/{COURSE}/lessons/{lesson}?lang=kk"

    def visible():
        cluster.alive()
        response = reader.get(path)
        if response.status != 200:
            raise Failure(f"check 2: the lesson on B answered {response.status}")
        return marker in response.text

    wait_until("the uploaded text on server B", visible, 60, interval=0.2)
    seen_after = time.monotonic() - started
    log(
        f"2. catalog: a Kazakh catalog uploaded on A (one paragraph of lesson “{lesson}” "
        f"changed) was shown by B {seen_after:.2f} s after the upload began (imported on a "
        f"consumer)"
    )
    return {"catalog_seconds": seen_after}


# --- 3. 1,000 e-mails, a consumer killed ------------------------------------------------


RELEASED = re.compile(r"Outbox: (\d+) message\(s\) held by a consumer that stopped")


def check_emails(cluster: Cluster) -> dict:
    from sqlalchemy import select

    from app.extensions import db
    from app.notifications.models import OutboxMessage
    from app.notifications.outbox import Mail, queue_emails
    from app.notifications.queries import count_by_status

    app, sink, stack = cluster.app(), cluster.sink, cluster.stack
    reference = f"cluster-{secrets.token_hex(4)}"
    cohort = SimpleNamespace(name="Cluster cohort", ends_on=date.today() + timedelta(days=30))
    trainer = SimpleNamespace(name="Trainer Cluster")
    with app.test_request_context("/"), app.app_context():
        mails = [
            Mail(f"learner{i}@example.org", "reminder", "en",
                 {"learner": SimpleNamespace(name=f"Learner {i}"), "cohort": cohort,
                  "trainer": trainer, "link": "https://palliare.example/cohorts/1"})
            for i in range(EMAILS)
        ]  # fmt: skip
        rows = queue_emails(mails, reference=reference)
        expected = {row.message_id for row in rows}
        queued_at = time.monotonic()
        db.session.commit()  # the deliver tasks go to Redis now
    if len(expected) != EMAILS:
        raise Failure(f"check 3: {len(expected)} distinct Message-IDs for {EMAILS} rows")

    def arrived() -> int:
        return len(expected.intersection(sink.snapshot()[1]))

    def at_least(count):
        def reached():
            cluster.alive()
            return arrived() >= count

        return reached

    wait_until(f"{KILL_AT:.0%} of the e-mails at the sink", at_least(int(EMAILS * KILL_AT)), 120,
               interval=0.02)  # fmt: skip
    victim = cluster.consumers[0]
    stack.kill(victim)  # SIGKILL, mid-batch
    killed_at = time.monotonic()
    before_kill = arrived()
    deliveries_before = len(sink.snapshot()[0])
    rate = before_kill / (killed_at - queued_at)
    cluster.consumers[0] = start_consumer(stack, "consumer-1-again", cluster.env,
                                          CONSUMER_THREADS, periodic=True)  # fmt: skip
    restarted = time.monotonic() - killed_at
    wait_until("every e-mail at the sink", at_least(EMAILS), 240, interval=0.1)
    all_in = time.monotonic() - queued_at
    with app.app_context():

        def all_sent():
            counts = count_by_status(reference)
            db.session.rollback()
            return counts if counts.get("sent") == EMAILS else None

        counts = wait_until("every outbox row marked sent", all_sent, 60, interval=0.2)
    deliveries, per_id, _ = sink.snapshot()
    released = sum(int(n) for proc in stack.procs if proc.name.startswith("consumer")
                   for n in RELEASED.findall(proc.log.read_text(errors="replace")))  # fmt: skip
    ours = [d for d in deliveries if d in expected]
    repeated = {mid: n - 1 for mid, n in per_id.items() if mid in expected and n > 1}
    repeats = sum(repeated.values())
    others = [d for d in deliveries if d not in expected]
    with app.app_context():  # every delivery carries the Message-ID of an outbox row
        known = set(db.session.scalars(select(OutboxMessage.message_id)))
        db.session.rollback()
    strangers = [d for d in others if d not in known]
    if strangers:
        raise Failure(f"check 3: deliveries with a Message-ID of no outbox row: {strangers[:5]}")
    missing = len(expected) - len(expected.intersection(per_id))
    if missing:
        raise Failure(f"check 3: {missing} e-mails never reached the sink")
    if repeats > CONSUMER_THREADS:
        raise Failure(f"check 3: {repeats} repeated deliveries, more than the killed consumer's "
                      f"{CONSUMER_THREADS} threads could have had in flight: {repeated}")  # fmt: skip
    log(
        f"3. e-mails: {EMAILS} queued in one transaction; consumer-1 killed (SIGKILL) after "
        f"{before_kill} had arrived ({deliveries_before} deliveries) and consuming again "
        f"{restarted:.1f} s later; all {EMAILS} in {all_in:.1f} s (the killed consumer's "
        f"claimed messages return when their {cluster.env['OUTBOX_LEASE_SECONDS']} s lease "
        f"has run out: the sweeper queued {released} again); outbox rows {counts}"
    )
    log(
        f"   deliveries {len(ours)}, distinct Message-IDs {len(expected.intersection(per_id))}: "
        f"mailbox holds each exactly once; repeated hand-overs {repeats} (at most "
        f"{CONSUMER_THREADS}, the killed consumer's threads; same Message-ID), missing 0; "
        f"other outbox messages delivered {len(others)}, of no outbox row 0"
    )
    log(
        f"   drain rate with two consumers: {rate:.0f} e-mails/s before the kill "
        f"(target {DRAIN_TARGET}: {'met' if rate >= DRAIN_TARGET else 'MISSED'})"
    )
    if rate < DRAIN_TARGET and os.environ.get("CLUSTER_STRICT_RATE") == "1":
        raise Failure(f"check 3: drain rate {rate:.0f}/s under {DRAIN_TARGET}/s")
    return {"emails": EMAILS, "repeats": repeats, "rate": rate}


# --- 4. quiz submissions while PostgreSQL restarts --------------------------------------


def prepare_sheets(cluster: Cluster) -> list[tuple[int, str, str, dict]]:
    """Learners with an open attempt at the knowledge test: their cookies and answers."""
    from common import session_cookie
    from quiz_submissions import _answers
    from sqlalchemy import insert, select

    from app.auth.models import Profession, RoleAssignment, User
    from app.courses.models import Course, Enrolment
    from app.extensions import db
    from app.quizzes import services
    from app.quizzes.models import Quiz

    app = cluster.app()
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.key == COURSE))
        quiz = db.session.scalar(
            select(Quiz).where(Quiz.key == "knowledge-test", Quiz.course_id == course.id)
        )
        db.session.execute(insert(User), [
            {"email": f"cluster{i}@example.org", "name": f"Cluster {i}", "password_hash": "x",
             "profession": Profession.NURSE, "active": True, "session_version": 1}
            for i in range(SHEETS)
        ])  # fmt: skip
        users = db.session.scalars(
            select(User).where(User.email.like("cluster%@example.org")).order_by(User.id)
        ).all()
        db.session.execute(insert(RoleAssignment),
                           [{"user_id": u.id, "role": "learner"} for u in users])  # fmt: skip
        db.session.execute(insert(Enrolment),
                           [{"user_id": u.id, "course_id": course.id} for u in users])  # fmt: skip
        db.session.commit()
        enrolments = {
            e.user_id: e
            for e in db.session.scalars(select(Enrolment).where(Enrolment.course_id == course.id))
        }
        jobs = []
        for user in users:
            attempt = services.start_attempt(user, quiz, enrolments[user.id], "en")
            db.session.flush()
            cookie, token = session_cookie(app, user.get_id())
            jobs.append((attempt.id, cookie, token, _answers(attempt)))
        db.session.commit()
    return jobs


def check_submissions(cluster: Cluster) -> dict:
    from sqlalchemy import func, select

    from app.extensions import db
    from app.quizzes.models import Attempt, AttemptItem

    started = time.monotonic()
    jobs = prepare_sheets(cluster)
    prepared = time.monotonic() - started
    work = queue.Queue()
    for index, job in enumerate(jobs):
        work.put(job)
        if index % DUPLICATE_EVERY == 0:
            work.put(job)  # the same sheet again at once: a double click, a second tab
    lock = threading.Lock()
    accepted, refused, sent = set(), [], collections.Counter()  # sent: outcome -> count
    stop = threading.Event()

    def client():
        from urllib.parse import urlencode

        connection = http.client.HTTPConnection(HOST, cluster.nginx_port, timeout=30)
        while not stop.is_set():
            try:
                attempt_id, cookie, token, answers = work.get_nowait()
            except queue.Empty:
                break
            body = urlencode({"csrf_token": token, **answers}, doseq=True)
            headers = {"Content-Type": "application/x-www-form-urlencoded",
                       "Cookie": f"session={cookie}"}  # fmt: skip
            deadline = time.monotonic() + 120
            while not stop.is_set():
                try:
                    connection.request("POST", f"/attempts/{attempt_id}/submit", body, headers)
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                    if (response.getheader("Connection") or "").lower() == "close":
                        connection.close()
                except (OSError, http.client.HTTPException) as error:
                    connection.close()
                    status = type(error).__name__
                with lock:
                    sent[status] += 1
                if status == 303:
                    with lock:
                        accepted.add(attempt_id)
                    break
                if isinstance(status, int) and status < 500:
                    with lock:
                        refused.append((attempt_id, status))
                    break
                if time.monotonic() > deadline:
                    with lock:
                        refused.append((attempt_id, f"still {status} after 120 s"))
                    break
                time.sleep(0.1)  # the same sheet (the same attempt: the key) again
        connection.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(CLIENTS)]
    load_started = time.monotonic()
    for thread in threads:
        thread.start()
    try:

        def far_enough():
            cluster.alive()
            return len(accepted) >= len(jobs) * RESTART_AT

        wait_until("submissions before the restart", far_enough, 180, interval=0.02)
        restart_began = time.monotonic()
        at_restart = len(accepted)
        cluster.pg.restart()
        restart_took = time.monotonic() - restart_began
        for thread in threads:
            while thread.is_alive():
                thread.join(0.5)
                cluster.alive()
    finally:
        stop.set()
    elapsed = time.monotonic() - load_started
    with cluster.app().app_context():
        ids = [job[0] for job in jobs]
        stored = db.session.scalar(
            select(func.count(Attempt.id)).where(
                Attempt.id.in_(ids), Attempt.submitted_at.is_not(None)
            )  # fmt: skip
        )
        per_attempt = len(jobs[0][3])
        items = dict(db.session.execute(
            select(AttemptItem.attempt_id, func.count()).where(AttemptItem.attempt_id.in_(ids))
            .group_by(AttemptItem.attempt_id)
        ).all())  # fmt: skip
        db.session.rollback()
    requests = sum(sent.values())
    lost = len(set(ids) - accepted) + sum(1 for i in accepted if i not in items)
    doubled = sum(1 for n in items.values() if n > per_attempt)
    errors = {k: v for k, v in sent.items() if k != 303}
    log(
        f"4. submissions: {len(jobs)} answer sheets ({len(range(0, len(jobs), DUPLICATE_EVERY))} of them "
        f"sent twice at once) from {CLIENTS} clients through nginx; PostgreSQL restarted "
        f"(pg_ctl restart -m fast, {restart_took:.1f} s) after {at_restart} were accepted"
    )
    log(
        f"   {requests} requests in {elapsed:.1f} s = {requests / elapsed:.0f} requests/s "
        f"({len(accepted) / elapsed:.0f} sheets/s; set-up {prepared:.1f} s); answers other "
        f"than 303, each retried with the same attempt: {errors or 'none'}"
    )
    log(
        f"   accepted {len(accepted)}, stored {stored}, answer items {sum(items.values())} "
        f"(expected {stored * per_attempt}); lost {lost}, doubled {doubled}, refused "
        f"{len(refused)}"
    )
    if refused:
        raise Failure(f"check 4: sheets refused: {refused[:10]}")
    if not (stored == len(accepted) == len(jobs)) or lost or doubled:
        raise Failure(f"check 4: stored {stored} != accepted {len(accepted)} of {len(jobs)}, "
                      f"lost {lost}, doubled {doubled}")  # fmt: skip
    if sum(items.values()) != stored * per_attempt:
        raise Failure(f"check 4: {sum(items.values())} answer items for {stored} attempts")
    return {"stored": stored}


# --- 5. the sign-in limit across servers ------------------------------------------------


def check_login_limit(cluster: Cluster) -> dict:
    address = f"198.51.100.{secrets.randbelow(250) + 1}"  # one client, behind the proxy
    browsers = [Browser(port, headers={"X-Forwarded-For": address})
                for port in (cluster.a_port, cluster.b_port)]  # fmt: skip
    statuses = []
    for attempt in range(LOGIN_LIMIT + 3):
        browser = browsers[attempt % 2]
        response = browser.sign_in("learner@example.org", "not-the-password")
        statuses.append(("A", "B")[attempt % 2] + str(response.status))
    expected = [s[0] + ("401" if i < LOGIN_LIMIT else "429") for i, s in enumerate(statuses)]
    if statuses != expected:
        raise Failure(f"check 5: sign-in answers {statuses}, expected {expected}")
    log(
        f"5. sign-in limit ({LOGIN_LIMIT} per minute): wrong passwords alternating A/B from one "
        f"address: {' '.join(statuses)}: refused (429) from attempt {LOGIN_LIMIT + 1} on, "
        f"when server {'AB'[LOGIN_LIMIT % 2]} had seen only {LOGIN_LIMIT // 2 + 1} of them: "
        f"both count together (in Redis)"
    )
    return {}


def show_errors(stack: Stack) -> None:
    """The end of each log that reports an error (the logs go with the temporary folder)."""
    for proc in stack.procs:
        text = proc.log.read_text(errors="replace") if proc.popen else ""
        if "Traceback" in text or "ERROR" in text or "[error]" in text:
            print(f"--- {proc.name} ({proc.log}):\n{proc.tail(30)}", file=sys.stderr)


def main() -> int:
    exit_on_signals()
    started = time.monotonic()
    log("Starting nginx, 2 app servers, 2 consumers, PostgreSQL, Redis, SeaweedFS and an SMTP "
        "sink on 127.0.0.1")  # fmt: skip
    stack, summary, code = Stack(), None, 1
    try:
        cluster = Cluster(stack).start()
        check_pages(cluster)
        check_catalog(cluster)
        emails = check_emails(cluster)
        submissions = check_submissions(cluster)
        check_login_limit(cluster)
        log(f"All checks passed in {time.monotonic() - started:.0f} s.")
        summary = (
            f"cluster: 2 app servers, {emails['emails']} e-mails sent exactly once, "
            f"{submissions['stored']} submissions stored = accepted, 0 lost, 0 doubled"
        )
        code = 0
    except Failure as failure:
        show_errors(stack)
        print(f"cluster: FAILED: {failure}", file=sys.stderr, flush=True)
        print(f"(the logs were in {stack.dir}; KEEP_CLUSTER_DIR=1 keeps them)", file=sys.stderr)
    except (KeyboardInterrupt, SystemExit):
        print("cluster: interrupted; tearing down", file=sys.stderr, flush=True)
        code = 130
    except Exception:
        traceback.print_exc()
        print("cluster: FAILED (an error in the test itself)", file=sys.stderr, flush=True)
    finally:
        teardown = time.monotonic()
        stack.close()
        log(f"Torn down in {time.monotonic() - teardown:.0f} s; {time.monotonic() - started:.0f} "
            "s in all.")  # fmt: skip
    if summary:
        log(summary)  # the last line
    return code


if __name__ == "__main__":
    sys.exit(main())
