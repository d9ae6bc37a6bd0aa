"""Configuration classes: development (default), testing and production.

The class is chosen by ``PALLIARE_ENV`` (``development``, ``testing``, ``production``);
``DATABASE_URL`` selects the database and ``SECRET_KEY`` signs sessions and tokens.
"""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def read_locale_registry(path: Path) -> dict[str, list[str]]:
    """The registered locales (translations/locales.yaml), in order, with their content
    fallbacks: ``{"kk": ["ru"], ...}``."""
    import yaml

    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        str(locale): list((entry or {}).get("fallbacks", [])) for locale, entry in entries.items()
    }


LOCALES = read_locale_registry(BASE_DIR / "translations" / "locales.yaml")


def instance_secret_key(instance_dir: Path = INSTANCE_DIR) -> str:
    """A random key made once for this instance (``instance/secret_key``, readable by its
    owner only) and read on later starts: development never signs with a public key."""
    import secrets

    path = Path(instance_dir) / "secret_key"
    if path.exists():
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key + "\n")
    os.chmod(path, 0o600)  # also when the file existed empty with other rights
    return key


def _bool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Settings shared by every environment."""

    DEVELOPMENT = False  # development-only pages (the e-mails written) are shown when True

    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'palliare.db'}"
    )
    # A pooled PostgreSQL connection is checked before use (a restart closes them all);
    # app/sqlite.py leaves the check out for an SQLite file.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Interface and content languages, as registered in translations/locales.yaml; English
    # is the source. The switcher offers a language once this share of its interface is
    # translated (the others can still be chosen in a profile, e.g. by its translators).
    LANGUAGES = list(LOCALES)
    LANGUAGE_SWITCHER_MIN_COVERAGE = 80
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    # Another folder (e.g. the pseudo-locale's from `flask translations pseudo`) may stand in.
    BABEL_TRANSLATION_DIRECTORIES = os.environ.get(
        "BABEL_TRANSLATION_DIRECTORIES", str(BASE_DIR / "translations")
    )
    # Course content shown when a segment is not translated: the next language here, then
    # the course's source language. Kazakh-speaking clinicians mostly read Russian too.
    CONTENT_FALLBACKS = {locale: chain for locale, chain in LOCALES.items() if chain}
    COURSES_DIR = os.environ.get("COURSES_DIR", str(BASE_DIR / "courses"))
    # Multiplies every quiz's waiting time between attempts (browser tests shorten it).
    QUIZ_WAIT_SCALE = 1.0

    # Cookies: never readable from JavaScript, not sent on cross-site sub-requests.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    # Static files are addressed with a content hash (templating.static_url): cache a year.
    SEND_FILE_MAX_AGE_DEFAULT = 365 * 24 * 3600

    # Redis: with more than one app worker or server it is required, and it then holds the
    # task queue and the rate limits that every worker must share.
    REDIS_URL = os.environ.get("REDIS_URL")
    # The task queue (Huey, app/tasks.py): Redis when REDIS_URL is set, else a SQLite file.
    TASK_QUEUE_URL = os.environ.get(
        "TASK_QUEUE_URL", REDIS_URL or f"sqlite:///{INSTANCE_DIR / 'huey.db'}"
    )
    # Consumer threads per `flask tasks worker` process.
    TASK_WORKERS = int(os.environ.get("TASK_WORKERS", "4"))

    # Files (case attachments, certificate PDFs, exports; app/storage.py): a local folder,
    # or any S3-compatible store as s3://bucket[/prefix] (S3_ENDPOINT_URL and the usual
    # AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_REGION from the environment).
    STORAGE_URL = os.environ.get("STORAGE_URL", f"file://{INSTANCE_DIR / 'files'}")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL")

    # Logs: "text" (readable) or "json" (one object a line, with the request id).
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    # Seconds each /readyz check may take.
    READINESS_TIMEOUT = float(os.environ.get("READINESS_TIMEOUT", "3"))

    # Rate limits (Flask-Limiter): in Redis when REDIS_URL is set, so that every worker
    # and server counts together; in memory (per worker) otherwise.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", REDIS_URL or "memory://")
    # Redis down: each worker counts in its own memory until Redis answers again (limits
    # stay, per worker), and no request fails because of the limiter.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_HEADERS_ENABLED = True
    # Sign-in and reset requests per account (the e-mail address typed), from any address;
    # and per client address, much higher, so that a workshop room behind one hospital NAT
    # can sign in together.
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    LOGIN_IP_RATE_LIMIT = os.environ.get("LOGIN_IP_RATE_LIMIT", "100 per minute;1000 per hour")
    # Attempts at the current password on the password-change form, per signed-in account.
    PASSWORD_CHANGE_RATE_LIMIT = os.environ.get(
        "PASSWORD_CHANGE_RATE_LIMIT", "5 per minute;20 per hour"
    )

    # Account tokens.
    INVITATION_MAX_AGE = timedelta(days=14)
    PASSWORD_RESET_MAX_AGE = timedelta(hours=2)

    # E-mail: "smtp" sends messages; "file" only writes them to MAIL_COPY_DIR (development).
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    # How long a consumer may hold a claimed message before the sweeper gives it to another
    # (a consumer killed mid-send); longer than a batch takes to send.
    OUTBOX_LEASE_SECONDS = int(os.environ.get("OUTBOX_LEASE_SECONDS", "300"))
    # In-app notifications already read are deleted after this many days (a daily task,
    # or ``flask notifications prune``); unread ones are kept.
    NOTIFICATION_RETENTION_DAYS = int(os.environ.get("NOTIFICATION_RETENTION_DAYS", "90"))
    # How long the receipt of a form sent with a device's key is kept: a device's outbox
    # that comes back later than this would have its forms accepted again.
    RECEIPT_RETENTION_DAYS = int(os.environ.get("RECEIPT_RETENTION_DAYS", "365"))
    # Every message is also written here as an .eml file and printed to the console.
    MAIL_COPY_DIR = os.environ.get("MAIL_COPY_DIR")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "15"))
    # Batches (a cohort's invitations or reminders) go out at most this many per second.
    MAIL_BATCH_RATE = float(os.environ.get("MAIL_BATCH_RATE", "10"))
    # Reminder e-mails a trainer may send per hour (each learner gets one a day at most).
    REMINDER_RATE_LIMIT = os.environ.get("REMINDER_RATE_LIMIT", "20 per hour")
    # Roster uploads a trainer may send per hour (each may e-mail up to 5,000 people).
    ROSTER_RATE_LIMIT = os.environ.get("ROSTER_RATE_LIMIT", "10 per hour")
    # Attempts at a cohort's join code per connection (a guessed code would open a cohort).
    JOIN_RATE_LIMIT = os.environ.get("JOIN_RATE_LIMIT", "30 per hour")
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Palliare <no-reply@palliare.local>"
    )

    # Links in e-mails need an absolute address outside a request (e.g. from the CLI).
    SERVER_NAME = os.environ.get("SERVER_NAME")
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")

    # Host names the app answers to (Flask refuses others), so that links in e-mails
    # cannot be pointed at another site with a forged Host header. Comma-separated.
    TRUSTED_HOSTS = [
        h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h.strip()
    ] or None

    # How many reverse proxies (nginx, a load balancer) stand in front of the app.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    # Strict-Transport-Security is only sent where the site is served over HTTPS.
    SECURITY_HSTS = False
    USERS_PER_PAGE = 50


class DevelopmentConfig(Config):
    """Local development: SQLite in instance/, e-mail written to instance/mail/."""

    DEBUG = False
    DEVELOPMENT = True
    # SECRET_KEY from the environment, else a random key kept in instance/secret_key
    # (made by create_app on the first start; see config.instance_secret_key).
    SECRET_KEY = Config.SECRET_KEY
    SERVER_NAME = os.environ.get("SERVER_NAME", "127.0.0.1:5000")
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "file")
    MAIL_COPY_DIR = os.environ.get("MAIL_COPY_DIR", str(INSTANCE_DIR / "mail"))


class TestingConfig(Config):
    """The test suite: the database comes from the tests, e-mail to a local SMTP server."""

    TESTING = True
    SECRET_KEY = "testing-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    MAIL_BACKEND = "smtp"
    MAIL_COPY_DIR = None
    TASK_QUEUE_URL = "memory://"  # the suite runs queued tasks itself (tests/tasks.py)
    RATELIMIT_STORAGE_URI = "memory://"
    LOGIN_RATE_LIMIT = "100 per minute"  # tests that need a low limit set their own
    LOGIN_IP_RATE_LIMIT = "1000 per minute"
    PASSWORD_CHANGE_RATE_LIMIT = "100 per minute"
    SERVER_NAME = "palliare.test"
    MAIL_BATCH_RATE = 1000.0
    # Making the demo's narrated videos takes ffmpeg seconds: the tests that seed the
    # demo leave them out (tests/library/test_captions_demo.py and the browser tests
    # make them).
    DEMO_LIBRARY = False


class ProductionConfig(Config):
    """Production: secrets from the environment, secure cookies, HSTS."""

    PRODUCTION = True
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    SECURITY_HSTS = _bool("SECURITY_HSTS", True)
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "https")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None = None) -> type[Config]:
    """The config class for ``name`` (default: ``$PALLIARE_ENV`` or development)."""
    name = name or os.environ.get("PALLIARE_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(
            f"PALLIARE_ENV={name!r} is not one of: {', '.join(sorted(CONFIGS))}"
        ) from None
