"""gunicorn settings for one Palliare app server (deploy/palliare-web.service).

Workers and threads: 2 × 2 per 2 cores (``WEB_WORKERS``, ``WEB_THREADS``). Bound to
``GUNICORN_BIND`` (``127.0.0.1:8000``; a private address when nginx runs on another
machine, with ``FORWARDED_ALLOW_IPS`` set to nginx's address). The access log goes to
stdout (the journal), with every secret that travels in a URL replaced by ``[redacted]``
(app/logs.py) and nginx's request id, which the app's own lines carry too.
"""

import os
import sys
from pathlib import Path

from gunicorn.glogging import Logger

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.logs import redact_access_atoms  # noqa: E402


class RedactingLogger(Logger):
    """gunicorn's logger; the access log never shows a token, reset link or join code."""

    def atoms(self, resp, req, environ, request_time):
        return redact_access_atoms(super().atoms(resp, req, environ, request_time))


wsgi_app = "wsgi:app"
chdir = str(ROOT)
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_WORKERS", "2"))
threads = int(os.environ.get("WEB_THREADS", "2"))
worker_class = "gthread"
timeout = 60  # a request still running after this is killed (exports are the slowest)
graceful_timeout = 30  # on SIGTERM/HUP, requests in hand get this long to finish
keepalive = 5  # longer than nginx's upstream keepalive_timeout would be a waste
# Workers are recycled now and then, a guard against memory that grows in a library. Not
# often: a recycle costs a fresh worker's cold start (its first lesson page ~60 ms, its
# caches and connections rebuilt) and, under load, more (a busy two-worker server served
# 25-40 % fewer requests in the seconds around one). At 2,000 requests a busy server (the
# benchmarks' 300-700 requests/s) recycled each worker every 3-6 s; at 10,000 the lesson
# load served 608 requests/s against 374 (p50 12 against 22 ms, p95 26 against 40 ms) in
# one alternating run, with the same peak memory (the caches are bounded; issue 21).
max_requests = 10000
max_requests_jitter = 1000
# No control socket (gunicorn 25.1+ opens one by default for its `gunicornc` tool, at one
# path per user account): the service is managed by systemd's signals, and two app servers
# on one machine (the cluster test, the benchmarks' side-by-side servers) would take the
# same path from each other. It also keeps an asyncio thread out of the master it forks.
control_socket_disable = True
# The workers' heartbeat (a temporary file whose time each worker sets on every turn of
# its loop) in memory: in a disk-backed /tmp each of those is a file-system metadata
# write, ~4 % of a lesson request's CPU under a profiler (issue 21). gunicorn's own
# documentation advises /dev/shm for this reason; it stays writable under the unit's
# ProtectSystem=strict.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# The app is built once, in the master, before the workers fork: they share its memory
# (copy-on-write; wsgi.py freezes the start-up objects so the collector never writes to
# their pages). A recycled worker starts at once, from the same pages. The price: a reload
# (HUP) forks workers of the code already loaded, so a deploy restarts the service.
preload_app = True
# Set by gunicorn before it loads the app: the app then leaves out what only the command
# line uses (Flask-Migrate and alembic, ~11 MiB in every server: app/__init__.py).
raw_env = ["PALLIARE_WEB_SERVER=1"]


def post_fork(server, worker):
    """A worker opens its own database connections, never one inherited from the master."""
    loaded = sys.modules.get("wsgi")  # the preloaded app (nothing else is imported here)
    if loaded is not None and hasattr(loaded, "app"):
        from app.extensions import db

        with loaded.app.app_context():
            db.engine.dispose(close=False)


def worker_exit(server, worker):
    """A worker leaving (recycled after max_requests, or stopped) skips the interpreter's
    tear-down: its requests are done, its pooled database connections are closed here and
    its logs flushed, then it exits with the status it was leaving with.

    Why: tearing Python down drops every object, which writes a reference count on nearly
    every page the worker still shared with the master, so the kernel copies them all in
    the worker's last moments. Each recycle added 20-35 MiB PSS to the server for that
    moment (the lesson load with workers recycled every 400 requests: peaks of 201 MiB,
    against 165 between recycles and 164 with this hook; issue 21). Nothing is lost: the
    worker's requests have finished, and what Python would still do at exit (atexit
    handlers, closing files) the app does not rely on. gunicorn calls this hook last, in
    the ``finally`` of the worker's run, so ``sys.exc_info()`` holds the SystemExit it is
    leaving with (3 and 4, a worker that could not boot or load the app, stop gunicorn)."""
    import logging

    exiting = sys.exc_info()[1]  # gunicorn leaves every worker with sys.exit(status)
    if not isinstance(exiting, SystemExit) or not isinstance(exiting.code, int | None):
        return  # anything else (an error for Python to print): the usual exit
    loaded = sys.modules.get("wsgi")
    if loaded is not None and hasattr(loaded, "app"):
        from app.extensions import db

        with loaded.app.app_context():
            db.engine.dispose()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(exiting.code or 0)


logger_class = RedactingLogger
accesslog = "-"
errorlog = "-"
# client address (from nginx), request line, status, bytes, time, referrer, agent, id
access_log_format = (
    '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s" id=%({x-request-id}i)s'
)
