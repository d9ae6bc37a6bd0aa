"""Reads have a home: SQL is built in ``queries.py`` modules, never in views, the
reporting API, the dashboards' report code or the services (which write: their
``insert``, ``update`` and ``delete`` stay theirs). A module "builds SQL" when it calls
``select(`` (SQLAlchemy's ``select``, ``db.select`` or ``sa.select``)."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"

# Modules that must not build SQL: every view module, the API, every service module
# (``services.py`` and the services named below), the dashboards' report.
KEPT_CLEAN = ("*views.py", "api.py", "services.py")
REPORT = APP / "dashboards" / "report.py"
SERVICES = (
    "auth/password_reset.py",
    "cohorts/reminders.py",
    "cohorts/roster.py",
    "dashboards/tokens.py",
    "learning/certificates.py",
    "learning/completion.py",
    "learning/enrolment.py",
    "learning/gains.py",
    "learning/progress.py",
    "library/captions.py",
    "notifications/outbox.py",
    "placements/agreement.py",
    "placements/assessment.py",
    "placements/competencies.py",
    "placements/logbook.py",
    "placements/observership_certificates.py",
    "trainers/certification.py",
)

# Modules that still build SQL though they should not, each with why: the list may only
# shrink (the test fails when one of them no longer needs its place here).
NOT_YET = {
    "notifications/outbox.py": "claim's UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP "
    "LOCKED) is one conditional write: the select is its condition, not a read",
}


def _calls_select(path: Path) -> bool:
    """Whether the module at ``path`` calls ``select(...)`` (bare or as an attribute)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Call):
            called = node.func
            name = called.id if isinstance(called, ast.Name) else getattr(called, "attr", None)
            if name == "select":
                return True
    return False


def _kept_clean() -> set[Path]:
    found = {path for pattern in KEPT_CLEAN for path in APP.rglob(pattern)}
    return found | {REPORT} | {APP / name for name in SERVICES}


def _name(path: Path) -> str:
    return path.relative_to(APP).as_posix()


def test_views_the_api_the_report_and_the_services_build_no_sql():
    building = {_name(path) for path in _kept_clean() if _calls_select(path)}
    assert building - set(NOT_YET) == set(), "move these reads to a queries.py module"
    assert set(NOT_YET) - building == set(), "these build no SQL any more: remove from NOT_YET"


def test_the_services_named_exist():
    assert [name for name in SERVICES if not (APP / name).is_file()] == []


def test_how_many_other_modules_build_sql():
    """Reported, not enforced (yet): the modules besides ``queries.py`` that build SQL."""
    others = sorted(
        _name(path)
        for path in APP.rglob("*.py")
        if path.name != "queries.py" and path not in _kept_clean() and _calls_select(path)
    )
    print(f"\n{len(others)} modules besides queries.py call select(:")
    for name in others:
        print(f"  app/{name}")
