"""What keeps gunicorn's master and workers small (issue 21): libraries that only a few
routes need are not imported when the app starts, and the master compiles every template
before the workers fork, so that they share them instead of compiling their own."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Each is imported where it is used (exports, PDFs, calendars): MiB that only a few
# routes need (bench/memory.py measures the whole).
LAZY = ("openpyxl", "fpdf", "fontTools", "icalendar", "segno")


def test_starting_the_app_imports_no_library_only_a_few_routes_need():
    code = (
        "import json, sys, wsgi; print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    env = {**os.environ, "PALLIARE_ENV": "testing", "DATABASE_URL": "sqlite://"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    imported = set(json.loads(result.stdout.splitlines()[-1]))
    assert "flask" in imported and "sqlalchemy" in imported  # the check sees imports
    assert not imported & set(LAZY), imported & set(LAZY)


def test_warm_up_compiles_every_template_once(app):
    from app.templating import warm_up

    warm_up(app)
    environment = app.jinja_env
    names = environment.list_templates()
    assert len(names) > 100
    compiled = {key[1] for key in environment.cache}  # (weakref to the loader, name)
    assert set(names) <= compiled
    assert environment.cache.capacity >= len(names)  # none evicted, compiled again
