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
max_requests = 2000  # recycle workers now and then (bounded memory growth)
max_requests_jitter = 200
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


logger_class = RedactingLogger
accesslog = "-"
errorlog = "-"
# client address (from nginx), request line, status, bytes, time, referrer, agent, id
access_log_format = (
    '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s" id=%({x-request-id}i)s'
)
