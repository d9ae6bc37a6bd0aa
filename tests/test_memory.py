"""What keeps gunicorn's master and workers small (issue 21): libraries that only a few
routes need are not imported when the app starts, the web server imports no migration
tool, and the master compiles every template before the workers fork, so that they
share them instead of compiling their own."""

import json
import os
import runpy

from tests.helpers import ROOT, run_python

# Each is imported where it is used (exports, PDFs, calendars): MiB that only a few
# routes need (bench/memory.py measures the whole).
LAZY = {"openpyxl", "fpdf", "fontTools", "icalendar", "segno"}
MIGRATION_TOOLS = {"alembic", "flask_migrate"}


def _imported_by_wsgi(web_server: bool) -> set[str]:
    """The top-level modules a process has imported once wsgi.py built the app."""
    code = (
        "import json, sys, wsgi; print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    env = {"DATABASE_URL": "sqlite://", "PALLIARE_WEB_SERVER": "1" if web_server else None}
    result = run_python(code, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    imported = set(json.loads(result.stdout.splitlines()[-1]))
    assert "flask" in imported and "sqlalchemy" in imported  # the check sees imports
    return imported


def test_starting_the_app_imports_no_library_only_a_few_routes_need():
    imported = _imported_by_wsgi(web_server=False)
    assert not imported & LAZY, imported & LAZY
    assert "flask_migrate" in imported  # the command line's `flask db` (not the server's)


def test_the_web_server_imports_no_migration_tool():
    """gunicorn sets PALLIARE_WEB_SERVER (raw_env, before it loads the app): neither
    Flask-Migrate nor alembic is imported; /readyz reads the scripts itself."""
    settings = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert "PALLIARE_WEB_SERVER=1" in settings["raw_env"]
    assert "PALLIARE_WEB_SERVER" not in os.environ  # reading the config sets nothing
    imported = _imported_by_wsgi(web_server=True)
    assert not imported & (LAZY | MIGRATION_TOOLS), imported & (LAZY | MIGRATION_TOOLS)


def test_the_web_server_on_sqlite_imports_no_redis_or_psycopg():
    """huey's storage module imports both drivers when they are installed: app/tasks.py
    hides them from it (~15 MiB a server). SQLAlchemy imports psycopg itself for a
    PostgreSQL database, and app/tasks.py imports redis for a Redis queue."""
    imported = _imported_by_wsgi(web_server=True)
    assert "huey" in imported
    assert not imported & {"redis", "psycopg"}, imported & {"redis", "psycopg"}


def test_readiness_knows_the_same_revisions_as_alembic(app):
    """/readyz's own reading of migrations/versions agrees with alembic's."""
    from alembic.script import ScriptDirectory
    from flask_migrate import Migrate

    from app import migrations_directory
    from app.main.readiness import _script_revisions

    directory = str(migrations_directory(app))
    script = ScriptDirectory.from_config(Migrate().get_config(directory))
    heads, known = _script_revisions(directory)
    assert heads == frozenset(script.get_heads())
    assert known == frozenset(r.revision for r in script.walk_revisions())
    assert len(known) > 20


def test_warm_up_compiles_every_template_once(app):
    from app.templating import warm_up

    warm_up(app)
    environment = app.jinja_env
    names = environment.list_templates()
    assert len(names) > 100
    compiled = {key[1] for key in environment.cache}  # (weakref to the loader, name)
    assert set(names) <= compiled
    assert environment.cache.capacity >= len(names)  # none evicted, compiled again


def test_a_leaving_worker_skips_the_tear_down_but_keeps_its_exit_status():
    """deploy/gunicorn.conf.py's worker_exit ends a worker with os._exit (Python's
    tear-down would copy every page it shares with the master): the status it was leaving
    with is kept (gunicorn stops on 3 and 4), and what it printed is flushed first."""
    for status in (0, 3, 4):
        code = (
            "import runpy, sys\n"
            f"hooks = runpy.run_path({str(ROOT / 'deploy' / 'gunicorn.conf.py')!r})\n"
            "print('served', end='')\n"
            "try:\n"
            f"    sys.exit({status})\n"
            "finally:\n"
            "    hooks['worker_exit'](None, None)\n"
            "    print('not reached')\n"
        )
        result = run_python(code)
        assert (result.returncode, result.stdout) == (status, "served"), result.stderr
